"""Each service's own Google identity through Workload Identity Federation for GKE, holding exactly
the grants of its access list (security rule 36): no keys, nothing on the project it can do without.

Cloud Storage and Secret Manager take the Kubernetes ServiceAccount itself as an IAM principal
(``principal://iam.googleapis.com/projects/<number>/locations/global/workloadIdentityPools/
<project>.svc.id.goog/subject/ns/<namespace>/sa/<name>``), so a service that needs only those gets
its grants on that principal and no Google service account at all.

Memorystore's IAM authentication accepts user and service accounts only, not federated principals
(https://cloud.google.com/memorystore/docs/cluster/about-iam-auth). A pod gets one kind of token
from the GKE metadata server: once its ServiceAccount names a Google service account
(``iam.gke.io/gcp-service-account``) every token is that account's. So a service with cache access
gets a Google service account of its own, which its ServiceAccount may impersonate
(``roles/iam.workloadIdentityUser`` for ``serviceAccount:<pool>[<namespace>/<name>]``, on that
account only), and that account holds all of the service's grants.

Every grant naming the workload pool waits for the cluster: the pool ``<project>.svc.id.goog`` exists
once a cluster with Workload Identity does, and IAM refuses a member of a pool that does not
("Identity Pool does not exist").
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import pulumi
import pulumi_gcp as gcp

from bettafish.config.services import SecretName, Service
from components.base import NeutralComponent
from components.workloads import NAMESPACE, ServiceIdentity
from providers.gcp.object_store import slug

OBJECT_ROLES = {"read": "roles/storage.objectViewer", "readWrite": "roles/storage.objectUser"}
"""Per bucket: read lists and gets objects; readWrite also creates, overwrites and deletes them
(``objectUser``, which holds no IAM or bucket administration). Objects of a bucket under a customer
key are encrypted by the Cloud Storage agent, so no key grant is needed here."""
SECRET_ACCESSOR = "roles/secretmanager.secretAccessor"
CACHE_CONNECTION_USER = "roles/redis.dbConnectionUser"
"""``redis.clusters.connect``: present an access token as the AUTH password. Memorystore has no
per-cluster IAM policy: the role is granted on the project, which holds this stack's one cluster."""
WORKLOAD_IDENTITY_USER = "roles/iam.workloadIdentityUser"
SERVICE_ACCOUNT_ANNOTATION = "iam.gke.io/gcp-service-account"


@dataclass(frozen=True)
class IdentityContext:
    """What every service's identity draws on."""

    project: str
    project_number: pulumi.Output[str]
    workload_pool: str
    cluster: gcp.container.Cluster
    """Its creation creates the workload pool."""
    iam_api: gcp.projects.Service
    buckets: dict[str, gcp.storage.Bucket]
    secrets: dict[SecretName, gcp.secretmanager.Secret]


@dataclass(frozen=True, kw_only=True)
class GoogleIdentity(ServiceIdentity):
    member: pulumi.Input[str]
    """The IAM member the service's grants name: its Google service account, or its ServiceAccount's
    federated principal."""


def principal(ctx: IdentityContext, account: str) -> pulumi.Output[str]:
    """The IAM principal of Kubernetes ServiceAccount ``account`` in the namespace."""
    return pulumi.Output.concat(
        "principal://iam.googleapis.com/projects/",
        ctx.project_number,
        f"/locations/global/workloadIdentityPools/{ctx.workload_pool}/subject/ns/{NAMESPACE}/sa/{account}",
    )


def account_id(account: str, stack_prefix: str) -> str:
    """A Google service account id (6 to 30 characters) unique to the stack: the service's name and
    six hex digits of the stack's prefix."""
    return f"{account}-{hashlib.sha256(stack_prefix.encode()).hexdigest()[:6]}"


def service_identity(
    parent: NeutralComponent, name: str, service: Service, account: str, ctx: IdentityContext
) -> GoogleIdentity:
    """The identity of the service whose ServiceAccount is ``account``, and its grants."""
    base = f"{name}-{account}"
    after_pool = parent.child(depends_on=[ctx.cluster])
    annotations: dict[str, pulumi.Input[str]] = {}
    ready: list[pulumi.Resource] = []
    member: pulumi.Input[str]
    if service.access.cache:
        google_account = gcp.serviceaccount.Account(
            base,
            project=ctx.project,
            account_id=account_id(account, parent.context.identity.prefix),
            display_name=f"BettaFish {account} ({parent.context.identity.prefix})",
            description=f"Workload identity of the {account} pods (ServiceAccount {NAMESPACE}/{account})",
            opts=parent.child(depends_on=[ctx.iam_api]),
        )
        ready.append(
            gcp.serviceaccount.IAMMember(
                f"{base}-workload-identity",
                service_account_id=google_account.name,
                role=WORKLOAD_IDENTITY_USER,
                member=f"serviceAccount:{ctx.workload_pool}[{NAMESPACE}/{account}]",
                opts=after_pool,
            )
        )
        annotations[SERVICE_ACCOUNT_ANNOTATION] = google_account.email
        member, grant_opts = google_account.member, parent.child()
        ready.append(
            gcp.projects.IAMMember(
                f"{base}-cache", project=ctx.project, role=CACHE_CONNECTION_USER, member=member, opts=grant_opts
            )
        )
    else:
        member, grant_opts = principal(ctx, account), after_pool
    for logical, mode in service.access.buckets.items():
        ready.append(
            gcp.storage.BucketIAMMember(
                f"{base}-{slug(logical)}",
                bucket=ctx.buckets[logical].name,
                role=OBJECT_ROLES[mode],
                member=member,
                opts=grant_opts,
            )
        )
    for secret in service.access.secrets:
        ready.append(
            gcp.secretmanager.SecretIamMember(
                f"{base}-{slug(secret)}",
                project=ctx.project,
                secret_id=ctx.secrets[secret].id,
                role=SECRET_ACCESSOR,
                member=member,
                opts=grant_opts,
            )
        )
    return GoogleIdentity(annotations=annotations, ready=ready, member=member)
