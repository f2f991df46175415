"""AWS PostgresCluster: an RDS primary (Multi-AZ when HA), read replicas pinned to zones, TLS-only
and audit-logging parameters, a generated master password kept in Secrets Manager, encrypted log
groups, backups copied to the DR region and long-term snapshots in AWS Backup."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_aws as aws

from bettafish.config.catalog import resolve
from bettafish.config.database import Database
from components.base import sibling
from components.postgres_cluster import PostgresCluster, PostgresClusterArgs
from providers.aws.keys import AwsKeys
from providers.aws.lifetime import final_snapshot_name
from providers.aws.postgres.backup import dr_backup_replication, snapshot_backups
from providers.aws.postgres.credentials import MASTER_USERNAME, MasterCredentials
from providers.aws.postgres.logs import LOG_EXPORTS, instance_log_groups
from providers.aws.postgres.monitoring import enhanced_monitoring_role
from providers.aws.postgres.parameters import parameter_group
from providers.aws.vpc import AwsVpc

CA_CERT_IDENTIFIER = "rds-ca-rsa2048-g1"
"""The current RDS certificate authority (RSA 2048, valid to 2061); clients verify against it."""
STORAGE_TYPES = {"provisionedIops": "io1", "generalPurpose": "gp3"}


class AwsPostgresCluster(PostgresCluster):
    """Children: ``rds.SubnetGroup`` (database subnets), ``rds.ParameterGroup`` (force_ssl, connection,
    statement, error, lock and pgaudit logging), the enhanced-monitoring ``iam.Role`` (when the
    interval is > 0), the master credentials (``random.RandomPassword``, ``secretsmanager.Secret``
    and ``SecretVersion``), per instance its two ``cloudwatch.LogGroup`` (logs key), the primary and one
    ``rds.Instance`` per read replica (explicit identifiers ``<name>-primary``, ``<name>-replica-<n>``),
    the ``random.RandomId`` of the final snapshot's name, an ``rds.InstanceAutomatedBackupsReplication``
    to the DR region (cross-region copy on), and an AWS Backup vault, plan, selection and service role.

    Extra attributes: ``primary``, ``replicas``, ``subnet_group``, ``parameter_group``,
    ``credentials`` (the ``secretsmanager.Secret``), ``backup_replication`` (or None), ``backup_vault``.
    """

    def __init__(self, name: str, args: PostgresClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        db, ctx = args.database, args.context
        vpc, keys = sibling(args.vpc, AwsVpc), sibling(args.keys, AwsKeys)
        tags = ctx.tags("database")
        key_arn = keys.keys["database"].arn

        self.subnet_group = aws.rds.SubnetGroup(
            f"{name}-subnets",
            description=f"BettaFish {name}: the isolated database subnets",
            subnet_ids=[s.id for s in vpc.subnets["database"]],
            tags=tags,
            opts=self.child(),
        )
        self.parameter_group = parameter_group(self, name, db, tags)
        interval = db.monitoring.enhanced_monitoring_interval_seconds
        monitoring_role, ready = enhanced_monitoring_role(self, name, tags) if interval > 0 else (None, None)
        common = _common_settings(db, vpc, key_arn, self.parameter_group, monitoring_role, ctx.protect_stateful, tags)

        def waits_for(identifier: str) -> list[pulumi.Resource]:
            """What an instance must find in place: its log groups, and its monitoring permissions."""
            groups = instance_log_groups(self, identifier, args.log_retention_days, keys.keys["logs"], tags)
            return [*groups, *([ready] if ready else [])]

        credentials = MasterCredentials(self, name)
        primary_name = f"{name}-primary"
        self.primary = aws.rds.Instance(
            primary_name,
            identifier=primary_name,
            engine="postgres",
            engine_version=db.engine_version,
            allow_major_version_upgrade=False,
            instance_class=resolve("database", "aws", db.size).type,
            allocated_storage=db.storage.size_gb,
            multi_az=db.high_availability,
            db_subnet_group_name=self.subnet_group.name,
            db_name=db.name,
            port=db.port,
            username=MASTER_USERNAME,
            password=credentials.password,
            backup_retention_period=db.backup.retention_days,
            backup_window=db.backup.window,
            delete_automated_backups=False,
            skip_final_snapshot=False,
            final_snapshot_identifier=final_snapshot_name(self, name),
            opts=self.child(stateful=True, depends_on=waits_for(primary_name)),
            **common,
        )
        self.replicas = []
        for i in range(db.read_replicas.count):
            replica_name = f"{name}-replica-{i + 1}"
            self.replicas.append(
                aws.rds.Instance(
                    replica_name,
                    identifier=replica_name,
                    replicate_source_db=self.primary.identifier,
                    instance_class=resolve("database", "aws", db.read_replicas.size).type,
                    availability_zone=_replica_zone(vpc, db, i),
                    multi_az=False,
                    # RDS takes no final snapshot of a replica; the primary's backups cover its data.
                    skip_final_snapshot=True,
                    opts=self.child(stateful=True, depends_on=waits_for(replica_name)),
                    **common,
                )
            )
        self.backup_replication = None
        if db.cross_region_copy.enabled:
            if keys.dr_database_key is None or keys.dr_region is None:
                raise ValueError(f"{name}: crossRegionCopy is on but the keys have no DR-region database key")
            self.backup_replication = dr_backup_replication(
                self, name, self.primary, keys.dr_database_key, keys.dr_region, db.backup.retention_days
            )
        self.credentials = credentials.store(self.primary, keys.keys["database"], tags)
        dr_copy = None
        if self.backup_replication is not None and keys.dr_region and keys.dr_database_key is not None:
            dr_copy = (keys.dr_region, keys.dr_database_key)  # the long-term snapshots go there too
        self.backup_vault = snapshot_backups(self, name, db, self.primary, keys.keys["database"], tags, dr_copy)

        readers = [r.address for r in self.replicas] or [self.primary.address]
        self._publish(
            writer_endpoint=self.primary.address,
            reader_endpoints=pulumi.Output.all(*readers),
            port=self.primary.port,
            database_name=self.primary.db_name,
            credentials_ref=self.credentials.arn,
        )


def _common_settings(
    db: Database,
    vpc: AwsVpc,
    key_arn: pulumi.Output[str],
    parameter_group: aws.rds.ParameterGroup,
    monitoring_role: aws.iam.Role | None,
    protect: bool,
    tags: dict[str, str],
) -> dict[str, Any]:
    """What the primary and every replica share: storage, encryption, network, TLS, logs, monitoring."""
    monitoring = db.monitoring
    storage: dict[str, Any] = {"storage_type": STORAGE_TYPES[db.storage.type], "iops": db.storage.iops}
    if db.storage.type == "generalPurpose":
        storage["storage_throughput"] = db.storage.throughput_mbps
    insights: dict[str, Any] = {"performance_insights_enabled": monitoring.performance_insights}
    if monitoring.performance_insights:
        insights["performance_insights_kms_key_id"] = key_arn
        insights["performance_insights_retention_period"] = monitoring.performance_insights_retention_days
    return {
        **storage,
        **insights,
        "storage_encrypted": True,
        "kms_key_id": key_arn,
        "publicly_accessible": False,
        "vpc_security_group_ids": [vpc.security_groups["database"].id],
        "parameter_group_name": parameter_group.name,
        "ca_cert_identifier": CA_CERT_IDENTIFIER,
        "iam_database_authentication_enabled": True,
        "auto_minor_version_upgrade": True,
        "maintenance_window": db.maintenance_window,
        "copy_tags_to_snapshot": True,
        "deletion_protection": protect,
        "enabled_cloudwatch_logs_exports": LOG_EXPORTS,
        "monitoring_interval": monitoring.enhanced_monitoring_interval_seconds,
        "monitoring_role_arn": monitoring_role.arn if monitoring_role else None,
        "tags": tags,
    }


def _replica_zone(vpc: AwsVpc, db: Database, index: int) -> pulumi.Output[str] | None:
    """The zone of the database subnet at the replica's 1-based zone position, if one is configured."""
    zones = db.read_replicas.zones
    return vpc.subnets["database"][zones[index] - 1].availability_zone if zones else None
