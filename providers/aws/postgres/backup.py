"""Backups beyond the automated ones: a copy of the automated backups (snapshots and transaction
logs) in the DR region, and long-term encrypted snapshots kept by AWS Backup."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from bettafish.config.database import Database
from components.base import NeutralComponent
from providers.aws.iam import service_role

START_WINDOW_MINUTES = 60
"""AWS Backup's shortest start window: the job starts within an hour of its scheduled time."""
COMPLETION_WINDOW_MINUTES = 8 * 60
"""Time a snapshot job may run before AWS Backup cancels it (a first full snapshot of a large volume)."""
MARGIN_MINUTES = 60
"""AWS Backup defers RDS jobs that start within an hour of the automated backup window."""
_DAY = 24 * 60


def dr_backup_replication(
    parent: NeutralComponent,
    name: str,
    primary: aws.rds.Instance,
    dr_key: aws.kms.Key,
    dr_region: str,
    retention_days: int,
) -> aws.rds.InstanceAutomatedBackupsReplication:
    """Replicate the primary's automated backups to ``dr_region``, encrypted there with the DR key.

    RDS copies each daily snapshot and ships the transaction logs continuously, so the copy can be
    restored to any point in the retention period.
    """
    return aws.rds.InstanceAutomatedBackupsReplication(
        f"{name}-dr-backups",
        source_db_instance_arn=primary.arn,
        kms_key_id=dr_key.arn,
        retention_period=retention_days,
        region=dr_region,
        opts=parent.child(),
    )


def snapshot_backups(
    parent: NeutralComponent,
    name: str,
    db: Database,
    primary: aws.rds.Instance,
    key: aws.kms.Key,
    tags: dict[str, str],
) -> aws.backup.Vault:
    """A daily snapshot of the primary, kept ``snapshots.retentionDays`` in a vault encrypted with the
    database key, taken by a role that may snapshot only this database."""
    region = parent.context.provider.region
    account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=parent)).account_id
    # AWS Backup refuses to delete a vault that holds recovery points; where nothing is protected
    # (a stack meant to be torn down) the vault goes with its snapshots.
    vault = aws.backup.Vault(
        f"{name}-snapshots",
        kms_key_arn=key.arn,
        force_destroy=not parent.context.protect_stateful,
        tags=tags,
        opts=parent.child(stateful=True),
    )
    role = service_role(
        parent, f"{name}-backup", "backup.amazonaws.com", f"Lets AWS Backup snapshot {name} and nothing else", tags
    )
    policy = aws.iam.RolePolicy(
        f"{name}-backup",
        role=role.id,
        policy=pulumi.Output.all(primary.arn, key.arn, account_id).apply(
            lambda values: json.dumps(backup_policy(values[0], values[1], region, values[2]))
        ),
        opts=parent.child(),
    )
    plan = aws.backup.Plan(
        f"{name}-snapshots",
        rules=[
            aws.backup.PlanRuleArgs(
                rule_name="daily-snapshot",
                target_vault_name=vault.name,
                schedule=snapshot_schedule(db.backup.window, db.maintenance_window),
                schedule_expression_timezone="Etc/UTC",
                start_window=START_WINDOW_MINUTES,
                completion_window=COMPLETION_WINDOW_MINUTES,
                enable_continuous_backup=False,
                lifecycle=aws.backup.PlanRuleLifecycleArgs(delete_after=db.snapshots.retention_days),
                recovery_point_tags=tags,
            )
        ],
        tags=tags,
        opts=parent.child(),
    )
    aws.backup.Selection(
        f"{name}-snapshots",
        plan_id=plan.id,
        iam_role_arn=role.arn,
        resources=[primary.arn],
        opts=parent.child(depends_on=[policy]),
    )
    return vault


def _minutes(clock: str) -> int:
    hours, minutes = clock.split(":")
    return int(hours) * 60 + int(minutes)


def _span(start: int, end: int) -> set[int]:
    """Minutes of the day from ``start`` up to ``end``, wrapping past midnight."""
    return {(start + i) % _DAY for i in range((end - start) % _DAY or _DAY)}


def snapshot_schedule(backup_window: str, maintenance_window: str) -> str:
    """A daily cron whose start window keeps an hour clear of the automated backup window and
    stays out of the maintenance window's hours (UTC)."""
    backup_start, backup_end = (_minutes(t) for t in backup_window.split("-"))
    maint_start, maint_end = (_minutes(t.split(":", 1)[1]) for t in maintenance_window.split("-"))
    blocked = _span(backup_start - MARGIN_MINUTES, backup_end + MARGIN_MINUTES) | _span(maint_start, maint_end)
    first = -(-(backup_end + MARGIN_MINUTES) // 60) * 60  # the first whole hour after the margin
    for hour in range(24):
        start = (first + hour * 60) % _DAY
        if not _span(start, start + START_WINDOW_MINUTES) & blocked:
            return f"cron({start % 60} {start // 60} * * ? *)"
    raise ValueError(f"no hour of the day avoids backup window {backup_window} and {maintenance_window}")


def backup_policy(db_arn: str, key_arn: str, region: str, account_id: str) -> dict[str, object]:
    """Snapshot this one database, manage only AWS Backup's own snapshots, use only its key.

    The RDS part of AWS's ``AWSBackupServiceRolePolicyForBackup``, narrowed to this database, its
    snapshots and its key; plus ``tag:GetResources``, which the Resource Groups Tagging API grants
    only on ``*`` and without which AWS Backup refuses the selection ("IAM Role … is not authorized
    to call tag:GetResources"), and tagging of this account's recovery points.
    """
    snapshots = f"arn:aws:rds:{region}:{account_id}:snapshot:awsbackup:*"
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "SnapshotThisDatabase",
                "Effect": "Allow",
                "Action": [
                    "rds:CreateDBSnapshot",
                    "rds:DescribeDBInstances",
                    "rds:DescribeDBSnapshots",
                    "rds:ListTagsForResource",
                    "rds:AddTagsToResource",
                ],
                "Resource": [db_arn, snapshots],
            },
            {
                "Sid": "ManageBackupSnapshots",
                "Effect": "Allow",
                "Action": ["rds:CopyDBSnapshot", "rds:DeleteDBSnapshot", "rds:ModifyDBSnapshotAttribute"],
                "Resource": [snapshots],
            },
            {
                "Sid": "UseTheDatabaseKey",
                "Effect": "Allow",
                "Action": ["kms:DescribeKey", "kms:Decrypt", "kms:GenerateDataKeyWithoutPlaintext"],
                "Resource": [key_arn],
            },
            {
                "Sid": "GrantTheKeyToAwsServicesOnly",
                "Effect": "Allow",
                "Action": "kms:CreateGrant",
                "Resource": [key_arn],
                "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}},
            },
            {
                "Sid": "TagRecoveryPoints",
                "Effect": "Allow",
                "Action": "backup:TagResource",
                "Resource": [f"arn:aws:backup:{region}:{account_id}:recovery-point:*"],
            },
            {
                "Sid": "ListTaggedResources",
                "Effect": "Allow",
                "Action": "tag:GetResources",
                "Resource": "*",
            },
        ],
    }
