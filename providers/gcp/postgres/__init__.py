"""GCP PostgresCluster: Cloud SQL for PostgreSQL on private IP, encrypted with the database key,
highly available across zones, with read replicas, daily backups (copied to the DR region),
point-in-time recovery and statement logging kept in a log bucket of its own; the admin password
lives in Secret Manager."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_gcp as gcp

from bettafish.config.catalog import resolve
from bettafish.config.database import Database
from components.base import sibling
from components.postgres_cluster import PostgresCluster, PostgresClusterArgs
from providers.gcp.agents import grant_key_use, service_identity
from providers.gcp.keys import GcpKeys
from providers.gcp.log_buckets import routed_logs
from providers.gcp.postgres.credentials import ADMIN_USER, Credentials
from providers.gcp.postgres.settings import (
    backup_configuration,
    data_disk,
    database_flags,
    edition,
    ip_configuration,
    maintenance_window,
)
from providers.gcp.project import SECRET_MANAGER, SQL_ADMIN, enable_apis, require_project
from providers.gcp.vpc import GcpVpc

__all__ = ["ADMIN_USER", "GcpPostgresCluster"]

IGNORED_SETTINGS = ["settings.diskSize"]
"""Cloud SQL grows the disk itself (``disk_autoresize``); a later ``up`` would otherwise try to
shrink it back to ``disk_size``, which the provider does by replacing the instance (the pulumi-gcp
docstring of ``disk_autoresize`` says to ignore changes to the disk size)."""
_LOG_FILTER = 'resource.type="cloudsql_database"'


class GcpPostgresCluster(PostgresCluster):
    """Children: the Cloud SQL Admin and Secret Manager APIs; the Cloud SQL service agent
    (``projects.ServiceIdentity``) granted use of the database key (and of the DR database key, so
    a restore in the DR region can start at once); the primary ``sql.DatabaseInstance`` and one per
    read replica; the ``sql.Database``; the admin credentials
    (``providers.gcp.postgres.credentials``); a log bucket keeping the instances' logs (statements,
    errors, connections, pgaudit) ``monitoring.logRetention.databaseDays``, encrypted with the
    ``logs`` key (``providers.gcp.log_buckets``).

    The primary: ``POSTGRES_<major>`` (minor versions follow Google's maintenance), the catalog's
    tier and its edition, REGIONAL availability (a standby in another zone) when
    ``highAvailability``, the data disk of ``settings.data_disk``, private IP only from the
    private services access range with TLS required, daily backups at the backup window's start
    kept ``max(backup.retentionDays, snapshots.retentionDays)`` days and stored in the DR region
    when ``crossRegionCopy`` is on, point-in-time recovery for ``logRetentionDays``, the weekly
    maintenance hour, Query Insights, connection, checkpoint, statement, error, lock-wait and
    pgaudit logging (``settings.database_flags``), deletion protection (API flag and provider
    flag) when the stack protects stateful resources, backups kept after a deletion plus a final
    backup kept ``snapshots.retentionDays``. Changes to the disk size are ignored on every instance
    (``IGNORED_SETTINGS``). Instance names are autonamed: Cloud SQL reserves a deleted instance's
    name for about a week, and a staging brought up again gets new ones.

    Replicas: zonal, in the zones ``readReplicas.zones`` names, same key, network and flags.

    Extra attributes: ``primary``, ``replicas``, ``database``, ``credentials``.
    """

    def __init__(self, name: str, args: PostgresClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        db, ctx = args.database, args.context
        project, region = require_project(ctx), ctx.provider.region
        vpc, keys = sibling(args.vpc, GcpVpc), sibling(args.keys, GcpKeys)
        key = keys.keys["database"]
        self._labels = ctx.tags("database")
        self._project, self._region, self._vpc, self._key = project, region, vpc, key

        apis = enable_apis(self, name, project, SQL_ADMIN, SECRET_MANAGER)
        agent = service_identity(self, f"{name}-sql-agent", project, SQL_ADMIN, apis[SQL_ADMIN])
        key_grant = grant_key_use(self, f"{name}-sql-key-user", key, agent)
        if keys.dr_database_key is not None:
            grant_key_use(self, f"{name}-sql-dr-key-user", keys.dr_database_key, agent)

        tier = resolve("database", "gcp", db.size).type
        self.primary = self._instance(
            f"{name}-primary",
            db,
            tier,
            zone=args.vpc.zones.apply(lambda zones: zones[0]),
            extra={
                "availability_type": "REGIONAL" if db.high_availability else "ZONAL",
                "backup_configuration": backup_configuration(db, db.cross_region_copy.target("gcp")),
                "retain_backups_on_delete": True,
                "final_backup_config": {"enabled": True, "retention_days": db.snapshots.retention_days},
            },
            depends_on=[vpc.service_connection, key_grant],
        )
        replica_tier = resolve("database", "gcp", db.read_replicas.size).type if db.read_replicas.count else tier
        self.replicas = [
            self._instance(
                f"{name}-replica-{i + 1}",
                db,
                replica_tier,
                zone=_zone(args.vpc.zones, db.read_replicas.zones, i),
                extra={"availability_type": "ZONAL"},
                depends_on=[key_grant],
                master=self.primary,
            )
            for i in range(db.read_replicas.count)
        ]
        self.database = gcp.sql.Database(
            f"{name}-database",
            project=project,
            instance=self.primary.name,
            name=db.name,
            charset="UTF8",
            collation="en_US.UTF8",
            # Cloud SQL refuses to drop a database that has open connections; deleting the instance
            # takes the database along, and a rename leaves the old one and its data in place.
            deletion_policy="ABANDON",
            opts=self.child(stateful=True),
        )
        self.credentials = Credentials(
            self,
            name,
            instance=self.primary,
            key=key,
            project=project,
            region=region,
            labels=self._labels,
            api=apis[SECRET_MANAGER],
        )
        instances = [self.primary, *self.replicas]
        self.log_bucket = routed_logs(
            self,
            f"{name}-logs",
            project=project,
            region=region,
            retention_days=args.log_retention_days,
            log_filter=_instance_logs(project, instances),
            keys=keys,
            description="BettaFish Cloud SQL logs of this cluster's instances",
        )

        readers = self.replicas or [self.primary]  # without replicas, reads go to the primary
        self._publish(
            writer_endpoint=self.primary.private_ip_address,
            reader_endpoints=pulumi.Output.all(*[r.private_ip_address for r in readers]),
            port=pulumi.Output.from_input(db.port),
            database_name=self.database.name,
            credentials_ref=self.credentials.secret.id,
        )

    def _instance(
        self,
        name: str,
        db: Database,
        tier: str,
        *,
        zone: pulumi.Input[str] | None,
        extra: dict[str, Any],
        depends_on: list[pulumi.Resource],
        master: gcp.sql.DatabaseInstance | None = None,
    ) -> gcp.sql.DatabaseInstance:
        vpc: GcpVpc = self._vpc
        protect = self.context.protect_stateful
        settings: dict[str, Any] = {
            "tier": tier,
            "edition": edition(tier),
            **data_disk(db.storage, tier),
            "disk_autoresize": True,
            "ip_configuration": ip_configuration(vpc.network.id, vpc.service_range.name),
            "maintenance_window": maintenance_window(db.maintenance_window),
            "insights_config": {"query_insights_enabled": db.monitoring.performance_insights},
            "database_flags": database_flags(db.logging),
            "deletion_protection_enabled": protect,
            "user_labels": self._labels,
            **extra,
        }
        if zone is not None:
            settings["location_preference"] = {"zone": zone}
        return gcp.sql.DatabaseInstance(
            name,
            project=self._project,
            region=self._region,
            database_version=f"POSTGRES_{db.engine_version}",
            master_instance_name=master.name if master is not None else None,
            encryption_key_name=self._key.id,
            deletion_protection=protect,
            settings=settings,
            opts=self.child(stateful=True, depends_on=depends_on, ignore_changes=IGNORED_SETTINGS),
        )


def _instance_logs(project: str, instances: list[gcp.sql.DatabaseInstance]) -> pulumi.Output[str]:
    """The log entries of ``instances`` (Cloud SQL labels them ``database_id="<project>:<instance>"``)."""
    ids = pulumi.Output.all(*[i.name for i in instances]).apply(
        lambda names: " OR ".join(f'"{project}:{n}"' for n in names)
    )
    return pulumi.Output.concat(_LOG_FILTER, " AND resource.labels.database_id=(", ids, ")")


def _zone(zones: pulumi.Output[list[str]], positions: list[int], i: int) -> pulumi.Output[str] | None:
    """The zone of replica ``i``: ``readReplicas.zones`` holds 1-based positions in the zone list."""
    if not positions:
        return None
    return zones.apply(lambda names: names[positions[i] - 1])
