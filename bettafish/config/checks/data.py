"""Data-tier checks: what each cloud's keys, PostgreSQL, Redis and object storage can honour."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.catalog import resolve
from bettafish.config.checks.data_azure import azure_cache, azure_database
from bettafish.config.checks.issue import Issue, camel
from bettafish.config.checks.issue import key as _key
from bettafish.config.network import CLOUDWATCH_RETENTION_DAYS
from bettafish.config.stack import StackConfig

BACKUP_RETENTION_LIMIT = {"aws": 35, "gcp": 365, "azure": 35}
PITR_LIMIT = {"aws": 35, "gcp": 35, "azure": 35}
REPLICAS_PER_SHARD_LIMIT = {"aws": 5, "gcp": 2, "azure": 1}
"""ElastiCache: 5 replicas per node group; Memorystore Cluster: 2; Azure Managed Redis: HA is one replica."""
GCP_MAX_ROTATION_DAYS = 90
"""Security rule 29 (CKV_GCP_43)."""
GCP_LOG_BUCKET_RETENTION_DAYS = 3650
"""Cloud Logging keeps a log bucket's entries 1 to 3650 days (the Cloud SQL logs' bucket on GCP)."""
AZURE_PAIRED_REGIONS = {
    "eastus": "westus",
    "westus": "eastus",
    "eastus2": "centralus",
    "centralus": "eastus2",
    "westus2": "westcentralus",
    "westcentralus": "westus2",
    "westus3": "eastus",
    "northeurope": "westeurope",
    "westeurope": "northeurope",
    "uksouth": "ukwest",
    "ukwest": "uksouth",
    "southeastasia": "eastasia",
    "eastasia": "southeastasia",
    "japaneast": "japanwest",
    "japanwest": "japaneast",
}
"""Azure copies geo-redundant backups to the region's pair and nowhere else."""


def _minutes(hhmm: str) -> int:
    hours, minutes = hhmm.split(":")
    return int(hours) * 60 + int(minutes)


def _overlap(daily: str, weekly: str) -> bool:
    """Whether a weekly ``ddd:HH:MM-ddd:HH:MM`` window meets a daily ``HH:MM-HH:MM`` window on its day."""
    start, end = (_minutes(part.split(":", 1)[1]) for part in weekly.split("-"))
    daily_start, daily_end = (_minutes(part) for part in daily.split("-"))
    return start < daily_end and daily_start < end


def check_encryption(cfg: StackConfig) -> Iterator[Issue]:
    days = cfg.encryption.key_rotation_days
    if cfg.cloud == "gcp" and days > GCP_MAX_ROTATION_DAYS:
        yield Issue(
            _key("encryption.keyRotationDays"), f"gcp keys must rotate at least every {GCP_MAX_ROTATION_DAYS} days"
        )


def check_database(cfg: StackConfig) -> Iterator[Issue]:
    db, cloud = cfg.database, cfg.cloud
    backup = db.backup
    if backup.retention_days > BACKUP_RETENTION_LIMIT[cloud]:
        yield Issue(
            _key("database.backup.retentionDays"),
            f"{cloud} keeps automated backups at most {BACKUP_RETENTION_LIMIT[cloud]} days",
        )
    if backup.log_retention_days > min(PITR_LIMIT[cloud], backup.retention_days):
        yield Issue(_key("database.backup.logRetentionDays"), "cannot exceed retentionDays (nor 35 days)")
    if cfg.disaster_recovery.recovery_point.database_minutes < 24 * 60 and not backup.point_in_time_recovery:
        yield Issue(
            _key("database.backup.pointInTimeRecovery"), "a database RPO under a day needs point-in-time recovery"
        )
    if cloud == "aws" and _overlap(backup.window, db.maintenance_window):
        yield Issue(_key("database.maintenanceWindow"), "aws needs it apart from database.backup.window")
    if cloud == "aws" and db.storage.type == "provisionedIops" and db.storage.iops is not None:
        if db.storage.size_gb < 100 or db.storage.iops > 50 * db.storage.size_gb:
            yield Issue(_key("database.storage.iops"), "aws io1 needs at least 100 GB and at most 50 IOPS per GB")
        if db.storage.throughput_mbps is not None and db.storage.iops // 4 < db.storage.throughput_mbps:
            yield Issue(
                _key("database.storage.throughputMbps"),
                "aws io1 throughput follows IOPS (256 KiB each); raise iops to at least 4 x throughputMbps",
            )
    if cloud == "aws":
        yield from _aws_database(cfg)
    if cloud == "gcp":
        yield from _gcp_database(cfg)
    if cloud == "azure":
        yield from azure_database(cfg)
    copy = db.cross_region_copy
    if not copy.enabled:
        return
    path = _key(f"database.crossRegionCopy.regions.{cloud}")
    target = copy.regions.get(cloud)
    if target is None:
        yield Issue(path, f"required when bettafish:cloud is {cloud}")
    elif target == cfg.provider.region:
        yield Issue(path, "must differ from the primary region")
    elif cloud == "azure" and AZURE_PAIRED_REGIONS.get(cfg.provider.region, target) != target:
        pair = AZURE_PAIRED_REGIONS[cfg.provider.region]
        yield Issue(path, f"azure copies geo-redundant backups to the paired region {pair} only")


def _aws_database(cfg: StackConfig) -> Iterator[Issue]:
    db = cfg.database
    retention = db.monitoring.performance_insights_retention_days
    if db.monitoring.performance_insights and not (retention in (7, 731) or retention % 31 == 0):
        yield Issue(
            _key("database.monitoring.performanceInsightsRetentionDays"),
            "aws keeps Performance Insights 7 days, a multiple of 31, or 731",
        )
    storage = db.storage
    if storage.type == "generalPurpose" and (storage.iops or storage.throughput_mbps):
        if storage.size_gb < 400:
            yield Issue(_key("database.storage.sizeGb"), "aws gp3 takes iops and throughput only from 400 GB")
        if storage.iops is not None and not 12000 <= storage.iops <= 64000:
            yield Issue(_key("database.storage.iops"), "aws gp3 takes 12000 to 64000 IOPS")
        if storage.throughput_mbps is not None and not 500 <= storage.throughput_mbps <= 4000:
            yield Issue(_key("database.storage.throughputMbps"), "aws gp3 takes 500 to 4000 MB/s")
    if not db.backup.point_in_time_recovery:
        yield Issue(
            _key("database.backup.pointInTimeRecovery"),
            "aws RDS always keeps point-in-time recovery while backups are on; set true",
        )
    days = cfg.monitoring.log_retention.database_days
    if days not in CLOUDWATCH_RETENTION_DAYS:
        yield Issue(
            _key("monitoring.logRetention.databaseDays"),
            f"aws CloudWatch Logs accepts {sorted(CLOUDWATCH_RETENTION_DAYS)}",
        )


def _gcp_database(cfg: StackConfig) -> Iterator[Issue]:
    db = cfg.database
    if db.port != 5432:
        yield Issue(_key("database.port"), "gcp Cloud SQL listens on 5432 only")
    if not db.maintenance_window.split("-")[0].endswith(":00"):
        yield Issue(_key("database.maintenanceWindow"), "gcp Cloud SQL takes a day and a start hour (HH:00)")
    if db.snapshots.retention_days > 365:
        yield Issue(_key("database.snapshots.retentionDays"), "gcp Cloud SQL keeps at most 365 automated backups")
    tier = resolve("database", "gcp", db.size).type
    if not tier.startswith("db-perf-optimized") and db.backup.log_retention_days > 7:
        yield Issue(
            _key("database.backup.logRetentionDays"), f"gcp keeps at most 7 days of logs on Enterprise tier {tier}"
        )
    if db.cross_region_copy.enabled and db.cross_region_copy.frequency != "daily":
        yield Issue(
            _key("database.crossRegionCopy.frequency"), "gcp Cloud SQL stores its daily backups in the DR region"
        )
    if db.monitoring.enhanced_monitoring_interval_seconds not in (0, 60):
        yield Issue(
            _key("database.monitoring.enhancedMonitoringIntervalSeconds"), "gcp monitors every 60 seconds; use 0 or 60"
        )
    if db.monitoring.performance_insights and db.monitoring.performance_insights_retention_days != 7:
        yield Issue(_key("database.monitoring.performanceInsightsRetentionDays"), "gcp Query Insights keeps 7 days")
    if cfg.monitoring.log_retention.database_days > GCP_LOG_BUCKET_RETENTION_DAYS:
        yield Issue(
            _key("monitoring.logRetention.databaseDays"),
            f"gcp keeps Cloud SQL logs in a log bucket, which holds entries at most {GCP_LOG_BUCKET_RETENTION_DAYS} days",
        )


def _gcp_cache(cfg: StackConfig) -> Iterator[Issue]:
    cache = cfg.cache
    if cache.port != 6379:
        yield Issue(_key("cache.port"), "gcp Memorystore for Redis Cluster serves on 6379")
    start, end = cache.maintenance_window.split("-")
    if not start.endswith(":00") or _minutes(end.split(":", 1)[1]) - _minutes(start.split(":", 1)[1]) != 60:
        yield Issue(_key("cache.maintenanceWindow"), "gcp Memorystore takes a one-hour window starting on the hour")
    if not cache.snapshots.window.startswith(tuple(f"{h:02d}:00" for h in range(24))):
        yield Issue(_key("cache.snapshots.window"), "gcp Memorystore backups start on the hour")
    if cache.replicas_per_shard >= 1 and not cache.automatic_failover:
        yield Issue(_key("cache.automaticFailover"), "gcp Memorystore always fails over to a replica; set true")


def check_cache(cfg: StackConfig) -> Iterator[Issue]:
    cache, cloud = cfg.cache, cfg.cloud
    limit = REPLICAS_PER_SHARD_LIMIT[cloud]
    if cache.replicas_per_shard > limit:
        yield Issue(_key("cache.replicasPerShard"), f"{cloud} allows at most {limit} per shard")
    if cloud == "aws" and cache.shards > 1 and not cache.automatic_failover:
        yield Issue(_key("cache.automaticFailover"), "aws needs it for more than one shard (cluster mode)")
    if cloud == "gcp":
        yield from _gcp_cache(cfg)
    if cloud == "azure":
        yield from azure_cache(cfg)
    if cloud == "aws" and cache.engine_version not in ("7.0", "7.1"):
        yield Issue(_key("cache.engineVersion"), "aws ElastiCache for Redis OSS 7 needs the minor version (7.0 or 7.1)")
    if cloud == "aws" and _overlap(cache.snapshots.window, cache.maintenance_window):
        yield Issue(_key("cache.maintenanceWindow"), "aws needs it apart from cache.snapshots.window")
    if cloud != "aws" and cache.auth_token_update == "set":
        yield Issue(
            _key("cache.authTokenUpdate"),
            f"{cloud} issues its own Redis credentials: there is no static token to set; leave rotate",
        )


def check_service_ports(cfg: StackConfig) -> Iterator[Issue]:
    """Every flow to the database or the cache opens the port it serves on."""
    ports = {"database": cfg.database.port, "cache": cfg.cache.port}
    for i, flow in enumerate(cfg.network.flows):
        if flow.to in ports and ports[flow.to] not in flow.ports:
            yield Issue(_key(f"network.flows[{i}].ports"), f"must open {flow.to}.port {ports[flow.to]}")


def check_storage(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud == "azure" and cfg.storage.abort_incomplete_upload_days != 7:
        yield Issue(_key("storage.abortIncompleteUploadDays"), "azure discards uncommitted blocks after 7 days; set 7")
    if cfg.cloud != "aws":
        return
    if cfg.storage.buckets.logs.encryption != "providerManaged":
        yield Issue(
            _key("storage.buckets.logs.encryption"),
            "aws S3 delivers server access logs only into a bucket whose default encryption is SSE-S3"
            " (providerManaged), not SSE-KMS",
        )
    for name, bucket in cfg.storage.buckets.items():
        for i, transition in enumerate(bucket.transitions):
            if transition.storage_class == "infrequentAccess" and transition.days < 30:
                yield Issue(
                    _key(f"storage.buckets.{camel(name)}.transitions[{i}].days"),
                    "aws STANDARD_IA needs at least 30 days",
                )
