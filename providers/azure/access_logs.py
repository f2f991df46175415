"""Storage access logs (security rule 39): every bucket account's blob service sends its read, write
and delete logs, through an Azure Monitor diagnostic setting, to one storage account that holds
nothing but those logs, encrypted with the stack's ``logs`` key.

Why a separate account: Azure Monitor cannot write an account's logs into that same account (each
log write would log itself), and Azure advises against mixing monitoring data with other data, so
the logs bucket cannot take its own access logs. The account must be in the resources' region, and
its firewall admits Azure Monitor as a trusted Azure service (``bypass: AzureServices``), so public
network access stays enabled while the default action denies everyone else. Azure Monitor writes
append blobs (``insights-logs-storageread/...``), which lifecycle management can delete but not tier:
they are deleted when the logs bucket deletes its logs (``storage.buckets.logs.expireDays``).
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi_azure_native import managedidentity, monitor, resources, storage

from bettafish.config.storage import Storage
from components.base import NeutralComponent
from providers.azure.common import delete_lock, global_name, storage_encryption
from providers.azure.keys import AzureKeys

LOG_CATEGORIES = ("StorageRead", "StorageWrite", "StorageDelete")
"""Every blob operation: reads, writes and deletes."""
SETTING_NAME = "access-logs"
LOG_BLOB_PREFIX = "insights-logs-"
"""Azure Monitor writes each category to a container ``insights-logs-<category>``."""


def access_log_account(
    parent: NeutralComponent,
    name: str,
    cfg: Storage,
    keys: AzureKeys,
    encryption_identity: managedidentity.UserAssignedIdentity,
    key_grant: pulumi.Resource,
    rg: resources.ResourceGroup,
    location: str,
    subscription: pulumi.Output[str],
    tags: dict[str, str],
) -> storage.StorageAccount:
    """The account (stateful, locked where stateful resources are protected) and its lifecycle."""
    account = storage.StorageAccount(
        name,
        account_name=subscription.apply(lambda sub: global_name(parent.name, "access", sub)),
        resource_group_name=rg.name,
        location=location,
        kind="StorageV2",
        sku={"name": "Standard_ZRS"},
        access_tier="Hot",
        enable_https_traffic_only=True,
        minimum_tls_version="TLS1_2",
        allow_blob_public_access=False,
        allow_shared_key_access=False,
        default_to_o_auth_authentication=True,
        allow_cross_tenant_replication=False,
        network_rule_set={"default_action": "Deny", "bypass": "AzureServices"},
        identity={"type": "UserAssigned", "user_assigned_identities": [encryption_identity.id]},
        encryption=storage_encryption(keys.vault, keys.keys["logs"], encryption_identity),
        tags=tags,
        opts=parent.child(stateful=True, depends_on=[key_grant]),
    )
    delete_lock(parent, f"{name}-lock", account, account.id, "Holds the storage access logs")
    expire_days = cfg.buckets.logs.expire_days
    if expire_days is not None:
        storage.ManagementPolicy(
            f"{name}-lifecycle",
            resource_group_name=rg.name,
            account_name=account.name,
            management_policy_name="default",
            policy={"rules": [_expiry_rule(expire_days)]},
            opts=parent.child(),
        )
    return account


def _expiry_rule(days: int) -> dict[str, Any]:
    return {
        "name": "expire-access-logs",
        "enabled": True,
        "type": "Lifecycle",
        "definition": {
            "filters": {"blob_types": ["appendBlob"], "prefix_match": [LOG_BLOB_PREFIX]},
            "actions": {"base_blob": {"delete": {"days_after_modification_greater_than": days}}},
        },
    }


def log_access(
    parent: NeutralComponent, name: str, account: storage.StorageAccount, destination: storage.StorageAccount
) -> monitor.DiagnosticSetting:
    """A diagnostic setting on ``account``'s blob service sending every blob operation to ``destination``."""
    return monitor.DiagnosticSetting(
        name,
        name=SETTING_NAME,
        # Blob logs belong to the blob service, not to the account (whose categories are metrics only).
        resource_uri=pulumi.Output.concat(account.id, "/blobServices/default"),
        storage_account_id=destination.id,
        logs=[{"category": category, "enabled": True} for category in LOG_CATEGORIES],
        opts=parent.child(),
    )
