"""AWS RDS and AWS Backup: what the real APIs refuse that the SDK's types allow."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bettafish.plan.fake_cloud.common import physical_name
from bettafish.plan.fake_cloud.constraints import Constraint, registered, value
from bettafish.plan.fake_cloud.constraints.aws_common import (
    allows,
    fixed_final_snapshot,
    role_not_ready,
    role_permissions,
    statements,
    unprotected,
)

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

RDS = "aws:rds/instance:Instance"
RDS_PARAMETERS = "aws:rds/parameterGroup:ParameterGroup"
SELECTION = "aws:backup/selection:Selection"

STATIC_POSTGRES_PARAMETERS = frozenset(
    {
        "shared_preload_libraries",
        "max_connections",
        "shared_buffers",
        "max_worker_processes",
        "max_wal_senders",
        "max_replication_slots",
        "max_locks_per_transaction",
        "max_prepared_transactions",
        "track_activity_query_size",
        "wal_buffers",
        "rds.logical_replication",
        "autovacuum_max_workers",
    }
)
"""RDS for PostgreSQL parameters whose ApplyType is ``static`` (they take effect at the next start)."""
PERFORMANCE_INSIGHTS_DAYS = frozenset({7, 731, *(31 * months for months in range(1, 24))})
GP3_SETTABLE_FROM_GB = 400
"""RDS for PostgreSQL gp3: below 400 GiB the baseline (3000 IOPS, 125 MiB/s) is fixed."""
_IDENTIFIER = re.compile(r"^[A-Za-z](?!.*--)[A-Za-z0-9-]{0,62}(?<!-)$")
MANAGED_BACKUP_POLICY = "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"


def _monitoring_role_not_ready(rds: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """Enhanced monitoring names a role whose policy attachment the instance does not wait for."""
    if not value(rds.inputs, "monitoringInterval"):
        return False
    return role_not_ready(rds, before, value(rds.inputs, "monitoringRoleArn"))


def _static_parameter_applied_immediately(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return any(
        p.get("name") in STATIC_POSTGRES_PARAMETERS and p.get("applyMethod", "immediate") == "immediate"
        for p in group.inputs.get("parameters", [])
    )


def _source(rds: RecordedResource, before: Sequence[RecordedResource]) -> RecordedResource | None:
    source = rds.inputs.get("replicateSourceDb")
    return next((r for r in registered(before, RDS) if source in (r.inputs.get("identifier"), r.id)), None)


def _replica_of_managed_password(rds: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    source = _source(rds, before) if rds.inputs.get("replicateSourceDb") else None
    return bool(source and source.inputs.get("manageMasterUserPassword"))


def _replica_sets_the_password(rds: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    replica = bool(rds.inputs.get("replicateSourceDb"))
    return replica and any(rds.inputs.get(k) for k in ("password", "passwordWo", "manageMasterUserPassword"))


def _io1_out_of_range(rds: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    size, iops = rds.inputs.get("allocatedStorage"), rds.inputs.get("iops")
    if rds.inputs.get("storageType") != "io1" or size is None or iops is None:
        return False
    return size < 100 or not 1000 <= iops <= 256000 or iops > 50 * size


def _gp3_settings_below_threshold(rds: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    size = rds.inputs.get("allocatedStorage")
    tuned = rds.inputs.get("iops") or rds.inputs.get("storageThroughput")
    return rds.inputs.get("storageType") == "gp3" and bool(tuned) and size is not None and size < GP3_SETTABLE_FROM_GB


def _performance_insights_retention(rds: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    days = rds.inputs.get("performanceInsightsRetentionPeriod")
    return days is not None and days not in PERFORMANCE_INSIGHTS_DAYS


def _invalid_identifier(rds: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    identifier = rds.inputs.get("identifier")
    return isinstance(identifier, str) and not _IDENTIFIER.match(identifier)


def _log_groups_not_precreated(rds: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """Exports logs to groups RDS would create itself (unencrypted, kept forever) before ours."""
    exports = rds.inputs.get("enabledCloudwatchLogsExports") or []
    identifier = rds.inputs.get("identifier")
    if not exports:
        return False
    if not identifier:
        return True
    ours = {g.inputs.get("name"): g.urn for g in registered(before, "aws:cloudwatch/logGroup:LogGroup")}
    wanted = [ours.get(f"/aws/rds/instance/{identifier}/{log_type}") for log_type in exports]
    return not all(urn in rds.dependencies for urn in wanted)


def _replication_without_key(copy: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    identifier = str(copy.inputs.get("sourceDbInstanceArn", "")).rsplit(":db:", 1)[-1]
    source = next(
        (r for r in registered(before, RDS) if physical_name(r.name, r.inputs, "identifier").lower() == identifier),
        None,
    )
    return bool(source and source.inputs.get("storageEncrypted") and not copy.inputs.get("kmsKeyId"))


def _selection_role_not_ready(selection: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return role_not_ready(selection, before, selection.inputs.get("iamRoleArn"))


def _selection_role_cannot_list_tags(selection: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    permissions = role_permissions(before, selection.inputs.get("iamRoleArn"))
    if permissions is None:
        return False
    managed = any(p.inputs.get("policyArn") == MANAGED_BACKUP_POLICY for p in permissions)
    inline = any(allows(s, "tag:GetResources") for p in permissions for s in statements(p.inputs.get("policy")))
    return not (managed or inline)


def _vault_not_destroyable(vault: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return unprotected(vault) and not vault.inputs.get("forceDestroy")


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="aws-rds-monitoring-role-ready",
        type=RDS,
        refuses=_monitoring_role_not_ready,
        error="InvalidParameterCombination: IAM role ARN value is invalid or does not include the required"
        " permissions for: ENHANCED_MONITORING (the instance must depend on the role's policy attachment)",
        doc="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html",
    ),
    Constraint(
        id="aws-rds-static-parameter-immediate",
        type=RDS_PARAMETERS,
        refuses=_static_parameter_applied_immediately,
        error="InvalidParameterCombination: cannot use immediate apply method for static parameter"
        " (static parameters such as shared_preload_libraries need apply_method pending-reboot)",
        doc="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_WorkingWithParamGroups.Modifying.html",
    ),
    Constraint(
        id="aws-rds-replica-of-managed-password",
        type=RDS,
        refuses=_replica_of_managed_password,
        error="InvalidParameterValue: Creating read replicas for source instance with engine postgres where"
        " ManageMasterUserPassword is enabled is not supported.",
        doc="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-secrets-manager.html#rds-secrets-manager-limitations",
    ),
    Constraint(
        id="aws-rds-replica-password",
        type=RDS,
        refuses=_replica_sets_the_password,
        error="InvalidParameterCombination: Cannot change master user password on an RDS postgres Read Replica"
        " because it uses physical replication and therefore cannot differ from its parent.",
        doc="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PostgreSQL.Replication.ReadReplicas.html",
    ),
    Constraint(
        id="aws-rds-io1-iops-range",
        type=RDS,
        refuses=_io1_out_of_range,
        error="InvalidParameterCombination: io1 on RDS for PostgreSQL takes 100 GiB or more, 1,000 to 256,000"
        " IOPS, and at most 50 IOPS per GiB of allocated storage",
        doc="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html#USER_PIOPS",
    ),
    Constraint(
        id="aws-rds-gp3-below-threshold",
        type=RDS,
        refuses=_gp3_settings_below_threshold,
        error="InvalidParameterCombination: You can't specify IOPS or storage throughput for engine postgres and"
        " a storage size less than 400.",
        doc="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Storage.html#gp3-storage",
    ),
    Constraint(
        id="aws-rds-performance-insights-retention",
        type=RDS,
        refuses=_performance_insights_retention,
        error="InvalidParameterValue: Invalid Performance Insights retention period. Valid values are: [7, 31,"
        " 62, 93, …, 713, 731]",
        doc="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_PerfInsights.Enabling.html",
    ),
    Constraint(
        id="aws-rds-identifier",
        type=RDS,
        refuses=_invalid_identifier,
        error="InvalidParameterValue: The parameter DBInstanceIdentifier is not a valid identifier. Identifiers"
        " must begin with a letter; must contain only ASCII letters, digits, and hyphens; and must not end"
        " with a hyphen or contain two consecutive hyphens. (at most 63 characters)",
        doc="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/CHAP_Limits.html#RDS_Limits.Constraints",
    ),
    Constraint(
        id="aws-rds-final-snapshot-unique",
        type=RDS,
        refuses=fixed_final_snapshot,
        error="DBSnapshotAlreadyExists: Cannot create the snapshot because a snapshot with the identifier …"
        " already exists. (the second destroy of an unprotected stack; name the final snapshot per lifetime)",
        doc="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_DeleteDBInstance.html",
    ),
    Constraint(
        id="aws-rds-log-groups-first",
        type=RDS,
        refuses=_log_groups_not_precreated,
        error="RDS creates /aws/rds/instance/<identifier>/<log type> itself on the first export, unencrypted and"
        " kept forever, and creating it afterwards fails with ResourceAlreadyExistsException (create the log"
        " groups first, with an explicit identifier, and depend on them)",
        doc="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_LogAccess.Procedural.UploadtoCloudWatch.html",
    ),
    Constraint(
        id="aws-rds-backup-replication-key",
        type="aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication",
        refuses=_replication_without_key,
        error="InvalidParameterCombination: replicating the automated backups of an encrypted DB instance needs"
        " KmsKeyId, a key in the destination Region",
        doc="https://docs.aws.amazon.com/AmazonRDS/latest/APIReference/API_StartDBInstanceAutomatedBackupsReplication.html",
    ),
    Constraint(
        id="aws-backup-selection-role-ready",
        type=SELECTION,
        refuses=_selection_role_not_ready,
        error="InvalidParameterValueException: IAM Role … cannot be assumed by AWS Backup (the selection must"
        " depend on the role's policy)",
        doc="https://docs.aws.amazon.com/aws-backup/latest/devguide/iam-service-roles.html",
    ),
    Constraint(
        id="aws-backup-selection-role-lists-tags",
        type=SELECTION,
        refuses=_selection_role_cannot_list_tags,
        error="InvalidParameterValueException: IAM Role … is not authorized to call tag:GetResources",
        doc="https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AWSBackupServiceRolePolicyForBackup.html",
    ),
    Constraint(
        id="aws-backup-vault-destroyable",
        type="aws:backup/vault:Vault",
        refuses=_vault_not_destroyable,
        error="InvalidRequestException: Backup vault cannot be deleted because it contains recovery points"
        " (an unprotected stack's vault must be force_destroy)",
        doc="https://docs.aws.amazon.com/aws-backup/latest/devguide/delete-a-vault.html",
    ),
)
