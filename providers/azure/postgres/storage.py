"""Storage of an Azure PostgreSQL flexible server from the neutral ``database.storage``.

- ``provisionedIops``: Premium SSD v2 (``PremiumV2_LRS``), which takes the configured size, IOPS
  and throughput as they are (1 GiB steps, up to 80,000 IOPS and 1,200 MB/s) and works with
  zone-redundant HA and geo-redundant backups in East US / West US. Preview on PostgreSQL; no
  long-term (vaulted) backups and no storage autogrow.
- ``generalPurpose``: Premium SSD (``Premium_LRS``) at the smallest size Azure offers that holds
  the configured size, at that size's own performance tier.
"""

from __future__ import annotations

from typing import Any

from bettafish.config.database import DatabaseStorage

PREMIUM_SSD_TIERS: tuple[tuple[int, str], ...] = (
    (32, "P4"),
    (64, "P6"),
    (128, "P10"),
    (256, "P15"),
    (512, "P20"),
    (1024, "P30"),
    (2048, "P40"),
    (4096, "P50"),
    (8192, "P60"),
    (16384, "P70"),
    (32767, "P80"),
)
"""The sizes (GiB) a flexible server accepts on Premium SSD, each with its baseline performance tier."""
VAULTED_BACKUP_MAX_GB = 1024
"""Azure Backup protects flexible servers of at most 1 TiB."""


def premium_ssd_size(size_gb: int) -> tuple[int, str]:
    """The smallest Premium SSD size holding ``size_gb``, and its tier."""
    for size, tier in PREMIUM_SSD_TIERS:
        if size >= size_gb:
            return size, tier
    raise ValueError(f"Premium SSD holds at most {PREMIUM_SSD_TIERS[-1][0]} GiB, got {size_gb}")


def server_storage(cfg: DatabaseStorage) -> dict[str, Any]:
    """The ``storage`` input of a flexible server (primary and replicas alike).

    Autogrow stays off: a disk Azure grows behind Pulumi's back drifts from the config, and the next
    update would try to shrink it, which Azure refuses.
    """
    if cfg.type == "provisionedIops":
        return {
            "type": "PremiumV2_LRS",
            "storage_size_gb": cfg.size_gb,
            "iops": cfg.iops,
            "throughput": cfg.throughput_mbps,
            "auto_grow": "Disabled",
        }
    size, tier = premium_ssd_size(cfg.size_gb)
    return {"type": "Premium_LRS", "storage_size_gb": size, "tier": tier, "auto_grow": "Disabled"}


def supports_vaulted_backup(cfg: DatabaseStorage) -> bool:
    """Azure Backup keeps long-term copies of Premium SSD servers up to 1 TiB, never of Premium SSD v2."""
    return cfg.type == "generalPurpose" and premium_ssd_size(cfg.size_gb)[0] <= VAULTED_BACKUP_MAX_GB
