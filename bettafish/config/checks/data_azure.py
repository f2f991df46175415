"""What Azure's data tier can honour: PostgreSQL flexible server and Azure Managed Redis."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.azure_disks import (
    VAULTED_BACKUP_MAX_GIB,
    premium_ssd_baseline,
    premium_ssd_ceiling,
)
from bettafish.config.catalog import resolve
from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.stack import StackConfig


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def azure_database(cfg: StackConfig) -> Iterator[Issue]:
    db = cfg.database
    if db.port != 5432:
        yield Issue(_key("database.port"), "azure flexible servers listen on 5432 only")
    if db.backup.retention_days < 7:
        yield Issue(_key("database.backup.retentionDays"), "azure keeps automated backups 7 to 35 days")
    if not db.backup.point_in_time_recovery:
        yield Issue(_key("database.backup.pointInTimeRecovery"), "azure always keeps point-in-time recovery; set true")
    yield from _azure_storage(cfg)
    burstable = [
        path
        for path, size in (("size", db.size), ("readReplicas.size", db.read_replicas.size))
        if resolve("database", "azure", size).family == "burstable"
    ]
    if burstable and (db.high_availability or db.read_replicas.count):
        yield Issue(
            _key(f"database.{burstable[0]}"),
            "azure Burstable servers take no high availability and no read replicas",
        )
    start, end = db.maintenance_window.split("-")
    if start[:3] != end[:3] or _minutes(end[4:]) - _minutes(start[4:]) != 60:
        yield Issue(_key("database.maintenanceWindow"), "azure takes a one-hour window within one day")
    if db.monitoring.enhanced_monitoring_interval_seconds not in (0, 60):
        yield Issue(
            _key("database.monitoring.enhancedMonitoringIntervalSeconds"),
            "azure monitors every 60 seconds; use 0 or 60",
        )
    if db.monitoring.performance_insights and db.monitoring.performance_insights_retention_days > 30:
        yield Issue(
            _key("database.monitoring.performanceInsightsRetentionDays"), "azure Query Store keeps at most 30 days"
        )


def _azure_storage(cfg: StackConfig) -> Iterator[Issue]:
    """The disk is Premium SSD at a performance tier (``bettafish.config.azure_disks``), and the
    primary's own machine caps the IOPS and throughput it can use."""
    db = cfg.database
    storage = db.storage
    baseline = premium_ssd_baseline(storage.size_gb)
    if baseline is None:
        yield Issue(_key("database.storage.sizeGb"), "azure Premium SSD holds at most 32767 GiB")
        return
    ceiling = premium_ssd_ceiling(baseline)
    why = (
        "azure flexible servers with a customer-managed key, high availability, geo-redundant backups or"
        f" read replicas need Premium SSD (Premium SSD v2 takes none of them), and a {baseline.size_gib} GiB"
        f" Premium SSD reaches at most tier {ceiling.name}: {ceiling.iops} IOPS and {ceiling.throughput_mbps} MB/s"
    )
    if (storage.iops or 0) > ceiling.iops:
        yield Issue(_key("database.storage.iops"), why)
    if (storage.throughput_mbps or 0) > ceiling.throughput_mbps:
        yield Issue(_key("database.storage.throughputMbps"), why)
    # The primary's machine caps what it can use; smaller replicas serve less from the same disk.
    row = resolve("database", "azure", db.size)
    if row.max_iops is not None and (storage.iops or 0) > row.max_iops:
        yield Issue(_key("database.storage.iops"), f"azure {row.type} serves at most {row.max_iops} IOPS from its disk")
    if row.max_throughput_mbps is not None and (storage.throughput_mbps or 0) > row.max_throughput_mbps:
        yield Issue(
            _key("database.storage.throughputMbps"),
            f"azure {row.type} serves at most {row.max_throughput_mbps} MB/s from its disk",
        )
    if db.snapshots.retention_days > db.backup.retention_days and baseline.size_gib > VAULTED_BACKUP_MAX_GIB:
        yield Issue(
            _key("database.snapshots.retentionDays"),
            "azure keeps snapshots beyond the automated backups only through Azure Backup, which protects"
            f" flexible servers of at most {VAULTED_BACKUP_MAX_GIB} GiB (this one has {baseline.size_gib} GiB);"
            " keep them within database.backup.retentionDays (cloudOverrides.azure)",
        )


def azure_cache(cfg: StackConfig) -> Iterator[Issue]:
    cache = cfg.cache
    if cache.port != 10000:
        yield Issue(_key("cache.port"), "azure Managed Redis serves on 10000 only (cloudOverrides.azure)")
    if cache.replicas_per_shard >= 1 and not (cache.automatic_failover and cache.multi_az):
        yield Issue(
            _key("cache.automaticFailover"),
            "azure high-availability caches always fail over across zones; set automaticFailover and multiAz",
        )
    if cache.snapshots.retention_days != 0:
        yield Issue(
            _key("cache.snapshots.retentionDays"),
            "azure Managed Redis keeps no backup history (hourly persistence only); set 0 (cloudOverrides.azure)",
        )
