"""Azure: what the real API refuses that the SDK's types allow (see the package docstring).

Keys, storage, network and Azure Managed Redis here; PostgreSQL flexible server in ``azure_postgres``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bettafish.plan.fake_cloud.constraints import Constraint, azure_postgres, registered, value, waits_for

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

GRANT = "azure-native:authorization:RoleAssignment"
CRYPTO_SERVICE_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
STORAGE_LOG_CATEGORIES = frozenset({"StorageRead", "StorageWrite", "StorageDelete"})
ACCOUNT_NAME = re.compile(r"^[a-z0-9]{3,24}$")
VAULT_NAME = re.compile(r"^[a-zA-Z](?!.*--)[a-zA-Z0-9-]{1,22}[a-zA-Z0-9]$")
MIN_EXPIRY_DAYS = 28


def _days(duration: object) -> int | None:
    """``P120D`` -> 120 (the day durations the program writes)."""
    match = re.fullmatch(r"P(\d+)D", str(duration))
    return int(match.group(1)) if match else None


def waits_for_a_key_grant(resource: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    grants = {
        g.urn
        for g in registered(before, GRANT)
        if str(g.inputs.get("roleDefinitionId", "")).endswith(CRYPTO_SERVICE_ENCRYPTION_USER)
    }
    return bool(grants & waits_for(resource, before))


def _server_key_not_granted(server: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    customer = value(server.inputs, "dataEncryption.type") == "AzureKeyVault"
    return customer and not waits_for_a_key_grant(server, before)


def _account_key_not_granted(account: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    customer = value(account.inputs, "encryption.keySource") == "Microsoft.Keyvault"
    return customer and not waits_for_a_key_grant(account, before)


def _cache_key_not_granted(cluster: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    customer = value(cluster.inputs, "encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl") is not None
    return customer and not waits_for_a_key_grant(cluster, before)


def _cache_key_url_without_version(cluster: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    url = value(cluster.inputs, "encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl")
    return url is not None and len(str(url).rstrip("/").split("/keys/", 1)[-1].split("/")) < 2


def _cache_key_through_system_identity(cluster: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    kind = value(cluster.inputs, "encryption.customerManagedKeyEncryption.keyEncryptionKeyIdentity.identityType")
    return kind is not None and kind != "userAssignedIdentity"


def _hsm_key_in_a_standard_vault(key: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    if value(key.inputs, "properties.kty") not in ("RSA-HSM", "EC-HSM"):
        return False
    vaults = [
        v
        for v in registered(before, "azure-native:keyvault:Vault")
        if v.inputs.get("vaultName") == key.inputs["vaultName"]
    ]
    return any(value(v.inputs, "properties.sku.name") != "premium" for v in vaults)


def _expiry_too_short(key: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    expiry = value(key.inputs, "properties.rotationPolicy.attributes.expiryTime")
    days = _days(expiry) if expiry is not None else None
    return days is not None and days < MIN_EXPIRY_DAYS


def _notify_without_expiry(key: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    actions = value(key.inputs, "properties.rotationPolicy.lifetimeActions", [])
    notifies = any(value(a, "action.type") == "notify" for a in actions)
    return notifies and value(key.inputs, "properties.rotationPolicy.attributes.expiryTime") is None


def _vault_name_reserved_after_destroy(vault: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    """A purge-protected vault of a stack that gets destroyed, named without a fresh random part."""
    purge_protected = value(vault.inputs, "properties.enablePurgeProtection") is True
    named_at_random = any(
        urn.split("::")[-2].endswith("random:index/randomString:RandomString") for urn in vault.dependencies
    )
    return purge_protected and not vault.protect and not named_at_random


def _bad_vault_name(vault: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    name = vault.inputs.get("vaultName")
    return isinstance(name, str) and not VAULT_NAME.match(name)


def _bad_account_name(account: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    name = account.inputs.get("accountName")
    return isinstance(name, str) and not ACCOUNT_NAME.match(name)


def _storage_logs_on_the_account(setting: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    categories = {entry.get("category") for entry in setting.inputs.get("logs", [])}
    target = str(setting.inputs.get("resourceUri", "")).rstrip("/")
    return bool(categories & STORAGE_LOG_CATEGORIES) and target.split("/")[-2:-1] == ["storageAccounts"]


def _logs_into_the_logged_account(setting: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    target = str(setting.inputs.get("resourceUri", ""))
    destination = setting.inputs.get("storageAccountId")
    return bool(destination) and (target == destination or target.startswith(f"{destination}/"))


def _endpoint_in_a_delegated_subnet(endpoint: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    subnet_id = value(endpoint.inputs, "subnet.id")
    subnets = [s for s in registered(before, "azure-native:network:Subnet") if s.id == subnet_id]
    return any(s.inputs.get("delegations") for s in subnets)


def _second_zone_of_that_name_on_the_vnet(link: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    vnet = value(link.inputs, "virtualNetwork.id")
    return any(
        other.inputs.get("privateZoneName") == link.inputs.get("privateZoneName")
        and value(other.inputs, "virtualNetwork.id") == vnet
        for other in registered(before, link.type)
    )


def _identity_granted_as_a_user(grant: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """A grant whose ``principalId`` comes from a managed identity (a user-assigned identity, or a
    resource's own identity) typed as anything but a service principal: the SDK sends
    ``principalType: User`` when none is given."""
    identities = {
        r.urn for r in before if r.type == "azure-native:managedidentity:UserAssignedIdentity" or "identity" in r.inputs
    }
    from_identity = identities & set(grant.input_dependencies.get("principalId", []))
    return grant.inputs.get("principalType", "User") != "ServicePrincipal" and bool(from_identity)


def _priority_taken(rule: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    def key(r: RecordedResource) -> tuple[object, ...]:
        return (r.inputs.get("networkSecurityGroupName"), r.inputs.get("direction"), r.inputs.get("priority"))

    return any(key(other) == key(rule) for other in registered(before, rule.type))


def _flow_log_kept_too_long(flow_log: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    return int(value(flow_log.inputs, "retentionPolicy.days", 0)) > 365


def _soft_deleted_items_block_destroy(vault: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    state = value(vault.inputs, "properties.securitySettings.softDeleteSettings.state", "On")
    return state != "Off" and not vault.protect


CMK_GRANT_ERROR = (
    "the service checks its customer-managed key when it is created, through its user-assigned identity: without"
    " Key Vault Crypto Service Encryption User on the key first (depend on the role assignment) it fails to reach"
    " the key (a new grant can take up to 10 minutes to propagate: re-run `pulumi up`)"
)

CONSTRAINTS: tuple[Constraint, ...] = (
    *azure_postgres.CONSTRAINTS,
    Constraint(
        id="azure-postgres-key-grant-ready",
        type=azure_postgres.SERVER,
        refuses=_server_key_not_granted,
        error=f"PostgreSQL flexible server: {CMK_GRANT_ERROR}",
        doc="https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-data-encryption",
    ),
    Constraint(
        id="azure-storage-key-grant-ready",
        type="azure-native:storage:StorageAccount",
        refuses=_account_key_not_granted,
        error=f"Azure Storage: {CMK_GRANT_ERROR}",
        doc="https://learn.microsoft.com/azure/storage/common/customer-managed-keys-configure-new-account",
    ),
    Constraint(
        id="azure-redis-key-grant-ready",
        type="azure-native:redisenterprise:RedisEnterprise",
        refuses=_cache_key_not_granted,
        error=f"Azure Managed Redis: {CMK_GRANT_ERROR}",
        doc="https://learn.microsoft.com/azure/redis/how-to-encryption",
    ),
    Constraint(
        id="azure-redis-key-versioned",
        type="azure-native:redisenterprise:RedisEnterprise",
        refuses=_cache_key_url_without_version,
        error="Key encryption key Url, versioned only. Ex: https://contosovault.vault.azure.net/keys/contosokek/"
        "562a4bb76b524a1493a6afe8e536ee78",
        doc="https://learn.microsoft.com/rest/api/redis/redisenterprisecache/redis-enterprise/create",
    ),
    Constraint(
        id="azure-redis-key-user-identity",
        type="azure-native:redisenterprise:RedisEnterprise",
        refuses=_cache_key_through_system_identity,
        error="Only user assigned managed identity is supported to connect to Azure Key Vault. System assigned"
        " managed identity is not supported.",
        doc="https://learn.microsoft.com/azure/redis/how-to-encryption",
    ),
    Constraint(
        id="azure-keyvault-hsm-key-premium",
        type="azure-native:keyvault:Key",
        refuses=_hsm_key_in_a_standard_vault,
        error="HSM-protected keys (RSA-HSM, EC-HSM) can be created only in a Premium vault",
        doc="https://learn.microsoft.com/azure/key-vault/keys/about-keys",
    ),
    Constraint(
        id="azure-keyvault-rotation-expiry",
        type="azure-native:keyvault:Key",
        refuses=_expiry_too_short,
        error="The expiryTime will be applied on the new key version. It should be at least 28 days.",
        doc="https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation",
    ),
    Constraint(
        id="azure-keyvault-notify-needs-expiry",
        type="azure-native:keyvault:Key",
        refuses=_notify_without_expiry,
        error="A notify lifetime action (timeBeforeExpiry) needs an expiryTime in the rotation policy",
        doc="https://learn.microsoft.com/azure/key-vault/keys/how-to-configure-key-rotation",
    ),
    Constraint(
        id="azure-keyvault-name-reserved",
        type="azure-native:keyvault:Vault",
        refuses=_vault_name_reserved_after_destroy,
        error="VaultAlreadyExists: a deleted vault keeps its name for its soft-delete retention and purge protection"
        " forbids purging it, so `pulumi destroy` then `pulumi up` of an unprotected stack needs a name not used"
        " before (a pulumi_random suffix)",
        doc="https://learn.microsoft.com/azure/key-vault/general/soft-delete-overview",
    ),
    Constraint(
        id="azure-keyvault-name",
        type="azure-native:keyvault:Vault",
        refuses=_bad_vault_name,
        error="Vault name must be between 3-24 alphanumeric characters. The name must begin with a letter, end with a"
        " letter or digit, and not contain consecutive hyphens.",
        doc="https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules",
    ),
    Constraint(
        id="azure-storage-account-name",
        type="azure-native:storage:StorageAccount",
        refuses=_bad_account_name,
        error="AccountNameInvalid: Storage account name must be between 3 and 24 characters in length and use"
        " numbers and lower-case letters only.",
        doc="https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules",
    ),
    Constraint(
        id="azure-storage-logs-on-blob-service",
        type="azure-native:monitor:DiagnosticSetting",
        refuses=_storage_logs_on_the_account,
        error="BadRequest: Category 'StorageRead' is not supported. (blob logs belong to the account's"
        " blobServices/default, the account itself has metrics only)",
        doc="https://learn.microsoft.com/azure/storage/blobs/monitor-blob-storage",
    ),
    Constraint(
        id="azure-storage-logs-elsewhere",
        type="azure-native:monitor:DiagnosticSetting",
        refuses=_logs_into_the_logged_account,
        error="You can't send logs to the same storage account that you are monitoring: each log write would be"
        " logged in turn",
        doc="https://learn.microsoft.com/azure/storage/blobs/monitor-blob-storage",
    ),
    Constraint(
        id="azure-private-endpoint-delegated-subnet",
        type="azure-native:network:PrivateEndpoint",
        refuses=_endpoint_in_a_delegated_subnet,
        error="PrivateEndpointCreationNotAllowedAsSubnetIsDelegated: a private endpoint can't use a subnet delegated"
        " to a service",
        doc="https://learn.microsoft.com/azure/private-link/private-endpoint-overview",
    ),
    Constraint(
        id="azure-private-dns-zone-one-per-name",
        type="azure-native:privatedns:VirtualNetworkLink",
        refuses=_second_zone_of_that_name_on_the_vnet,
        error="A virtual network cannot be linked to multiple zones with overlapping namespaces",
        doc="https://learn.microsoft.com/azure/dns/private-dns-virtual-network-links",
    ),
    Constraint(
        id="azure-role-assignment-principal-type",
        type=GRANT,
        refuses=_identity_granted_as_a_user,
        error="UnmatchedPrincipalType: The PrincipalId has type 'ServicePrincipal', which is different from specified"
        " PrincipalType 'User' (the SDK's default): set principalType ServicePrincipal for managed identities, which"
        " also spares the directory lookup that fails with PrincipalNotFound for a brand-new identity",
        doc="https://learn.microsoft.com/azure/role-based-access-control/role-assignments-template",
    ),
    Constraint(
        id="azure-nsg-priority-unique",
        type="azure-native:network:SecurityRule",
        refuses=_priority_taken,
        error="SecurityRuleConflict: two rules of one network security group share a priority and direction",
        doc="https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
    ),
    Constraint(
        id="azure-flow-log-retention",
        type="azure-native:network:FlowLog",
        refuses=_flow_log_kept_too_long,
        error="Flow log retention policy days must be between 0 and 365",
        doc="https://learn.microsoft.com/azure/network-watcher/vnet-flow-logs-overview",
    ),
    Constraint(
        id="azure-backup-vault-soft-delete-destroy",
        type="azure-native:dataprotection:BackupVault",
        refuses=_soft_deleted_items_block_destroy,
        error="A Backup vault that holds soft-deleted backup items cannot be deleted until they are purged (14 days"
        " or more): an unprotected stack's `pulumi destroy` fails on it; turn soft delete off there",
        doc="https://learn.microsoft.com/azure/backup/backup-azure-delete-vault",
    ),
)
