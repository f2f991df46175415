"""Azure ObjectStore: one storage account per logical bucket (each bucket has its own encryption and
lifecycle, which Azure sets per account), holding one private container.

Accounts are zone-redundant, except those whose lifecycle moves blobs to the archive tier: Azure
offers archive only on LRS/GRS accounts, so those are geo-redundant (``Standard_GRS``) instead.
Azure has no multipart uploads: blocks staged and never committed are discarded by Azure after
seven days, which is what ``abortIncompleteUploadDays`` asks for.
"""

from __future__ import annotations

import re
from typing import Any

import pulumi
from pulumi_azure_native import keyvault, managedidentity, resources, storage

from bettafish.config.storage import Bucket, Storage
from components.base import sibling
from components.object_store import ObjectStore, ObjectStoreArgs
from providers.azure.common import (
    KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
    delete_lock,
    global_name,
    grant,
    subscription_id,
    user_identity,
)
from providers.azure.keys import AzureKeys

TIER_ACTIONS = {"infrequentAccess": "tier_to_cool", "archive": "tier_to_archive"}
MAX_SOFT_DELETE_DAYS = 365
"""Azure keeps deleted blobs and containers recoverable 1 to 365 days."""


def container_name(logical: str) -> str:
    """``mediaContent`` -> ``media-content`` (container names: lowercase letters, digits, hyphens)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", logical).lower()


def account_marker(logical: str) -> str:
    """The readable part of an account name that tells the buckets apart: ``mediaContent`` -> ``mediaco``."""
    return logical.lower()[:7]


def sku_name(bucket: Bucket) -> str:
    archived = any(t.storage_class == "archive" for t in bucket.transitions)
    return "Standard_GRS" if archived else "Standard_ZRS"


def lifecycle_rule(bucket: Bucket, cfg: Storage) -> dict[str, Any]:
    """Tiering and expiry of current blobs; old versions deleted ``noncurrentVersionExpireDays`` after
    they are superseded."""
    base_blob: dict[str, Any] = {
        TIER_ACTIONS[t.storage_class]: {"days_after_modification_greater_than": t.days} for t in bucket.transitions
    }
    if bucket.expire_days is not None:
        base_blob["delete"] = {"days_after_modification_greater_than": bucket.expire_days}
    return {
        "name": "lifecycle",
        "enabled": True,
        "type": "Lifecycle",
        "definition": {
            "filters": {"blob_types": ["blockBlob"]},
            "actions": {
                "base_blob": base_blob,
                "version": {"delete": {"days_after_creation_greater_than": cfg.noncurrent_version_expire_days}},
            },
        },
    }


class AzureObjectStore(ObjectStore):
    """Children: ResourceGroup; per bucket a ``storage.StorageAccount`` (stateful, locked where
    stateful resources are protected; HTTPS and TLS 1.2 only, no public blobs, no shared keys,
    firewall Deny + AzureServices), its ``BlobServiceProperties`` (versioning, soft delete of blobs
    and containers), one ``BlobContainer`` without public access and a ``ManagementPolicy``; for
    customer-managed buckets, one user-assigned identity granted Key Vault Crypto Service Encryption
    User on the storage key.

    Extra attributes: ``resource_group``, ``accounts`` and ``containers`` (per logical bucket),
    ``identity`` (None if no bucket uses the storage key).
    """

    def __init__(self, name: str, args: ObjectStoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        keys, cfg = sibling(args.keys, AzureKeys), args.storage
        self.tags = args.context.tags("storage")
        self.location = args.context.provider.region
        subscription = subscription_id(self)
        self.resource_group = resources.ResourceGroup(
            f"{name}-rg", location=self.location, tags=self.tags, opts=self.child()
        )
        self.identity: managedidentity.UserAssignedIdentity | None = None
        key_grant: pulumi.Resource | None = None
        if any(bucket.encryption == "customerManaged" for _, bucket in cfg.buckets.items()):
            self.identity = user_identity(self, f"{name}-cmk", self.resource_group, self.location, self.tags)
            key_grant = grant(
                self,
                f"{name}-cmk-grant",
                principal_id=self.identity.principal_id,
                role=KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
                scope=keys.keys["storage"].id,
                subscription=subscription,
                description="Blob storage wraps its account encryption keys with this key",
            )
        self.accounts: dict[str, storage.StorageAccount] = {}
        self.containers: dict[str, storage.BlobContainer] = {}
        for logical, bucket in cfg.buckets.items():
            prefix = f"{name}-{container_name(logical)}"
            account = self._account(prefix, logical, bucket, keys, subscription, key_grant)
            self.accounts[logical] = account
            self.containers[logical] = self._contents(prefix, logical, bucket, cfg, account)

        self._publish(
            bucket_names=pulumi.Output.all(**{logical: c.name for logical, c in self.containers.items()}),
            bucket_urls=pulumi.Output.all(
                **{
                    logical: pulumi.Output.concat(
                        self.accounts[logical].primary_endpoints.apply(lambda endpoints: endpoints.blob), c.name
                    )
                    for logical, c in self.containers.items()
                }
            ),
        )

    def _account(
        self,
        prefix: str,
        logical: str,
        bucket: Bucket,
        keys: AzureKeys,
        subscription: pulumi.Output[str],
        key_grant: pulumi.Resource | None,
    ) -> storage.StorageAccount:
        customer = bucket.encryption == "customerManaged"
        extra: dict[str, Any] = {}
        if customer:
            assert self.identity is not None
            extra["identity"] = {"type": "UserAssigned", "user_assigned_identities": [self.identity.id]}
        account = storage.StorageAccount(
            prefix,
            # Account names are global, lowercase, at most 24 characters: autonaming would overflow them.
            account_name=subscription.apply(lambda sub: global_name(self.name, account_marker(logical), sub)),
            resource_group_name=self.resource_group.name,
            location=self.location,
            kind="StorageV2",
            sku={"name": sku_name(bucket)},
            access_tier="Hot",
            enable_https_traffic_only=True,
            minimum_tls_version="TLS1_2",
            allow_blob_public_access=False,
            allow_shared_key_access=False,
            default_to_o_auth_authentication=True,
            allow_cross_tenant_replication=False,
            network_rule_set={"default_action": "Deny", "bypass": "AzureServices"},
            encryption=_encryption(customer, keys, self.identity),
            tags=self.tags,
            # A customer-key account checks its key at creation: the identity must hold the grant.
            opts=self.child(stateful=True, depends_on=[key_grant] if customer and key_grant else None),
            **extra,
        )
        delete_lock(self, f"{prefix}-lock", account, account.id, f"Holds the platform's {logical} objects")
        return account

    def _contents(
        self, prefix: str, logical: str, bucket: Bucket, cfg: Storage, account: storage.StorageAccount
    ) -> storage.BlobContainer:
        retention = {"enabled": True, "days": min(cfg.noncurrent_version_expire_days, MAX_SOFT_DELETE_DAYS)}
        storage.BlobServiceProperties(
            f"{prefix}-blob-service",
            resource_group_name=self.resource_group.name,
            account_name=account.name,
            blob_services_name="default",
            is_versioning_enabled=bucket.versioning,
            # Deleted blobs and containers stay recoverable as long as superseded versions are kept.
            delete_retention_policy=retention,
            container_delete_retention_policy=retention,
            opts=self.child(),
        )
        container = storage.BlobContainer(
            f"{prefix}-container",
            resource_group_name=self.resource_group.name,
            account_name=account.name,
            container_name=container_name(logical),
            public_access="None",
            opts=self.child(),
        )
        storage.ManagementPolicy(
            f"{prefix}-lifecycle",
            resource_group_name=self.resource_group.name,
            account_name=account.name,
            management_policy_name="default",
            policy={"rules": [lifecycle_rule(bucket, cfg)]},
            opts=self.child(),
        )
        return container


def _encryption(
    customer: bool, keys: AzureKeys, identity: managedidentity.UserAssignedIdentity | None
) -> dict[str, Any]:
    services = {"blob": {"enabled": True, "key_type": "Account"}, "file": {"enabled": True, "key_type": "Account"}}
    if not customer:
        return {"key_source": "Microsoft.Storage", "services": services}
    assert identity is not None
    vault: keyvault.Vault = keys.vault
    return {
        "key_source": "Microsoft.Keyvault",
        # No key version: the account follows the key's rotation by itself.
        "key_vault_properties": {
            "key_name": keys.keys["storage"].name,
            "key_vault_uri": vault.properties.apply(lambda props: props.vault_uri),
        },
        "encryption_identity": {"encryption_user_assigned_identity": identity.id},
        "services": services,
    }
