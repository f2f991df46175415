"""Azure Keys: a Key Vault (RBAC, purge protection, soft delete, firewall) with one rotated RSA key
per purpose, and a second vault with a database key in the DR region when database backups are
copied there (geo-redundant backups of a customer-key encrypted server need a key in that region)."""

from __future__ import annotations

import pulumi
from pulumi_azure_native import keyvault, resources

from bettafish.config.encryption import Encryption
from components.keys import KEY_PURPOSES, KeyPurpose, Keys, KeysArgs
from providers.azure.common import delete_lock, global_name, subscription_id, tenant_id

KEY_TYPE = "RSA"
KEY_SIZE = 3072
"""RSA 2048, 3072 and 4096 are what PostgreSQL, Storage and Redis accept; 3072 is NIST's choice past 2030."""
KEY_OPS: dict[KeyPurpose, list[str]] = {
    "database": ["wrapKey", "unwrapKey"],
    "cache": ["wrapKey", "unwrapKey"],
    "storage": ["wrapKey", "unwrapKey"],
    # The AKS KMS plugin encrypts and decrypts the data encryption keys of Kubernetes secrets; the
    # cluster's disk encryption set wraps and unwraps those of node disks and volumes.
    "kubernetes": ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
    "logs": ["wrapKey", "unwrapKey"],
}
FOLLOWS_NEW_VERSIONS: frozenset[KeyPurpose] = frozenset({"database", "storage"})
"""Purposes whose service takes a versionless key URI and moves to each new version by itself
(PostgreSQL, Storage). Azure Managed Redis and the AKS KMS plugin pin one key version, so their
keys' versions must not expire: an expired version makes the cache (or the API server's secrets)
unreadable."""


def rotation_policy(purpose: KeyPurpose, enc: Encryption) -> dict[str, object]:
    """Rotate every ``keyRotationDays``; for keys whose consumers follow new versions, each version
    also expires ``keyDeletionWindowDays`` after its successor appears, with a notification then."""
    rotate = {"action": {"type": "rotate"}, "trigger": {"time_after_create": f"P{enc.key_rotation_days}D"}}
    if purpose not in FOLLOWS_NEW_VERSIONS:
        return {"lifetime_actions": [rotate]}
    window = enc.key_deletion_window_days
    return {
        "attributes": {"expiry_time": f"P{enc.key_rotation_days + window}D"},
        "lifetime_actions": [
            rotate,
            {"action": {"type": "notify"}, "trigger": {"time_before_expiry": f"P{window}D"}},
        ],
    }


class AzureKeys(Keys):
    """Children: ResourceGroup, Vault with a Key per purpose (all stateful), a CanNotDelete lock on
    each vault where stateful resources are protected; with a DR region, a second Vault there with a
    database Key.

    Extra attributes for sibling Azure components: ``resource_group``, ``vault``, ``keys`` (per
    purpose), ``dr_vault`` and ``dr_keys`` (``database`` only; empty without a DR region).
    """

    def __init__(self, name: str, args: KeysArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        ctx, enc = args.context, args.encryption
        self.tags = ctx.tags("keys")
        self.location = ctx.provider.region
        self._subscription = subscription_id(self)
        self._tenant = tenant_id(self)
        self.resource_group = resources.ResourceGroup(
            f"{name}-rg", location=self.location, tags=self.tags, opts=self.child()
        )
        self.vault = self._vault(f"{name}-vault", "", self.location, enc)
        self.keys: dict[KeyPurpose, keyvault.Key] = {
            purpose: self._key(f"{name}-{purpose}", self.vault, purpose, enc) for purpose in KEY_PURPOSES
        }
        self.dr_region = args.dr_region
        self.dr_vault: keyvault.Vault | None = None
        self.dr_keys: dict[KeyPurpose, keyvault.Key] = {}
        if args.dr_region:
            self.dr_vault = self._vault(f"{name}-dr-vault", "dr", args.dr_region, enc)
            self.dr_keys["database"] = self._key(f"{name}-dr-database", self.dr_vault, "database", enc)

        self._publish(key_ids=pulumi.Output.all(**{purpose: key.key_uri for purpose, key in self.keys.items()}))

    def _vault(self, vault_name: str, marker: str, location: str, enc: Encryption) -> keyvault.Vault:
        vault = keyvault.Vault(
            vault_name,
            # Vault names are global and at most 24 characters: autonaming would overflow them.
            vault_name=self._subscription.apply(lambda sub: global_name(self.name, marker, sub)),
            resource_group_name=self.resource_group.name,
            location=location,
            properties={
                "tenant_id": self._tenant,
                "sku": {"family": "A", "name": "standard"},
                "enable_rbac_authorization": True,
                "enable_soft_delete": True,
                "soft_delete_retention_in_days": enc.key_deletion_window_days,
                "enable_purge_protection": True,
                # Services reach their keys as trusted Azure services; nothing else gets through.
                "network_acls": {"default_action": "Deny", "bypass": "AzureServices"},
            },
            tags=self.tags,
            opts=self.child(stateful=True),
        )
        delete_lock(self, f"{vault_name}-lock", vault, vault.id, "Holds the platform's encryption keys")
        return vault

    def _key(self, key_name: str, vault: keyvault.Vault, purpose: KeyPurpose, enc: Encryption) -> keyvault.Key:
        return keyvault.Key(
            key_name,
            resource_group_name=self.resource_group.name,
            vault_name=vault.name,
            properties={
                "kty": KEY_TYPE,
                "key_size": KEY_SIZE,
                "key_ops": KEY_OPS[purpose],
                "rotation_policy": rotation_policy(purpose, enc),
            },
            tags=self.tags,
            opts=self.child(stateful=True),
        )
