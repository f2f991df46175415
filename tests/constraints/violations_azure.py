"""Azure registrations the real API refuses: one small program per constraint id."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
from pulumi_azure_native import (
    authorization,
    dataprotection,
    dbforpostgresql,
    keyvault,
    managedidentity,
    monitor,
    network,
    privatedns,
    redisenterprise,
    storage,
)

GROUP = "rg"
CRYPTO_USER = "/providers/Microsoft.Authorization/roleDefinitions/e147488a-f6f5-4113-8e2d-b22465e65bf6"
KEY_URL = "https://kv.vault.azure.net/keys/cache/0123456789abcdef0123456789abcdef"


def _server(name: str, **inputs: Any) -> dbforpostgresql.Server:
    defaults: dict[str, Any] = {
        "resource_group_name": GROUP,
        "location": "eastus",
        "version": "15",
        "sku": {"name": "Standard_E4ds_v5", "tier": "MemoryOptimized"},
        "storage": {"type": "Premium_LRS", "storage_size_gb": 128, "tier": "P10"},
    }
    return dbforpostgresql.Server(name, **(defaults | inputs))


def _customer_key(identity: str = "/identities/primary") -> dict[str, Any]:
    return {
        "type": "AzureKeyVault",
        "primary_key_uri": "https://kv.vault.azure.net/keys/db",
        "primary_user_assigned_identity_id": identity,
    }


def _granted(name: str) -> authorization.RoleAssignment:
    return authorization.RoleAssignment(
        name, principal_id="p", principal_type="ServicePrincipal", role_definition_id=CRYPTO_USER, scope="/keys/k"
    )


def premium_v2_with_customer_key() -> None:
    grant = _granted("grant")
    _server(
        "db",
        storage={"type": "PremiumV2_LRS", "storage_size_gb": 1000, "iops": 10000, "throughput": 1000},
        data_encryption=_customer_key(),
        opts=pulumi.ResourceOptions(depends_on=[grant]),
    )


def premium_v2_with_ha_in_eastus() -> None:
    _server(
        "db",
        storage={"type": "PremiumV2_LRS", "storage_size_gb": 1000, "iops": 10000, "throughput": 1000},
        availability_zone="1",
        high_availability={"mode": "ZoneRedundant", "standby_availability_zone": "2"},
    )


def tier_below_the_sizes_baseline() -> None:
    _server("db", storage={"type": "Premium_LRS", "storage_size_gb": 1024, "tier": "P20"})


def standby_in_the_primarys_zone() -> None:
    _server("db", availability_zone="1", high_availability={"mode": "ZoneRedundant", "standby_availability_zone": "1"})


def burstable_replica() -> None:
    _server(
        "db", sku={"name": "Standard_B2s", "tier": "Burstable"}, create_mode="Replica", source_server_resource_id="/s"
    )


def geo_backup_through_the_primarys_identity() -> None:
    grant = _granted("grant")
    _server(
        "db",
        backup={"backup_retention_days": 30, "geo_redundant_backup": "Enabled"},
        data_encryption=_customer_key()
        | {
            "geo_backup_key_uri": "https://kvdr.vault.azure.net/keys/db",
            "geo_backup_user_assigned_identity_id": "/identities/primary",
        },
        opts=pulumi.ResourceOptions(depends_on=[grant]),
    )


def server_before_its_key_grant() -> None:
    _server("db", data_encryption=_customer_key())


def _account(name: str, **inputs: Any) -> storage.StorageAccount:
    defaults: dict[str, Any] = {
        "resource_group_name": GROUP,
        "account_name": "bettafishlogs0001",
        "kind": "StorageV2",
        "sku": {"name": "Standard_ZRS"},
    }
    return storage.StorageAccount(name, **(defaults | inputs))


def account_before_its_key_grant() -> None:
    _account(
        "account",
        encryption={
            "key_source": "Microsoft.Keyvault",
            "key_vault_properties": {"key_name": "storage", "key_vault_uri": "https://kv.vault.azure.net/"},
        },
    )


def account_name_with_dashes() -> None:
    _account("account", account_name="bettafish-logs")


def _cache(name: str, url: str, identity_type: str = "userAssignedIdentity", **opts: Any) -> None:
    redisenterprise.RedisEnterprise(
        name,
        resource_group_name=GROUP,
        sku={"name": "Balanced_B5"},
        public_network_access="Disabled",
        encryption={
            "customer_managed_key_encryption": {
                "key_encryption_key_url": url,
                "key_encryption_key_identity": {
                    "identity_type": identity_type,
                    "user_assigned_identity_resource_id": "/i",
                },
            }
        },
        opts=pulumi.ResourceOptions(**opts),
    )


def cache_before_its_key_grant() -> None:
    _cache("cache", KEY_URL)


def cache_with_a_versionless_key() -> None:
    _cache("cache", "https://kv.vault.azure.net/keys/cache", depends_on=[_granted("grant")])


def cache_key_through_its_system_identity() -> None:
    _cache("cache", KEY_URL, identity_type="systemAssignedIdentity", depends_on=[_granted("grant")])


def _vault(name: str, sku: str = "standard", purge_protection: bool = False, **inputs: Any) -> keyvault.Vault:
    return keyvault.Vault(
        name,
        resource_group_name=GROUP,
        vault_name=inputs.pop("vault_name", "bettafishkv0001"),
        properties={
            "tenant_id": "t",
            "sku": {"family": "A", "name": sku},
            "enable_purge_protection": purge_protection,
        },
        **inputs,
    )


def _key(name: str, vault: keyvault.Vault, kty: str = "RSA", policy: dict[str, Any] | None = None) -> None:
    keyvault.Key(
        name,
        resource_group_name=GROUP,
        vault_name=vault.name,
        properties={"kty": kty, "key_size": 3072, "rotation_policy": policy or {}},
    )


def hsm_key_in_a_standard_vault() -> None:
    _key("key", _vault("vault"), kty="RSA-HSM")


def rotation_expiry_under_28_days() -> None:
    rotate = {"action": {"type": "rotate"}, "trigger": {"time_after_create": "P7D"}}
    _key("key", _vault("vault"), policy={"attributes": {"expiry_time": "P14D"}, "lifetime_actions": [rotate]})


def notify_without_expiry() -> None:
    notify = {"action": {"type": "notify"}, "trigger": {"time_before_expiry": "P30D"}}
    _key("key", _vault("vault"), policy={"lifetime_actions": [notify]})


def purge_protected_vault_with_a_fixed_name_unprotected() -> None:
    _vault("vault", purge_protection=True)


def vault_name_with_underscores() -> None:
    _vault("vault", vault_name="bettafish_keys")


def storage_logs_on_the_account() -> None:
    monitor.DiagnosticSetting(
        "logs",
        resource_uri="/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/media",
        storage_account_id="/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/logs",
        logs=[{"category": "StorageRead", "enabled": True}],
    )


def storage_logs_into_the_same_account() -> None:
    account = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/logs"
    monitor.DiagnosticSetting(
        "logs",
        resource_uri=f"{account}/blobServices/default",
        storage_account_id=account,
        logs=[{"category": "StorageWrite", "enabled": True}],
    )


def endpoint_in_the_postgres_subnet() -> None:
    subnet = network.Subnet(
        "database",
        resource_group_name=GROUP,
        virtual_network_name="vnet",
        address_prefix="10.0.20.0/23",
        delegations=[{"name": "postgres", "service_name": "Microsoft.DBforPostgreSQL/flexibleServers"}],
    )
    network.PrivateEndpoint(
        "endpoint",
        resource_group_name=GROUP,
        subnet={"id": subnet.id},
        private_link_service_connections=[{"name": "blob", "private_link_service_id": "/a", "group_ids": ["blob"]}],
    )


def two_blob_zones_on_one_vnet() -> None:
    previous: list[pulumi.Resource] = []
    for group in ("store", "other"):
        zone = privatedns.PrivateZone(
            f"{group}-zone", private_zone_name="privatelink.blob.core.windows.net", resource_group_name=group
        )
        link = privatedns.VirtualNetworkLink(
            f"{group}-link",
            private_zone_name=zone.name,
            resource_group_name=group,
            virtual_network={"id": "/vnets/net"},
            registration_enabled=False,
            opts=pulumi.ResourceOptions(depends_on=previous),
        )
        previous = [link]


def grant_without_principal_type() -> None:
    identity = managedidentity.UserAssignedIdentity("identity", resource_group_name=GROUP)
    authorization.RoleAssignment(
        "grant", principal_id=identity.principal_id, role_definition_id=CRYPTO_USER, scope="/k"
    )


def two_rules_with_one_priority() -> None:
    previous: list[pulumi.Resource] = []
    for name in ("allow-a", "allow-b"):
        rule = network.SecurityRule(
            name,
            resource_group_name=GROUP,
            network_security_group_name="nsg",
            direction="Inbound",
            priority=100,
            access="Allow",
            protocol="Tcp",
            source_address_prefix="10.0.0.0/16",
            source_port_range="*",
            destination_address_prefix="*",
            destination_port_range="443",
            opts=pulumi.ResourceOptions(depends_on=previous),
        )
        previous = [rule]


def flow_log_kept_two_years() -> None:
    network.FlowLog(
        "flow-log",
        resource_group_name="NetworkWatcherRG",
        network_watcher_name="NetworkWatcher_eastus",
        target_resource_id="/vnets/net",
        storage_id="/accounts/logs",
        retention_policy={"days": 730, "enabled": True},
    )


def backup_vault_with_soft_delete_unprotected() -> None:
    dataprotection.BackupVault(
        "backup-vault",
        resource_group_name=GROUP,
        properties={
            "storage_settings": [{"datastore_type": "VaultStore", "type": "ZoneRedundant"}],
            "security_settings": {"soft_delete_settings": {"state": "On", "retention_duration_in_days": 14}},
        },
    )


VIOLATIONS: dict[str, Callable[[], None]] = {
    "azure-postgres-premium-v2-customer-key": premium_v2_with_customer_key,
    "azure-postgres-premium-v2-regional-features": premium_v2_with_ha_in_eastus,
    "azure-postgres-premium-ssd-tier": tier_below_the_sizes_baseline,
    "azure-postgres-standby-zone": standby_in_the_primarys_zone,
    "azure-postgres-burstable-ha-replica": burstable_replica,
    "azure-postgres-geo-backup-key": geo_backup_through_the_primarys_identity,
    "azure-postgres-key-grant-ready": server_before_its_key_grant,
    "azure-storage-key-grant-ready": account_before_its_key_grant,
    "azure-redis-key-grant-ready": cache_before_its_key_grant,
    "azure-redis-key-versioned": cache_with_a_versionless_key,
    "azure-redis-key-user-identity": cache_key_through_its_system_identity,
    "azure-keyvault-hsm-key-premium": hsm_key_in_a_standard_vault,
    "azure-keyvault-rotation-expiry": rotation_expiry_under_28_days,
    "azure-keyvault-notify-needs-expiry": notify_without_expiry,
    "azure-keyvault-name-reserved": purge_protected_vault_with_a_fixed_name_unprotected,
    "azure-keyvault-name": vault_name_with_underscores,
    "azure-storage-account-name": account_name_with_dashes,
    "azure-storage-logs-on-blob-service": storage_logs_on_the_account,
    "azure-storage-logs-elsewhere": storage_logs_into_the_same_account,
    "azure-private-endpoint-delegated-subnet": endpoint_in_the_postgres_subnet,
    "azure-private-dns-zone-one-per-name": two_blob_zones_on_one_vnet,
    "azure-role-assignment-principal-type": grant_without_principal_type,
    "azure-nsg-priority-unique": two_rules_with_one_priority,
    "azure-flow-log-retention": flow_log_kept_two_years,
    "azure-backup-vault-soft-delete-destroy": backup_vault_with_soft_delete_unprotected,
}
