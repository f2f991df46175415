"""Rules 29 and 40: key hygiene (rotation, deletion window, purge protection) and keys in hardware
with rotation and expiry."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bettafish.policy.model import Finding, Resource, as_list, is_set, number
from bettafish.policy.rule import Rule, Setting
from bettafish.policy.rules.common import days
from bettafish.policy.tokens import CK, KMS, KV, KV_KEY


def _rotates(kms_key: Resource) -> bool:
    """Whether KMS can rotate the key: only symmetric encryption keys rotate automatically (an
    asymmetric signing key, as Route 53 DNSSEC needs, is rolled over by its protocol instead, and
    KMS refuses EnableKeyRotation on it)."""
    spec: object = kms_key.get("customerMasterKeySpec", "SYMMETRIC_DEFAULT")
    return spec == "SYMMETRIC_DEFAULT"


HYGIENE = Rule(
    29,
    "key-hygiene",
    "Key rotation, deletion window, purge protection",
    settings={
        "maximumRotationDays": Setting(90, "days between rotations at most"),
        "minimumDeletionWindowDays": Setting(30, "days a deleted key can still be recovered"),
    },
)


@HYGIENE.on(KMS, CK, KV)
def _hygiene(key: Resource, config: Mapping[str, Any]) -> Iterator[Finding]:
    rotation, window = config["maximumRotationDays"], config["minimumDeletionWindowDays"]
    if key.type == KMS:
        if _rotates(key) and key.get("enableKeyRotation") is not True:
            yield Finding("enableKeyRotation", "must be true")
        period = number(key.get("rotationPeriodInDays"))
        if period is not None and period > rotation:
            yield Finding("rotationPeriodInDays", f"must be at most {rotation}")
        if (number(key.get("deletionWindowInDays")) or 0) < window:
            yield Finding("deletionWindowInDays", f"must be at least {window}")
    elif key.type == CK:
        period = days(key.get("rotationPeriod"))
        if period is None or period > rotation:
            yield Finding("rotationPeriod", f"must rotate at least every {rotation} days")
        destroy = days(key.get("destroyScheduledDuration"))
        if destroy is not None and destroy < window:
            yield Finding("destroyScheduledDuration", f"must be at least {window} days")
    else:
        if key.get("properties.enablePurgeProtection") is not True:
            yield Finding("properties.enablePurgeProtection", "must be true")
        if key.get("properties.enableRbacAuthorization") is not True:
            yield Finding("properties.enableRbacAuthorization", "must be true (Azure RBAC, not access policies)")
        if key.get("properties.enableSoftDelete") is False:
            yield Finding("properties.enableSoftDelete", "must not be false")
        kept = number(key.get("properties.softDeleteRetentionInDays"))
        if kept is not None and kept < window:
            yield Finding("properties.softDeleteRetentionInDays", f"must be at least {window}")


HARDWARE = Rule(
    40,
    "keys-in-hardware",
    "Keys in hardware where offered, with rotation and expiry",
    settings={"requireHardware": Setting(True, "keys in an HSM (the spec asks it of prod)")},
)
ROTATE = "rotate"


@HARDWARE.on(KMS, CK, KV, KV_KEY)
def _hardware(key: Resource, config: Mapping[str, Any]) -> Iterator[Finding]:
    hardware = config["requireHardware"]
    if key.type == KMS:
        # KMS keys live in FIPS 140 HSMs; the only choice is a custom key store, which this rule allows.
        if _rotates(key) and key.get("enableKeyRotation") is not True:
            yield Finding("enableKeyRotation", "must be true")
    elif key.type == CK:
        if hardware and key.get("versionTemplate.protectionLevel") != "HSM":
            yield Finding("versionTemplate.protectionLevel", 'must be "HSM"')
        if not is_set(key.get("rotationPeriod")):
            yield Finding("rotationPeriod", "must be set")
    elif key.type == KV:
        if hardware and key.get("properties.sku.name") != "premium":
            yield Finding("properties.sku.name", 'must be "premium" (HSM-backed keys)')
    else:
        if hardware and not str(key.get("properties.kty", "")).endswith("-HSM"):
            yield Finding("properties.kty", "must be RSA-HSM or EC-HSM")
        policy = key.get("properties.rotationPolicy") or {}
        actions = [str((a.get("action") or {}).get("type")).lower() for a in as_list(policy.get("lifetimeActions"))]
        if ROTATE not in actions:
            yield Finding("properties.rotationPolicy.lifetimeActions", "must rotate the key")
        if is_set(key.get("tags.versionPinnedBy")):
            return  # its consumer pins a version, which must never expire (the tag names the consumer)
        if not is_set((policy.get("attributes") or {}).get("expiryTime")):
            yield Finding("properties.rotationPolicy.attributes.expiryTime", "must give rotated versions an expiry")
        if not is_set(key.get("properties.attributes.expires")):
            yield Finding("properties.attributes.expires", "must give the first version an expiry")


RULES = (HYGIENE, HARDWARE)
