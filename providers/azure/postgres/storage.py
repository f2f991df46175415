"""Storage of an Azure PostgreSQL flexible server from the neutral ``database.storage``.

Always Premium SSD (``Premium_LRS``), at the smallest size Azure offers that holds the configured
size. Premium SSD v2 would take any size, IOPS and throughput, but a flexible server on it supports
no customer-managed key (security rule 2), and zone-redundant HA, read replicas and geo-redundant
backups only in a few regions, in preview; nor long-term (vaulted) backups or storage autogrow.
So ``provisionedIops`` (and any ``iops``/``throughputMbps``) becomes a Premium SSD performance tier
above the size's own (``bettafish.config.azure_disks``); the config check rejects what no tier of
that size reaches, and what the primary's machine could not use.
"""

from __future__ import annotations

from typing import Any

from bettafish.config.azure_disks import VAULTED_BACKUP_MAX_GIB, PremiumSsd, premium_ssd
from bettafish.config.database import DatabaseStorage


def server_disk(cfg: DatabaseStorage) -> PremiumSsd:
    disk = premium_ssd(cfg.size_gb, cfg.iops, cfg.throughput_mbps)
    if disk is None:  # the config check names the key first
        raise ValueError(f"no Premium SSD tier gives {cfg.size_gb} GB with {cfg.iops} IOPS, {cfg.throughput_mbps} MB/s")
    return disk


def server_storage(cfg: DatabaseStorage) -> dict[str, Any]:
    """The ``storage`` input of a flexible server (primary and replicas alike).

    Autogrow stays off: a disk Azure grows behind Pulumi's back drifts from the config, and the next
    update would try to shrink it, which Azure refuses.
    """
    disk = server_disk(cfg)
    return {"type": "Premium_LRS", "storage_size_gb": disk.size_gib, "tier": disk.tier.name, "auto_grow": "Disabled"}


def supports_vaulted_backup(cfg: DatabaseStorage) -> bool:
    """Azure Backup keeps long-term copies of Premium SSD servers up to 1 TiB."""
    return server_disk(cfg).size_gib <= VAULTED_BACKUP_MAX_GIB
