"""The cluster's control-plane identity and the disk encryption set, each with only the grants it
needs, all in place before the cluster is created (AKS checks some of them at creation, and KMS
with a private key vault cannot check them at all: it just fails later).

- Control plane (a user-assigned identity: KMS does not work with a system-assigned one, which would
  only exist once the cluster does): Network Contributor on the Vpc's virtual network, which AKS needs
  on the node subnets and the API server subnet, and on the network itself to link the private
  cluster's system DNS zone (and the KMS plugin's private endpoint) to it; Key Vault Crypto User on the ``kubernetes`` key (the KMS plugin encrypts and decrypts with
  it); Key Vault Contributor on the vault, which AKS documents for connecting the KMS plugin's private
  endpoint to a private key vault; Reader on the disk encryption set (AKS and the Azure Disk CSI
  driver look it up when they create encrypted disks).
- Disk encryption set (its system-assigned identity): Key Vault Crypto Service Encryption User on
  the ``kubernetes`` key, i.e. get, wrapKey and unwrapKey. Azure Disk Storage with a disk encryption
  set is a trusted service of the vault's firewall; the AKS KMS plugin is not (see ``cluster``).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import authorization, compute, managedidentity, resources

from components.base import NeutralComponent
from providers.azure.common import KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER, READER, grant, user_identity
from providers.azure.keys import AzureKeys
from providers.azure.vpc import AzureVpc

NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
KEY_VAULT_CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"
KEY_VAULT_CONTRIBUTOR = "f25e0fa2-a7c8-4377-a976-54943a77a395"


@dataclass(frozen=True)
class ClusterIdentity:
    identity: managedidentity.UserAssignedIdentity
    disk_encryption_set: compute.DiskEncryptionSet
    grants: list[authorization.RoleAssignment]
    """Every grant above; the cluster depends on all of them."""


def cluster_identity(
    parent: NeutralComponent,
    name: str,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
    subscription: pulumi.Output[str],
    vpc: AzureVpc,
    keys: AzureKeys,
) -> ClusterIdentity:
    key = keys.keys["kubernetes"]
    identity = user_identity(parent, f"{name}-identity", rg, location, tags)
    des = compute.DiskEncryptionSet(
        f"{name}-disks",
        resource_group_name=rg.name,
        location=location,
        identity={"type": "SystemAssigned"},
        encryption_type="EncryptionAtRestWithCustomerKey",
        # The versionless key URI: the set moves its disks to each new key version within an hour.
        active_key={"key_url": key.key_uri, "source_vault": {"id": keys.vault.id}},
        rotation_to_latest_key_version_enabled=True,
        tags=tags,
        opts=parent.child(),
    )
    des_principal = des.identity.apply(lambda found: found.principal_id if found else "")

    def plane(role_name: str, role: str, scope: pulumi.Input[str], why: str) -> authorization.RoleAssignment:
        return grant(
            parent,
            f"{name}-{role_name}",
            principal_id=identity.principal_id,
            role=role,
            scope=scope,
            subscription=subscription,
            description=why,
        )

    grants = [
        grant(
            parent,
            f"{name}-disks-key",
            principal_id=des_principal,
            role=KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
            scope=key.id,
            subscription=subscription,
            description="Node OS disks and persistent volumes are encrypted with the kubernetes key",
        ),
        plane("kms-key", KEY_VAULT_CRYPTO_USER, key.id, "The KMS plugin encrypts Kubernetes secrets with this key"),
        plane(
            "kms-vault",
            KEY_VAULT_CONTRIBUTOR,
            keys.vault.id,
            "AKS links the KMS plugin's private endpoint to the vault",
        ),
        plane("disks-reader", READER, des.id, "AKS and the Azure Disk CSI driver encrypt disks with this set"),
        plane("network", NETWORK_CONTRIBUTOR, vpc.vnet.id, "Nodes, the API server and the private DNS zone join it"),
    ]
    return ClusterIdentity(identity=identity, disk_encryption_set=des, grants=grants)
