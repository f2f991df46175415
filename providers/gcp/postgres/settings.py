"""Cloud SQL instance settings from the neutral database config: edition, data disk, windows,
backups and flags. Pure functions, so each mapping is tested on its own."""

from __future__ import annotations

from math import ceil
from typing import Any

import pulumi

from bettafish.config.database import Database, DatabaseLogging, DatabaseStorage

PD_SSD_IOPS_PER_GB = 30
"""Read and write IOPS an SSD persistent disk gives per GB, up to the machine's limit
(https://cloud.google.com/compute/docs/disks/performance). Cloud SQL's N2 tiers (Enterprise
``db-custom-*``, Enterprise Plus ``db-perf-optimized-N-*``) only offer this disk: IOPS are bought
with size, and throughput follows size too (0.48 MiB/s per GB) up to the machine's cap."""

HYPERDISK_SERIES = ("db-c4a-", "db-n4-")
"""Tiers (C4A, N4) whose data disk is Hyperdisk Balanced, with provisioned IOPS and throughput."""

ENTERPRISE_PLUS_SERIES = ("db-perf-optimized-", "db-c4a-")
"""Tiers that exist only in the Enterprise Plus edition; custom and shared-core tiers are Enterprise."""

LOG_FLAGS = ("log_connections", "log_disconnections", "log_checkpoints")
"""Connection and checkpoint logging (security rule 8), to Cloud Logging."""

PGAUDIT_CLASSES = "ddl,role"
"""pgaudit session logging of schema changes and of role and privilege changes."""

SSL_MODE = "ENCRYPTED_ONLY"
"""Only TLS connections (security rule 3); clients need no certificate of their own."""

_WEEKDAY = {"mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6, "sun": 7}
"""Cloud SQL numbers days Monday = 1 to Sunday = 7."""


def edition(tier: str) -> str:
    return "ENTERPRISE_PLUS" if tier.startswith(ENTERPRISE_PLUS_SERIES) else "ENTERPRISE"


def data_disk(storage: DatabaseStorage, tier: str) -> dict[str, Any]:
    """Hyperdisk Balanced with the configured IOPS and throughput where the tier has it; otherwise
    an SSD persistent disk large enough for the configured IOPS (throughput is not provisionable)."""
    if tier.startswith(HYPERDISK_SERIES):
        disk: dict[str, Any] = {"disk_type": "HYPERDISK_BALANCED", "disk_size": storage.size_gb}
        if storage.type == "provisionedIops":
            disk["data_disk_provisioned_iops"] = storage.iops
            if storage.throughput_mbps is not None:
                disk["data_disk_provisioned_throughput"] = storage.throughput_mbps
        return disk
    size = storage.size_gb
    if storage.type == "provisionedIops" and storage.iops is not None:
        size = max(size, ceil(storage.iops / PD_SSD_IOPS_PER_GB))
    return {"disk_type": "PD_SSD", "disk_size": size}


def maintenance_window(weekly: str) -> dict[str, Any]:
    """``sun:04:00-sun:05:00`` -> Sunday, 04:00 UTC (Cloud SQL's window is the hour that starts there)."""
    day, hour = weekly.split("-")[0].split(":")[:2]
    return {"day": _WEEKDAY[day], "hour": int(hour), "update_track": "stable"}


def backup_configuration(db: Database, location: str | None) -> dict[str, Any]:
    """Daily backups starting at the window's start, point-in-time recovery, stored in ``location``
    (the DR region) when given.

    Cloud SQL keeps one series of daily automated backups, so it is kept for the longer of the
    backup retention and the snapshot retention: every day of the last ``snapshots.retentionDays``
    stays restorable, encrypted with the instance's key, which covers both requirements. (Enhanced
    backups in a Backup and DR vault would keep longer, but do not support CMEK instances nor
    cross-region copies.)
    """
    backup = db.backup
    config: dict[str, Any] = {
        "enabled": True,
        "start_time": backup.window.split("-")[0],
        "point_in_time_recovery_enabled": backup.point_in_time_recovery,
        "transaction_log_retention_days": backup.log_retention_days,
        "backup_retention_settings": {
            "retained_backups": max(backup.retention_days, db.snapshots.retention_days),
            "retention_unit": "COUNT",
        },
    }
    if location is not None:
        config["location"] = location
    return config


def ip_configuration(network_id: pulumi.Input[str], allocated_range: pulumi.Input[str]) -> dict[str, Any]:
    """Private IP only, from the private services access range, TLS required (rules 1 and 3)."""
    return {
        "ipv4_enabled": False,
        "private_network": network_id,
        "allocated_ip_range": allocated_range,
        "enable_private_path_for_google_cloud_services": False,
        "ssl_mode": SSL_MODE,
    }


def database_flags(logging: DatabaseLogging) -> list[dict[str, str]]:
    """Connection and checkpoint logging (rule 8), and statement, error, lock-wait and pgaudit
    logging from ``database.logging`` (rule 38, CIS GCP 6.2).

    Cloud SQL applies the ``log_*`` flags and ``pgaudit.log`` without a restart;
    ``cloudsql.enable_pgaudit`` loads the extension's library and restarts the instance when it
    changes on a running instance (a first ``up`` sets it at creation). pgaudit logs only once
    ``CREATE EXTENSION pgaudit`` has run in each database (docs/deploying.md); its entries are Data
    Access audit logs of the instance.
    """
    flags = {flag: "on" for flag in LOG_FLAGS}
    flags |= {
        "log_statement": logging.statements,
        "log_min_duration_statement": str(logging.min_duration_ms),
        "log_min_error_statement": logging.min_error_statement,
        "log_lock_waits": _on_off(logging.lock_waits),
        "cloudsql.enable_pgaudit": _on_off(logging.audit),
    }
    if logging.audit:
        flags["pgaudit.log"] = PGAUDIT_CLASSES
    return [{"name": name, "value": value} for name, value in flags.items()]


def _on_off(enabled: bool) -> str:
    return "on" if enabled else "off"
