"""Azure Keys: a Key Vault (RBAC, purge protection, soft delete, firewall) with one rotated RSA key
per purpose, and a second vault with a database key in the DR region when database backups are
copied there (geo-redundant backups of a customer-key encrypted server need a key in that region).

``encryption.protectionLevel: hsm`` makes the vaults Premium and the keys RSA-HSM (security rule 40):
key material generated and kept in FIPS 140 validated HSMs. Every consumer here takes RSA-HSM keys
of 2048, 3072 or 4096 bits: PostgreSQL flexible server and Azure Storage document RSA and RSA-HSM;
Azure Managed Redis documents "RSA keys" (RSA-HSM is an RSA key held in an HSM); the AKS KMS plugin
documents HSM-protected keys.
"""

from __future__ import annotations

import pulumi
import pulumiverse_time as time
from pulumi_azure_native import keyvault, resources

from bettafish.config.encryption import Encryption
from components.keys import KEY_PURPOSES, KeyPurpose, Keys, KeysArgs
from providers.azure.common import delete_lock, subscription_id, tenant_id, unique_name

KEY_TYPE = {"hsm": "RSA-HSM", "software": "RSA"}
VAULT_SKU = {"hsm": "premium", "software": "standard"}
"""Only Premium vaults hold HSM-protected keys."""
KEY_SIZE = 3072
"""RSA 2048, 3072 and 4096 are what PostgreSQL, Storage and Redis accept; 3072 is NIST's choice past 2030."""
KEY_OPS: dict[KeyPurpose, list[str]] = {
    "database": ["wrapKey", "unwrapKey"],
    "cache": ["wrapKey", "unwrapKey"],
    "storage": ["wrapKey", "unwrapKey"],
    # The AKS KMS plugin encrypts and decrypts the data encryption keys of Kubernetes secrets; the
    # cluster's disk encryption set wraps and unwraps those of node disks and volumes.
    "kubernetes": ["encrypt", "decrypt", "wrapKey", "unwrapKey"],
    # Storage accounts that hold logs (flow logs, storage access logs) wrap their account keys.
    "logs": ["wrapKey", "unwrapKey"],
}
VERSION_PINNED_BY: dict[KeyPurpose, str] = {"cache": "Azure Managed Redis", "kubernetes": "AKS KMS plugin"}
"""Consumers that pin a key version: Azure Managed Redis takes versioned key URLs only and the AKS
KMS plugin pins a version too. Those keys' versions never expire, since an expired version would
make the cache (or the cluster's secrets) unreadable; each is tagged ``versionPinnedBy`` with its
consumer, so the policy pack's rule 40 asks it for rotation but not for an expiry."""
FOLLOWS_NEW_VERSIONS: frozenset[KeyPurpose] = frozenset(KEY_PURPOSES) - VERSION_PINNED_BY.keys()
"""Purposes whose services take a versionless key URI and move to each new version by themselves:
PostgreSQL flexible server (automatic key version updates, GA in 2025) and Azure Storage (which
checks for a new version daily), for the data and for the log accounts. Their versions expire a
deletion window after the next rotation."""


def expiry_days(enc: Encryption) -> int:
    """A version expires one deletion window after its successor appears."""
    return enc.key_rotation_days + enc.key_deletion_window_days


def rotation_policy(purpose: KeyPurpose, enc: Encryption) -> dict[str, object]:
    """Rotate every ``keyRotationDays``; for keys whose consumers follow new versions, each new
    version also expires ``expiry_days`` after it is made, with a notification a deletion window
    before. Key Vault applies ``expiryTime`` to versions made by rotation only."""
    rotate = {"action": {"type": "rotate"}, "trigger": {"time_after_create": f"P{enc.key_rotation_days}D"}}
    if purpose not in FOLLOWS_NEW_VERSIONS:
        return {"lifetime_actions": [rotate]}
    return {
        "attributes": {"expiry_time": f"P{expiry_days(enc)}D"},
        "lifetime_actions": [
            rotate,
            {"action": {"type": "notify"}, "trigger": {"time_before_expiry": f"P{enc.key_deletion_window_days}D"}},
        ],
    }


class AzureKeys(Keys):
    """Children: ResourceGroup, Vault (named with a random suffix) with a Key per purpose (all
    stateful), a CanNotDelete lock on each vault where stateful resources are protected; with a DR
    region, a second Vault there with a database Key. The first version of each key whose consumer
    follows new versions expires at an ``Offset`` (pulumiverse-time) from its creation, since the
    rotation policy's expiry reaches only the versions that rotation makes.

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
            # Global, at most 24 characters, and reserved after deletion for the soft-delete retention.
            vault_name=unique_name(self, vault_name, f"kv{marker}"),
            resource_group_name=self.resource_group.name,
            location=location,
            properties={
                "tenant_id": self._tenant,
                "sku": {"family": "A", "name": VAULT_SKU[enc.protection_level]},
                "enable_rbac_authorization": True,
                "enable_soft_delete": True,
                "soft_delete_retention_in_days": enc.key_deletion_window_days,
                "enable_purge_protection": True,
                # Services reach their keys as trusted Azure services, workloads the secrets through
                # the private endpoint (providers.azure.private_endpoints); nothing else gets through.
                "network_acls": {"default_action": "Deny", "bypass": "AzureServices"},
            },
            tags=self.tags,
            opts=self.child(stateful=True),
        )
        delete_lock(self, f"{vault_name}-lock", vault, vault.id, "Holds the platform's encryption keys")
        return vault

    def _key(self, key_name: str, vault: keyvault.Vault, purpose: KeyPurpose, enc: Encryption) -> keyvault.Key:
        properties: dict[str, object] = {
            "kty": KEY_TYPE[enc.protection_level],
            "key_size": KEY_SIZE,
            "key_ops": KEY_OPS[purpose],
            "rotation_policy": rotation_policy(purpose, enc),
        }
        ignored: list[str] = []
        if purpose in FOLLOWS_NEW_VERSIONS:
            expiry = time.Offset(f"{key_name}-expiry", offset_days=expiry_days(enc), opts=self.child())
            properties["attributes"] = {"expires": expiry.unix}
            # Key Vault reports the newest version's attributes: after a rotation, the first version's
            # expiry is history, not a change to make (and ARM never updates an existing key).
            ignored.append("properties.attributes.expires")
        return keyvault.Key(
            key_name,
            resource_group_name=self.resource_group.name,
            vault_name=vault.name,
            properties=properties,
            tags=self.tags | ({"versionPinnedBy": VERSION_PINNED_BY[purpose]} if purpose in VERSION_PINNED_BY else {}),
            opts=self.child(stateful=True, ignore_changes=ignored or None),
        )
