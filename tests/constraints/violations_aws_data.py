"""AWS database, cache, backup and S3 registrations the real APIs refuse: one program per id."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

import pulumi
import pulumi_aws as aws

DB = {"instance_class": "db.r5.large", "engine": "postgres", "skip_final_snapshot": True}
"""An instance that takes no final snapshot and exports no logs: it trips nothing by itself."""
REDIS = {"node_type": "cache.r5.large", "engine": "redis", "description": "r"}


def monitoring_role_not_ready() -> None:
    role = aws.iam.Role("monitoring", assume_role_policy="{}")
    aws.iam.RolePolicyAttachment(
        "monitoring", role=role.name, policy_arn="arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
    )
    aws.rds.Instance("db", monitoring_interval=60, monitoring_role_arn=role.arn, **DB)


def static_parameter_applied_immediately() -> None:
    aws.rds.ParameterGroup(
        "params",
        family="postgres15",
        parameters=[{"name": "shared_preload_libraries", "value": "pgaudit", "apply_method": "immediate"}],
    )


def replica_of_a_managed_password() -> None:
    primary = aws.rds.Instance("primary", identifier="primary", manage_master_user_password=True, username="a", **DB)
    aws.rds.Instance("replica", identifier="replica", replicate_source_db=primary.identifier, **DB)


def replica_with_a_password() -> None:
    primary = aws.rds.Instance("primary", identifier="primary", password="p" * 16, username="a", **DB)
    aws.rds.Instance("replica", identifier="replica", replicate_source_db=primary.identifier, password="q" * 16, **DB)


def io1_beyond_fifty_iops_per_gib() -> None:
    aws.rds.Instance("db", storage_type="io1", allocated_storage=100, iops=10000, **DB)


def gp3_tuned_below_400_gib() -> None:
    aws.rds.Instance("db", storage_type="gp3", allocated_storage=100, iops=12000, **DB)


def performance_insights_for_45_days() -> None:
    aws.rds.Instance("db", performance_insights_enabled=True, performance_insights_retention_period=45, **DB)


def identifier_with_two_hyphens() -> None:
    aws.rds.Instance("db", identifier="bettafish--db", **DB)


def fixed_final_snapshot_of_a_destroyable_instance() -> None:
    aws.rds.Instance("db", **{**DB, "skip_final_snapshot": False}, final_snapshot_identifier="db-final")


def logs_exported_to_groups_rds_creates() -> None:
    aws.cloudwatch.LogGroup("postgresql", name="/aws/rds/instance/db/postgresql", retention_in_days=30)
    aws.rds.Instance("db", identifier="db", enabled_cloudwatch_logs_exports=["postgresql", "upgrade"], **DB)


def backups_of_an_encrypted_instance_copied_without_a_key() -> None:
    primary = aws.rds.Instance("primary", identifier="primary", storage_encrypted=True, **DB)
    aws.rds.InstanceAutomatedBackupsReplication("dr", source_db_instance_arn=primary.arn, region="us-west-2")


def auth_token_without_tls() -> None:
    aws.elasticache.ReplicationGroup("redis", auth_token="t" * 32, transit_encryption_enabled=False, **REDIS)


def token_strategy_without_a_token() -> None:
    aws.elasticache.ReplicationGroup(
        "redis", transit_encryption_enabled=True, auth_token_update_strategy="ROTATE", **REDIS
    )


def cluster_mode_without_failover() -> None:
    aws.elasticache.ReplicationGroup(
        "redis", cluster_mode="enabled", num_node_groups=2, replicas_per_node_group=1, **REDIS
    )


def failover_without_a_replica() -> None:
    aws.elasticache.ReplicationGroup("redis", automatic_failover_enabled=True, num_cache_clusters=1, **REDIS)


def multi_az_without_failover() -> None:
    aws.elasticache.ReplicationGroup("redis", multi_az_enabled=True, num_cache_clusters=2, **REDIS)


def cluster_mode_with_a_plain_parameter_group() -> None:
    params = aws.elasticache.ParameterGroup(
        "params", family="redis7", parameters=[{"name": "cluster-enabled", "value": "no"}]
    )
    aws.elasticache.ReplicationGroup(
        "redis",
        cluster_mode="enabled",
        num_node_groups=3,
        replicas_per_node_group=1,
        automatic_failover_enabled=True,
        parameter_group_name=params.name,
        **REDIS,
    )


def fixed_final_snapshot_of_a_destroyable_cache() -> None:
    aws.elasticache.ReplicationGroup("redis", final_snapshot_identifier="redis-final", **REDIS)


def _backup_role(policy: Mapping[str, object]) -> tuple[aws.iam.Role, aws.iam.RolePolicy]:
    role = aws.iam.Role("backup", assume_role_policy="{}")
    return role, aws.iam.RolePolicy("backup", role=role.id, policy=json.dumps(policy))


LISTS_TAGS: dict[str, object] = {"Statement": [{"Effect": "Allow", "Action": "tag:GetResources", "Resource": "*"}]}


def selection_before_the_role_is_ready() -> None:
    role, _ = _backup_role(LISTS_TAGS)
    aws.backup.Selection("daily", plan_id="plan", iam_role_arn=role.arn, resources=["arn:aws:rds:x:1:db:db"])


def selection_role_that_cannot_list_tags() -> None:
    role, policy = _backup_role({"Statement": [{"Effect": "Allow", "Action": "rds:CreateDBSnapshot", "Resource": "*"}]})
    aws.backup.Selection(
        "daily",
        plan_id="plan",
        iam_role_arn=role.arn,
        resources=["arn:aws:rds:x:1:db:db"],
        opts=pulumi.ResourceOptions(depends_on=[policy]),
    )


def vault_that_keeps_its_recovery_points() -> None:
    aws.backup.Vault("snapshots", force_destroy=False)


def bucket_that_refuses_to_go() -> None:
    aws.s3.Bucket("media", force_destroy=False)


def infrequent_access_after_a_week() -> None:
    aws.s3.BucketLifecycleConfiguration(
        "media",
        bucket="media",
        rules=[{"id": "ia", "status": "Enabled", "transitions": [{"days": 7, "storage_class": "STANDARD_IA"}]}],
    )


def _logs_bucket(algorithm: str) -> tuple[aws.s3.Bucket, aws.s3.BucketServerSideEncryptionConfiguration]:
    logs = aws.s3.Bucket("logs", force_destroy=True)
    encryption = aws.s3.BucketServerSideEncryptionConfiguration(
        "logs", bucket=logs.id, rules=[{"apply_server_side_encryption_by_default": {"sse_algorithm": algorithm}}]
    )
    return logs, encryption


def access_logs_into_a_kms_bucket() -> None:
    logs, encryption = _logs_bucket("aws:kms")
    media = aws.s3.Bucket("media", force_destroy=True)
    aws.s3.BucketLogging(
        "media",
        bucket=media.id,
        target_bucket=logs.id,
        target_prefix="m/",
        opts=pulumi.ResourceOptions(depends_on=[encryption]),
    )


def access_logs_without_the_grant() -> None:
    logs, encryption = _logs_bucket("AES256")
    media = aws.s3.Bucket("media", force_destroy=True)
    aws.s3.BucketLogging(
        "media",
        bucket=media.id,
        target_bucket=logs.id,
        target_prefix="m/",
        opts=pulumi.ResourceOptions(depends_on=[encryption]),
    )


VIOLATIONS: dict[str, Callable[[], None]] = {
    "aws-rds-monitoring-role-ready": monitoring_role_not_ready,
    "aws-rds-static-parameter-immediate": static_parameter_applied_immediately,
    "aws-rds-replica-of-managed-password": replica_of_a_managed_password,
    "aws-rds-replica-password": replica_with_a_password,
    "aws-rds-io1-iops-range": io1_beyond_fifty_iops_per_gib,
    "aws-rds-gp3-below-threshold": gp3_tuned_below_400_gib,
    "aws-rds-performance-insights-retention": performance_insights_for_45_days,
    "aws-rds-identifier": identifier_with_two_hyphens,
    "aws-rds-final-snapshot-unique": fixed_final_snapshot_of_a_destroyable_instance,
    "aws-rds-log-groups-first": logs_exported_to_groups_rds_creates,
    "aws-rds-backup-replication-key": backups_of_an_encrypted_instance_copied_without_a_key,
    "aws-elasticache-auth-needs-tls": auth_token_without_tls,
    "aws-elasticache-strategy-needs-token": token_strategy_without_a_token,
    "aws-elasticache-cluster-mode-needs-failover": cluster_mode_without_failover,
    "aws-elasticache-failover-needs-replica": failover_without_a_replica,
    "aws-elasticache-multi-az-needs-failover": multi_az_without_failover,
    "aws-elasticache-parameter-group-cluster-mode": cluster_mode_with_a_plain_parameter_group,
    "aws-elasticache-final-snapshot-unique": fixed_final_snapshot_of_a_destroyable_cache,
    "aws-backup-selection-role-ready": selection_before_the_role_is_ready,
    "aws-backup-selection-role-lists-tags": selection_role_that_cannot_list_tags,
    "aws-backup-vault-destroyable": vault_that_keeps_its_recovery_points,
    "aws-s3-bucket-destroyable": bucket_that_refuses_to_go,
    "aws-s3-infrequent-access-too-soon": infrequent_access_after_a_week,
    "aws-s3-access-logs-into-kms-bucket": access_logs_into_a_kms_bucket,
    "aws-s3-access-logs-not-granted": access_logs_without_the_grant,
}
