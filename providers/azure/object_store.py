"""Azure ObjectStore: one storage account per logical bucket (each bucket has its own encryption and
lifecycle, which Azure sets per account), holding one private container.

Accounts are geo-zone-redundant (``Standard_GZRS``: three zones here, a copy in the paired region,
the user data's disaster-recovery copy), except those whose lifecycle moves blobs to the archive
tier: Azure offers archive only on LRS/GRS accounts, so those are geo-redundant (``Standard_GRS``).
Azure has no multipart uploads: blocks staged and never committed are discarded by Azure after
seven days, which is what ``abortIncompleteUploadDays`` asks for.

The bucket accounts take no public network traffic at all: the workloads reach each one's blob
service through a private endpoint in the VNet (security rule 37), and every blob operation is
logged to the access-log account (``providers.azure.access_logs``, security rule 39).
"""

from __future__ import annotations

import re
from typing import Any

import pulumi
from pulumi_azure_native import resources, storage

from bettafish.config.storage import Bucket, Storage
from components.base import sibling
from components.keys import KeyPurpose
from components.object_store import ObjectStore, ObjectStoreArgs
from providers.azure.access_logs import access_log_account, log_access
from providers.azure.common import (
    KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
    MICROSOFT_MANAGED_ENCRYPTION,
    delete_lock,
    global_name,
    grant,
    private_dns_zone,
    storage_encryption,
    subscription_id,
    user_identity,
)
from providers.azure.keys import AzureKeys
from providers.azure.private_endpoints import BLOB_GROUP, BLOB_ZONE, private_endpoint
from providers.azure.vpc import AzureVpc

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
    return "Standard_GRS" if archived else "Standard_GZRS"


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
    """Children: ResourceGroup; one user-assigned identity granted Key Vault Crypto Service Encryption
    User on the logs key (the access-log account) and, when a bucket is customer-managed, on the
    storage key; the access-log account (stateful, ``providers.azure.access_logs``); the
    ``privatelink.blob.core.windows.net`` zone linked to the VNet; per bucket a
    ``storage.StorageAccount`` (stateful, locked where stateful resources are protected; HTTPS and TLS
    1.2 only, no public blobs, no shared keys, no public network access), its ``BlobServiceProperties``
    (versioning, soft delete of blobs and containers), one ``BlobContainer`` without public access, a
    ``ManagementPolicy``, a blob private endpoint with its zone group and the diagnostic setting that
    logs every blob operation.

    Extra attributes: ``resource_group``, ``accounts``, ``containers`` and ``endpoints`` (per logical
    bucket), ``identity``, ``access_logs`` (the access-log account), ``dns_zone``.
    """

    def __init__(self, name: str, args: ObjectStoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        vpc, keys, cfg = sibling(args.vpc, AzureVpc), sibling(args.keys, AzureKeys), args.storage
        self.tags = args.context.tags("storage")
        self.location = args.context.provider.region
        subscription = subscription_id(self)
        self.resource_group = resources.ResourceGroup(
            f"{name}-rg", location=self.location, tags=self.tags, opts=self.child()
        )
        self.identity = user_identity(self, f"{name}-cmk", self.resource_group, self.location, self.tags)
        logs_grant = self._key_grant(f"{name}-logs-grant", keys, "logs", subscription, "access logs")
        storage_grant = (
            self._key_grant(f"{name}-cmk-grant", keys, "storage", subscription, "customer-managed buckets")
            if any(bucket.encryption == "customerManaged" for _, bucket in cfg.buckets.items())
            else None
        )
        self.access_logs = access_log_account(
            self,
            f"{name}-access-logs",
            cfg,
            keys,
            self.identity,
            logs_grant,
            self.resource_group,
            self.location,
            subscription,
            self.tags,
        )
        self.dns_zone, _ = private_dns_zone(
            self, f"{name}-blob", BLOB_ZONE, self.resource_group, vpc.vnet.id, self.tags
        )
        self.accounts: dict[str, storage.StorageAccount] = {}
        self.containers: dict[str, storage.BlobContainer] = {}
        self.endpoints: dict[str, pulumi.Resource] = {}
        for logical, bucket in cfg.buckets.items():
            prefix = f"{name}-{container_name(logical)}"
            account = self._account(prefix, logical, bucket, keys, subscription, storage_grant)
            self.accounts[logical] = account
            self.containers[logical] = self._contents(prefix, logical, bucket, cfg, account)
            self.endpoints[logical] = private_endpoint(
                self,
                f"{prefix}-endpoint",
                subnet_id=vpc.endpoint_subnet_id,
                rg=self.resource_group,
                location=self.location,
                target_id=account.id,
                group=BLOB_GROUP,
                zone=self.dns_zone,
                tags=self.tags,
            )
            log_access(self, f"{prefix}-access-logs", account, self.access_logs)

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

    def _key_grant(
        self, grant_name: str, keys: AzureKeys, purpose: KeyPurpose, subscription: pulumi.Output[str], what: str
    ) -> pulumi.Resource:
        assignment: pulumi.Resource = grant(
            self,
            grant_name,
            principal_id=self.identity.principal_id,
            role=KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
            scope=keys.keys[purpose].id,
            subscription=subscription,
            description=f"Blob storage wraps the account keys of the {what} with this key",
        )
        return assignment

    def _account(
        self,
        prefix: str,
        logical: str,
        bucket: Bucket,
        keys: AzureKeys,
        subscription: pulumi.Output[str],
        key_grant: pulumi.Resource | None,
    ) -> storage.StorageAccount:
        extra: dict[str, Any] = {"encryption": MICROSOFT_MANAGED_ENCRYPTION}
        depends_on: list[pulumi.Resource] = []
        if bucket.encryption == "customerManaged":
            assert key_grant is not None, "a customer-managed bucket needs the storage key grant"
            extra = {
                "identity": {"type": "UserAssigned", "user_assigned_identities": [self.identity.id]},
                "encryption": storage_encryption(keys.vault, keys.keys["storage"], self.identity),
            }
            # A customer-key account checks its key at creation: the identity must hold the grant.
            depends_on.append(key_grant)
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
            # Only the private endpoint reaches the data; no Azure service needs the public side.
            public_network_access="Disabled",
            network_rule_set={"default_action": "Deny", "bypass": "None"},
            tags=self.tags,
            opts=self.child(stateful=True, depends_on=depends_on or None),
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
