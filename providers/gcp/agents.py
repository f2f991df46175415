"""Google-managed service agents and the one key grant each needs for customer-managed encryption.

A service encrypts with a customer-managed key as its service agent, a Google-owned service
account per project. Each consumer component grants its agent ``cryptoKeyEncrypterDecrypter`` on
the one key it uses (never on the key ring or the project), and creates the encrypted resource
only after the grant. Cloud Logging's account is shared by every log bucket of the stack, so the
Keys grant it the ``logs`` key once (``providers.gcp.keys``).

IAM grants to service agents take effect within seconds but can take up to a few minutes; a first
``pulumi up`` that fails with a permission error on a key is re-run (docs/deploying.md).
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.base import NeutralComponent

ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"


def service_identity(
    parent: NeutralComponent, name: str, project: str, service: str, api: gcp.projects.Service
) -> pulumi.Output[str]:
    """The IAM member of ``service``'s agent, created if the project has none yet
    (``gcloud beta services identity create``), as Cloud SQL, Secret Manager and Memorystore document
    for CMEK: an agent that Google creates lazily may not exist on a fresh project yet, and a grant
    to an agent that does not exist is refused."""
    identity = gcp.projects.ServiceIdentity(name, project=project, service=service, opts=parent.child(depends_on=[api]))
    member: pulumi.Output[str] = identity.member
    return member


def logging_agent(parent: NeutralComponent, project: str, api: gcp.projects.Service) -> pulumi.Output[str]:
    """The Cloud Logging service account that encrypts log buckets with a customer-managed key,
    as ``projects.getCmekSettings`` names it (``service-<project number>@gcp-sa-logging``)."""
    settings = gcp.logging.get_project_cmek_settings_output(
        project=project, opts=pulumi.InvokeOutputOptions(parent=parent, depends_on=[api])
    )
    member: pulumi.Output[str] = settings.service_account_id.apply(lambda email: f"serviceAccount:{email}")
    return member


def storage_agent(parent: NeutralComponent, project: str, api: gcp.projects.Service) -> pulumi.Output[str]:
    """The Cloud Storage agent (``service-<number>@gs-project-accounts``), looked up the documented
    way (the lookup creates it on a project that has none yet)."""
    account = gcp.storage.get_project_service_account_output(
        project=project, opts=pulumi.InvokeOutputOptions(parent=parent, depends_on=[api])
    )
    member: pulumi.Output[str] = account.email_address.apply(lambda email: f"serviceAccount:{email}")
    return member


def grant_key_use(
    parent: NeutralComponent, name: str, key: gcp.kms.CryptoKey, member: pulumi.Input[str]
) -> gcp.kms.CryptoKeyIAMMember:
    """Let ``member`` encrypt and decrypt with ``key`` alone."""
    return gcp.kms.CryptoKeyIAMMember(
        name, crypto_key_id=key.id, role=ENCRYPTER_DECRYPTER, member=member, opts=parent.child()
    )


def _numbered_agent(
    parent: NeutralComponent, project: str, domain: str, api: gcp.projects.Service
) -> pulumi.Output[str]:
    """The IAM member ``serviceAccount:service-<project number>@<domain>`` of a Google service agent,
    which Google creates when its API is enabled (so the lookup waits for ``api``)."""
    number = gcp.organizations.get_project_output(
        project_id=project, opts=pulumi.InvokeOutputOptions(parent=parent, depends_on=[api])
    ).number
    return pulumi.Output.concat("serviceAccount:service-", number, "@", domain)


def container_agent(parent: NeutralComponent, project: str, api: gcp.projects.Service) -> pulumi.Output[str]:
    """The GKE service agent (``service-<number>@container-engine-robot``), which encrypts the
    cluster's Kubernetes Secrets with a customer key; it exists once the Kubernetes Engine API is on."""
    return _numbered_agent(parent, project, "container-engine-robot.iam.gserviceaccount.com", api)


def compute_agent(parent: NeutralComponent, project: str, api: gcp.projects.Service) -> pulumi.Output[str]:
    """The Compute Engine service agent (``service-<number>@compute-system``), which encrypts
    persistent disks (GKE node boot disks, PD CSI volumes) with a customer key."""
    return _numbered_agent(parent, project, "compute-system.iam.gserviceaccount.com", api)
