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


def server_parameters(db: Database) -> dict[str, str]:
    """Server parameters set on the primary, in the order they are written.

    TLS only, from TLS 1.2 (rule 3); connection, disconnection and checkpoint logging and connection
    throttling (rule 8); Query Store with wait sampling, Azure's performance insights, when asked.
    """
    params = {
        "require_secure_transport": "on",
        "ssl_min_protocol_version": "TLSv1.2",
        "log_connections": "on",
        "log_disconnections": "on",
        "log_checkpoints": "on",
        "connection_throttle.enable": "on",
    }
    monitoring = db.monitoring
    if monitoring.performance_insights:
        params |= {
            "pg_qs.query_capture_mode": "all",
            "pgms_wait_sampling.query_capture_mode": "all",
            "pg_qs.retention_period_in_days": str(monitoring.performance_insights_retention_days),
        }
    return params
