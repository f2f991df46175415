"""PostgreSQL config: size, storage, HA, replicas, backups, snapshots and DR copies."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from bettafish.config.base import Cloud, DailyWindow, MachineSize, Model, Port, PositiveInt, WeeklyWindow


class DatabaseStorage(Model):
    size_gb: Annotated[int, Field(ge=20, le=65536)]
    type: Literal["provisionedIops", "generalPurpose"]
    iops: Annotated[int, Field(ge=1000, le=256000)] | None = None
    throughput_mbps: Annotated[int, Field(ge=125, le=4000)] | None = None

    @model_validator(mode="after")
    def _iops_only_when_provisioned(self) -> DatabaseStorage:
        if self.type == "provisionedIops" and self.iops is None:
            raise ValueError("type provisionedIops needs iops")
        return self


class ReadReplicas(Model):
    count: Annotated[int, Field(ge=0, le=5)]
    size: MachineSize
    zones: list[Annotated[int, Field(ge=1)]] = Field(default_factory=list)
    """1-based positions in ``bettafish:network.zones``; one per replica."""

    @model_validator(mode="after")
    def _one_zone_per_replica(self) -> ReadReplicas:
        if self.zones and len(self.zones) != self.count:
            raise ValueError(f"{self.count} replicas need {self.count} zones, got {len(self.zones)}")
        return self


class Backup(Model):
    retention_days: Annotated[int, Field(ge=1, le=365)]
    window: DailyWindow
    point_in_time_recovery: bool
    log_retention_days: Annotated[int, Field(ge=1, le=35)]
    """How far back point-in-time recovery reaches."""


class Snapshots(Model):
    retention_days: PositiveInt
    encrypted: Literal[True] = True


class CrossRegionCopy(Model):
    enabled: bool
    regions: dict[Cloud, str]
    frequency: Literal["daily", "continuous"] = "daily"

    def target(self, cloud: Cloud) -> str | None:
        """The DR region backups are copied to on ``cloud``, or None when copying is off."""
        return self.regions.get(cloud) if self.enabled else None


class DatabaseMonitoring(Model):
    enhanced_monitoring_interval_seconds: Literal[0, 1, 5, 10, 15, 30, 60]
    performance_insights: bool
    performance_insights_retention_days: Annotated[int, Field(ge=7, le=731)] = 7


class DatabaseLogging(Model):
    """Statement and error logging per the CIS PostgreSQL recommendations (security rule 38)."""

    statements: Literal["none", "ddl", "mod", "all"] = "ddl"
    """``log_statement``: schema changes are always worth a log line."""
    min_duration_ms: Annotated[int, Field(ge=-1)] = -1
    """``log_min_duration_statement``: -1 (off) as CIS recommends, since a slow statement's text may
    carry personal data; a threshold in milliseconds logs the statements slower than it."""
    min_error_statement: Literal["error", "log", "fatal", "panic"] = "error"
    """``log_min_error_statement``: the statement that caused an error of this severity or worse."""
    lock_waits: bool = True
    """``log_lock_waits``: waits longer than the deadlock timeout."""
    audit: bool = True
    """pgaudit session audit logging (DDL and role changes)."""


class Database(Model):
    engine_version: Annotated[str, Field(pattern=r"^1[4-7]$")]
    """PostgreSQL major version; minor versions upgrade automatically."""
    size: MachineSize
    storage: DatabaseStorage
    high_availability: bool
    read_replicas: ReadReplicas
    backup: Backup
    maintenance_window: WeeklyWindow
    snapshots: Snapshots
    cross_region_copy: CrossRegionCopy
    monitoring: DatabaseMonitoring
    logging: DatabaseLogging = DatabaseLogging()
    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,62}$")] = "bettafish"
    port: Port = 5432
