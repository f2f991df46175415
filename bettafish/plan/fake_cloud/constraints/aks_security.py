"""AKS security and operations refusals: KMS and its key vault, the disk encryption set, identity
features, the control-plane log workspace, maintenance windows."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bettafish.plan.fake_cloud.constraints import Constraint, Refuses, value
from bettafish.plan.fake_cloud.constraints.aks_refs import (
    AKS_DOCS,
    CLUSTER,
    CRYPTO_SERVICE_ENCRYPTION_USER,
    CRYPTO_USER,
    by_id,
    granted,
    key_by_url,
    vault_named,
)

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

Before = Sequence["RecordedResource"]
DES = "azure-native:compute:DiskEncryptionSet"
WORKSPACE = "azure-native:operationalinsights:Workspace"
MAINTENANCE = "azure-native:containerservice:MaintenanceConfiguration"
KMS = "securityProfile.azureKeyVaultKms"
KMS_DOC = f"{AKS_DOCS}/use-kms-etcd-encryption"
_VERSIONED_KEY = re.compile(r"^https://([a-z0-9-]+)\.vault\.azure\.net/keys/[A-Za-z0-9-]+/[0-9a-f]{32}$")


def _kms(cluster: RecordedResource) -> dict[str, object]:
    found = value(cluster.inputs, KMS) or {}
    return found if found.get("enabled") else {}


def _kms_unversioned(cluster: RecordedResource, _: Before) -> bool:
    kms = _kms(cluster)
    return bool(kms) and not _VERSIONED_KEY.match(str(kms.get("keyId", "")))


def _kms_private_without_vnet_integration(cluster: RecordedResource, _: Before) -> bool:
    private = _kms(cluster).get("keyVaultNetworkAccess") == "Private"
    return private and not value(cluster.inputs, "apiServerAccessProfile.enableVnetIntegration")


def _kms_public_behind_firewall(cluster: RecordedResource, before: Before) -> bool:
    kms = _kms(cluster)
    versioned = _VERSIONED_KEY.match(str(kms.get("keyId", "")))
    if not versioned or kms.get("keyVaultNetworkAccess") == "Private":
        return False
    vault = vault_named(versioned.group(1), before)
    return vault is not None and value(vault.inputs, "properties.networkAcls.defaultAction") == "Deny"


def _key_lacks(url_path: str, ops: set[str]) -> Refuses:
    def refuses(resource: RecordedResource, before: Before) -> bool:
        key = key_by_url(value(resource.inputs, url_path), before)
        return key is not None and not ops <= set(value(key.inputs, "properties.keyOps", []))

    return refuses


def _kms_not_granted(cluster: RecordedResource, before: Before) -> bool:
    key = key_by_url(_kms(cluster).get("keyId"), before)
    return key is not None and not granted(cluster, before, CRYPTO_USER, key.id)


def _des_not_granted(cluster: RecordedResource, before: Before) -> bool:
    des = by_id(before, DES, cluster.inputs.get("diskEncryptionSetID"))
    key = key_by_url(value(des.inputs, "activeKey.keyUrl"), before) if des else None
    return key is not None and not granted(cluster, before, CRYPTO_SERVICE_ENCRYPTION_USER, key.id)


def _workload_identity_without_oidc(cluster: RecordedResource, _: Before) -> bool:
    enabled = bool(value(cluster.inputs, "securityProfile.workloadIdentity.enabled"))
    return enabled and not value(cluster.inputs, "oidcIssuerProfile.enabled")


def _local_accounts_off_without_entra(cluster: RecordedResource, _: Before) -> bool:
    return bool(cluster.inputs.get("disableLocalAccounts")) and not value(cluster.inputs, "aadProfile.managed")


def _retention(workspace: RecordedResource, _: Before) -> bool:
    days = workspace.inputs.get("retentionInDays")
    return value(workspace.inputs, "sku.name") == "PerGB2018" and days is not None and not 30 <= days <= 730


def _window(config: RecordedResource, _: Before) -> bool:
    hours = value(config.inputs, "maintenanceWindow.durationHours")
    managed = str(config.inputs.get("configName", "")).startswith("aksManaged")
    return managed and hours is not None and not 4 <= hours <= 24


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="aks-kms-key-version",
        type=CLUSTER,
        refuses=_kms_unversioned,
        error="KMS keyId must be a versioned key identifier (https://<vault>.vault.azure.net/keys/<key>/<version>)",
        doc=KMS_DOC,
    ),
    Constraint(
        id="aks-kms-private-vault-needs-vnet-integration",
        type=CLUSTER,
        refuses=_kms_private_without_vnet_integration,
        error="If a cluster has KMS turned on and has a private key vault, it must use the API Server VNet"
        " Integration tunnel; Konnectivity isn't supported",
        doc=f"{KMS_DOC}#limitations",
    ),
    Constraint(
        id="aks-kms-public-vault-behind-firewall",
        type=CLUSTER,
        refuses=_kms_public_behind_firewall,
        error="Azure Key Vault with a firewall setting 'allow public access from specific virtual networks and IP"
        " addresses' or 'disable public access' isn't supported: it blocks traffic from the KMS plugin to the key"
        " vault (use keyVaultNetworkAccess Private)",
        doc=f"{KMS_DOC}#limitations",
    ),
    Constraint(
        id="aks-kms-key-operations",
        type=CLUSTER,
        refuses=_key_lacks(f"{KMS}.keyId", {"encrypt", "decrypt"}),
        error="the KMS plugin encrypts and decrypts with its key: the key must allow encrypt and decrypt",
        doc=KMS_DOC,
    ),
    Constraint(
        id="aks-kms-key-grant",
        type=CLUSTER,
        refuses=_kms_not_granted,
        error="When using a private key vault, AKS can't validate the permissions of the identity: without Key"
        " Vault Crypto User on the key before creation, the API server cannot encrypt secrets",
        doc=f"{KMS_DOC}#assign-permissions-to-decrypt-and-encrypt-a-private-key-vault",
    ),
    Constraint(
        id="aks-disk-encryption-key-operations",
        type=DES,
        refuses=_key_lacks("activeKey.keyUrl", {"wrapKey", "unwrapKey"}),
        error="a disk encryption set wraps and unwraps the disks' keys: its key must allow wrapKey and unwrapKey",
        doc="https://learn.microsoft.com/azure/virtual-machines/disk-encryption#customer-managed-keys",
    ),
    Constraint(
        id="aks-disk-encryption-grant",
        type=CLUSTER,
        refuses=_des_not_granted,
        error="the disk encryption set's identity needs Key Vault Crypto Service Encryption User on its key"
        " before the nodes' OS disks are created",
        doc=f"{AKS_DOCS}/azure-disk-customer-managed-keys",
    ),
    Constraint(
        id="aks-workload-identity-needs-oidc",
        type=CLUSTER,
        refuses=_workload_identity_without_oidc,
        error="Enabling workload identity requires enabling OIDC issuer",
        doc=f"{AKS_DOCS}/workload-identity-deploy-cluster",
    ),
    Constraint(
        id="aks-local-accounts-need-entra",
        type=CLUSTER,
        refuses=_local_accounts_off_without_entra,
        error="Local accounts can only be disabled on clusters with AKS-managed Microsoft Entra integration",
        doc=f"{AKS_DOCS}/manage-local-accounts-managed-azure-ad",
    ),
    Constraint(
        id="aks-log-analytics-retention",
        type=WORKSPACE,
        refuses=_retention,
        error="retentionInDays of a PerGB2018 workspace must be between 30 and 730",
        doc="https://learn.microsoft.com/azure/azure-monitor/logs/data-retention-configure",
    ),
    Constraint(
        id="aks-maintenance-window-hours",
        type=MAINTENANCE,
        refuses=_window,
        error="aksManagedAutoUpgradeSchedule and aksManagedNodeOSUpgradeSchedule windows last 4 to 24 hours",
        doc=f"{AKS_DOCS}/planned-maintenance",
    ),
)
