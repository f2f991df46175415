"""Backups beyond the automated ones: a copy of the automated backups (snapshots and transaction
logs) in the DR region, and long-term encrypted snapshots kept by AWS Backup (copied to a vault in
the DR region too when the database is copied there)."""

from __future__ import annotations

import json
from dataclasses import dataclass

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
    dr: tuple[str, aws.kms.Key] | None = None,
) -> aws.backup.Vault:
    """A daily snapshot of the primary, kept ``snapshots.retentionDays`` in a vault encrypted with the
    database key, taken by a role that may snapshot only this database. With ``dr`` (the DR region
    and its database key), each snapshot is also copied to a vault there and kept as long."""
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
    dr_vault = None
    copies: list[aws.backup.PlanRuleCopyActionArgs] = []
    if dr is not None:
        dr_region, dr_key = dr
        dr_vault = aws.backup.Vault(
            f"{name}-snapshots-dr",
            kms_key_arn=dr_key.arn,
            force_destroy=not parent.context.protect_stateful,
            region=dr_region,
            tags=tags,
            opts=parent.child(stateful=True),
        )
        copies = [
            aws.backup.PlanRuleCopyActionArgs(
                destination_vault_arn=dr_vault.arn,
                lifecycle=aws.backup.PlanRuleCopyActionLifecycleArgs(delete_after=db.snapshots.retention_days),
            )
        ]
    policy = aws.iam.RolePolicy(
        f"{name}-backup",
        role=role.id,
        policy=pulumi.Output.all(
            primary.arn, key.arn, account_id, *([dr[1].arn, dr_vault.arn] if dr and dr_vault else [])
        ).apply(
            lambda values: json.dumps(
                backup_policy(
                    values[0],
                    values[1],
                    region,
                    values[2],
                    DrCopy(dr[0], values[3], values[4]) if dr is not None else None,
                )
            )
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
                copy_actions=copies or None,
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


@dataclass(frozen=True)
class DrCopy:
    """Where the snapshots are copied: the DR region, its database key and the vault there."""

    region: str
    key_arn: str
    vault_arn: str


def backup_policy(
    db_arn: str, key_arn: str, region: str, account_id: str, dr: DrCopy | None = None
) -> dict[str, object]:
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
            *(_dr_copy_statements(dr, account_id) if dr else []),
        ],
    }


def _dr_copy_statements(dr: DrCopy, account_id: str) -> list[dict[str, object]]:
    """Copy each snapshot into the DR vault: RDS copies it across regions re-encrypted with the DR key."""
    copies = f"arn:aws:rds:{dr.region}:{account_id}:snapshot:awsbackup:*"
    return [
        {
            "Sid": "CopyIntoTheDrVault",
            "Effect": "Allow",
            "Action": "backup:CopyIntoBackupVault",
            "Resource": [dr.vault_arn],
        },
        {
            "Sid": "ManageDrSnapshots",
            "Effect": "Allow",
            "Action": [
                "rds:CopyDBSnapshot",
                "rds:DescribeDBSnapshots",
                "rds:AddTagsToResource",
                "rds:DeleteDBSnapshot",
            ],
            "Resource": [copies],
        },
        {
            "Sid": "UseTheDrKey",
            "Effect": "Allow",
            "Action": ["kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKeyWithoutPlaintext"],
            "Resource": [dr.key_arn],
        },
        {
            "Sid": "GrantTheDrKeyToAwsServicesOnly",
            "Effect": "Allow",
            "Action": "kms:CreateGrant",
            "Resource": [dr.key_arn],
            "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}},
        },
    ]
