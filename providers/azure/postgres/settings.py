"""Compute tier, maintenance window and server parameters of an Azure PostgreSQL flexible server."""

from __future__ import annotations

from typing import Any

from bettafish.config.base import MachineSize
from bettafish.config.catalog import resolve
from bettafish.config.database import Database

SKU_TIERS = {"memory": "MemoryOptimized", "general": "GeneralPurpose", "burstable": "Burstable"}
"""Catalog family -> flexible server compute tier (the catalog has no compute-optimized database rows)."""
WEEKDAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
"""Azure numbers maintenance days from Sunday = 0."""


def sku(size: MachineSize) -> dict[str, str]:
    row = resolve("database", "azure", size)
    return {"name": row.type, "tier": SKU_TIERS[row.family]}


def maintenance_window(window: str) -> dict[str, Any]:
    """``sun:04:00-sun:05:00`` -> a custom window starting Sunday 04:00 UTC (Azure's windows last an hour)."""
    day, hour, minute = window.split("-")[0].split(":")
    return {
        "custom_window": "Enabled",
        "day_of_week": WEEKDAYS.index(day),
        "start_hour": int(hour),
        "start_minute": int(minute),
    }


PRELOADED_BY_AZURE = ("pg_cron", "pg_stat_statements")
"""``shared_preload_libraries`` as Azure sets it: pgaudit joins them rather than replacing them."""
AUDITED_CLASSES = "ddl,role"
"""pgaudit session classes: schema changes and role changes. pgaudit logs ``CREATE/ALTER ROLE ...
PASSWORD`` with the password redacted, where ``log_statement`` writes it in clear."""


def server_parameters(db: Database) -> dict[str, str]:
    """Server parameters set on the primary, in the order they are written.

    TLS only, from TLS 1.2 (rule 3); connection, disconnection and checkpoint logging and connection
    throttling (rule 8); statement, slow-statement, failing-statement and lock-wait logging and, with
    ``database.logging.audit``, pgaudit (rule 38, CIS PostgreSQL); Query Store with wait sampling,
    Azure's performance insights, when asked.

    pgaudit must be allow-listed (``azure.extensions``) and preloaded (``shared_preload_libraries``).
    The second is a static parameter: Azure stores it at once but loads it at the next restart of
    the server, which Pulumi does not do. After the first ``pulumi up`` (and after turning audit on),
    restart the server and ``CREATE EXTENSION pgaudit`` in the database (docs/deploying.md).
    """
    logging = db.logging
    params = {
        "require_secure_transport": "on",
        "ssl_min_protocol_version": "TLSv1.2",
        "log_connections": "on",
        "log_disconnections": "on",
        "log_checkpoints": "on",
        "connection_throttle.enable": "on",
        "log_statement": logging.statements,
        "log_min_duration_statement": str(logging.min_duration_ms),
        "log_min_error_statement": logging.min_error_statement,
        "log_lock_waits": "on" if logging.lock_waits else "off",
    }
    if logging.audit:
        params |= {
            "azure.extensions": "pgaudit",
            "shared_preload_libraries": ",".join((*PRELOADED_BY_AZURE, "pgaudit")),
            "pgaudit.log": AUDITED_CLASSES,
        }
    monitoring = db.monitoring
    if monitoring.performance_insights:
        params |= {
            "pg_qs.query_capture_mode": "all",
            "pgms_wait_sampling.query_capture_mode": "all",
            "pg_qs.retention_period_in_days": str(monitoring.performance_insights_retention_days),
        }
    return params
