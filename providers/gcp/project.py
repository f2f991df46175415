"""The project every GCP resource of the platform lives in, and the Google APIs it must have on.

A fresh project has only a few APIs enabled (Cloud Logging and Cloud Storage among them), and a
call to a disabled one fails with ``SERVICE_DISABLED: ... API has not been used in project ... or
it is disabled``. Each component enables the APIs its own resources call and makes those resources
wait for them, so a first ``pulumi up`` works on a new project. The deployer needs
``serviceusage.services.enable`` (``roles/serviceusage.serviceUsageAdmin``) for that.

``disable_on_destroy=False``: a ``pulumi destroy`` leaves the APIs on. Disabling one breaks
whatever else in the project still uses it, and turning it off again gains nothing.
"""

from __future__ import annotations

import pulumi_gcp as gcp

from components.base import DeployContext, NeutralComponent

COMPUTE = "compute.googleapis.com"
SERVICE_NETWORKING = "servicenetworking.googleapis.com"
CLOUD_KMS = "cloudkms.googleapis.com"
LOGGING = "logging.googleapis.com"
SQL_ADMIN = "sqladmin.googleapis.com"
SECRET_MANAGER = "secretmanager.googleapis.com"
REDIS = "redis.googleapis.com"
NETWORK_CONNECTIVITY = "networkconnectivity.googleapis.com"
SERVICE_CONSUMER_MANAGEMENT = "serviceconsumermanagement.googleapis.com"
"""Memorystore for Redis Cluster creates its Private Service Connect endpoints through it."""
STORAGE = "storage.googleapis.com"
CONTAINER = "container.googleapis.com"
IAM = "iam.googleapis.com"
"""Service accounts (the GKE nodes' own identity, the services' identities)."""
DNS = "dns.googleapis.com"
"""Cloud DNS: the public zone and the internal zone."""
ARTIFACT_REGISTRY = "artifactregistry.googleapis.com"
CONTAINER_SCANNING = "containerscanning.googleapis.com"
"""Artifact Analysis: Artifact Registry scans every image pushed to a repository that inherits it."""
MONITORING = "monitoring.googleapis.com"
"""Cloud Monitoring: notification channels, metric descriptors, alert policies, dashboards."""
BILLING_BUDGETS = "billingbudgets.googleapis.com"
"""Cloud Billing budgets (the budget belongs to the billing account; the API is called through the project)."""
CERTIFICATE_MANAGER = "certificatemanager.googleapis.com"
"""The edge's certificate, its DNS authorizations and its certificate map."""


def require_project(ctx: DeployContext) -> str:
    """``gcp:project``, which every GCP resource of the platform is created in."""
    if not ctx.provider.project:
        raise ValueError("gcp:project is needed to build the platform on GCP")
    return ctx.provider.project


def enable_apis(parent: NeutralComponent, name: str, project: str, *apis: str) -> dict[str, gcp.projects.Service]:
    """``apis`` enabled in ``project``, by API name; resources that call one depend on it."""
    return {
        api: gcp.projects.Service(
            f"{name}-{api.split('.')[0]}-api",
            project=project,
            service=api,
            disable_on_destroy=False,
            opts=parent.child(),
        )
        for api in apis
    }
