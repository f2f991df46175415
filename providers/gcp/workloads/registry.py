"""The Artifact Registry repository of the five images: Docker format, immutable tags, encrypted with
the stack's ``kubernetes`` key, scanned on push, cleaned of untagged leftovers."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_gcp as gcp

from bettafish.config.registry import Registry
from bettafish.config.services import Services
from components.base import NeutralComponent
from components.keys import KeyPurpose
from providers.gcp.agents import grant_key_use, service_identity
from providers.gcp.keys import SECONDS_PER_DAY
from providers.gcp.project import ARTIFACT_REGISTRY, CONTAINER_SCANNING

REGISTRY_KEY: KeyPurpose = "kubernetes"
"""The stack key the repository is encrypted with. The images are what the cluster runs: the same key
already protects the cluster's Secrets and the node disks every pulled image lands on, so one key
stands for "the cluster and what it runs" and disabling it stops both together. The ``storage`` key
stays the application data's (the buckets), whose readers are the services, not the nodes."""


def cleanup_policies(services: Services, registry: Registry) -> list[dict[str, Any]]:
    """Delete untagged versions (pushed by digest, or a platform image of a multi-platform index)
    older than ``registry.untaggedExpiryDays``; keep every tagged version and every digest a service
    is pinned to (a keep policy wins over a delete policy). Tags are immutable releases. Without the
    digest keep, a service pinned by digest to an untagged image would lose it and its next pod could
    not start. ``olderThan`` counts from the version's upload, as ECR's ``sinceImagePushed`` does."""
    expiry = registry.untagged_expiry_days * SECONDS_PER_DAY
    policies: list[dict[str, Any]] = [
        {
            "id": "delete-untagged",
            "action": "DELETE",
            "condition": {"tag_state": "UNTAGGED", "older_than": f"{expiry}s"},
        },
        {"id": "keep-tagged", "action": "KEEP", "condition": {"tag_state": "TAGGED"}},
    ]
    digests = sorted({s.image.digest for _, s in services.items() if s.image.digest})
    if digests:
        policies.append({"id": "keep-deployed", "action": "KEEP", "condition": {"version_name_prefixes": digests}})
    return policies


def repository(
    parent: NeutralComponent,
    name: str,
    *,
    project: str,
    region: str,
    services: Services,
    registry: Registry,
    key: gcp.kms.CryptoKey,
    apis: dict[str, gcp.projects.Service],
    labels: dict[str, str],
) -> gcp.artifactregistry.Repository:
    """The repository, after its service agent may use ``key``.

    Google creates the Artifact Registry agent with a project's first repository, too late for the
    key grant that repository needs: it is created first (``projects.ServiceIdentity``), as the
    Artifact Registry CMEK documentation says. The key cannot be changed on an existing repository.
    Scanning is ``INHERITED`` from the project, where the Container Scanning API turns it on."""
    agent = service_identity(parent, f"{name}-registry-agent", project, ARTIFACT_REGISTRY, apis[ARTIFACT_REGISTRY])
    key_grant = grant_key_use(parent, f"{name}-registry-key-user", key, agent)
    return gcp.artifactregistry.Repository(
        f"{name}-registry",
        project=project,
        location=region,
        repository_id=parent.context.identity.prefix,
        format="DOCKER",
        mode="STANDARD_REPOSITORY",
        description="BettaFish service images: immutable tags, customer-managed key",
        docker_config={"immutable_tags": True},
        kms_key_name=key.id,
        cleanup_policies=cleanup_policies(services, registry),
        cleanup_policy_dry_run=False,
        vulnerability_scanning_config={"enablement_config": "INHERITED"},
        labels=labels,
        # Its images are data: a destroy would delete every one of them.
        opts=parent.child(stateful=True, depends_on=[key_grant, apis[ARTIFACT_REGISTRY], apis[CONTAINER_SCANNING]]),
    )


def registry_url(repo: gcp.artifactregistry.Repository) -> pulumi.Output[str]:
    """``<region>-docker.pkg.dev/<project>/<repository>``, as Artifact Registry reports it."""
    url: pulumi.Output[str] = repo.registry_uri
    return url
