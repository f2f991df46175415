"""The disks an Azure PostgreSQL flexible server can have together with a customer-managed key,
zone-redundant high availability, geo-redundant backups and read replicas: Premium SSD only.

Premium SSD v2, the disk that takes any IOPS and throughput, supports none of those on a flexible
server (customer-managed keys never; high availability, replicas and geo-redundant backups only in
a few regions, in preview) and no long-term (vaulted) backups. So provisioned IOPS become a Premium
SSD *performance tier* above the disk size's own: Azure lets a disk of up to 4 TiB run at any tier
up to P50, and a disk of 8 or 16 TiB at any tier up to P80, without changing its size.

Facts, not settings: both the config checks and ``providers.azure.postgres.storage`` read them.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PremiumSsdTier:
    name: str
    size_gib: int
    """The disk size whose baseline this tier is (the sizes a flexible server accepts)."""
    iops: int
    throughput_mbps: int


PREMIUM_SSD_TIERS: tuple[PremiumSsdTier, ...] = (
    PremiumSsdTier("P4", 32, 120, 25),
    PremiumSsdTier("P6", 64, 240, 50),
    PremiumSsdTier("P10", 128, 500, 100),
    PremiumSsdTier("P15", 256, 1100, 125),
    PremiumSsdTier("P20", 512, 2300, 150),
    PremiumSsdTier("P30", 1024, 5000, 200),
    PremiumSsdTier("P40", 2048, 7500, 250),
    PremiumSsdTier("P50", 4096, 7500, 250),
    PremiumSsdTier("P60", 8192, 16000, 500),
    PremiumSsdTier("P70", 16384, 18000, 750),
    PremiumSsdTier("P80", 32767, 20000, 900),
)
"""Premium SSD sizes and their provisioned performance (Azure managed disks)."""
VAULTED_BACKUP_MAX_GIB = 1024
"""Azure Backup keeps long-term (vaulted) backups of flexible servers of at most 1 TiB."""
HIGHEST_TIER_BY_SIZE: tuple[tuple[int, str], ...] = ((4096, "P50"), (32767, "P80"))
"""The highest performance tier a disk of up to this many GiB can run at."""


@dataclass(frozen=True)
class PremiumSsd:
    size_gib: int
    tier: PremiumSsdTier
    """The performance tier: the size's baseline, or the lowest higher tier that gives what is asked."""


def premium_ssd_baseline(size_gb: int) -> PremiumSsdTier | None:
    """The smallest Premium SSD size holding ``size_gb`` (its baseline tier), None above 32 TiB."""
    return next((tier for tier in PREMIUM_SSD_TIERS if tier.size_gib >= size_gb), None)


def premium_ssd_ceiling(baseline: PremiumSsdTier) -> PremiumSsdTier:
    """The highest tier a disk of the baseline's size can run at."""
    name = next(top for size, top in HIGHEST_TIER_BY_SIZE if baseline.size_gib <= size)
    return next(tier for tier in PREMIUM_SSD_TIERS if tier.name == name)


def premium_ssd(size_gb: int, iops: int | None, throughput_mbps: int | None) -> PremiumSsd | None:
    """The disk for ``size_gb`` at the lowest performance tier that gives ``iops`` and
    ``throughput_mbps`` (the baseline when neither is asked), or None when no tier allowed for that
    size does."""
    baseline = premium_ssd_baseline(size_gb)
    if baseline is None:
        return None
    first, last = PREMIUM_SSD_TIERS.index(baseline), PREMIUM_SSD_TIERS.index(premium_ssd_ceiling(baseline))
    for tier in PREMIUM_SSD_TIERS[first : last + 1]:
        if tier.iops >= (iops or 0) and tier.throughput_mbps >= (throughput_mbps or 0):
            return PremiumSsd(baseline.size_gib, tier)
    return None
