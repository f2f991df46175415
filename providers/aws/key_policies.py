"""Key policies per purpose: the account administers every key, and a purpose adds the statements
of the AWS services that use its key as themselves rather than on a caller's behalf.

Most services (RDS, ElastiCache, S3, Secrets Manager, AWS Backup) use a key with the permissions of
the principal that calls them, granted through IAM, which the account statement delegates to. A
few act as their own service principal, and KMS then looks only at the key policy: those get a
statement here, per purpose, in ``SERVICE_STATEMENTS`` (add one function for a new purpose).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from components.keys import KeyPurpose

Statement = dict[str, object]

LOG_GROUP_PREFIXES = ("/bettafish/", "/aws/rds/instance/", "/aws/eks/", "aws-waf-logs-", "/aws/containerinsights/")
"""The log group families the logs key serves in its account and region: the project's own
(``/bettafish/…``), those RDS, EKS and Container Insights name after an instance or cluster, and
the WAF's (AWS WAF logs only to a destination named ``aws-waf-logs-…``). A log group elsewhere
needs its family here, or CloudWatch Logs refuses the key."""


@dataclass(frozen=True)
class KeyPolicyContext:
    account_id: str
    region: str
    """The key's region (services are regional principals, ``logs.<region>.amazonaws.com``)."""


def key_policy(purpose: KeyPurpose, ctx: KeyPolicyContext) -> dict[str, object]:
    """The account administers and delegates use to IAM; then the purpose's service statements.

    In a key policy ``Resource: "*"`` means "this key". No principal is ever ``*``.
    """
    extra = SERVICE_STATEMENTS.get(purpose)
    return {"Version": "2012-10-17", "Statement": [account_administers(ctx.account_id), *(extra(ctx) if extra else [])]}


def account_administers(account_id: str) -> Statement:
    """The account root holds every KMS action on the key, so IAM policies decide who uses it and the
    key can never lock its own account out."""
    return {
        "Sid": "AccountAdministersAndDelegatesToIam",
        "Effect": "Allow",
        "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
        "Action": "kms:*",
        "Resource": "*",
    }


def cloudwatch_logs(ctx: KeyPolicyContext) -> list[Statement]:
    """CloudWatch Logs encrypts a log group with a key only if the key policy itself lets the
    regional ``logs`` service principal use it, for that log group (the ``aws:logs:arn`` encryption
    context); IAM permissions do not count. Otherwise CreateLogGroup fails with "The specified KMS
    key does not exist or is not allowed to be used with Arn …"."""
    log_groups = [f"arn:aws:logs:{ctx.region}:{ctx.account_id}:log-group:{family}*" for family in LOG_GROUP_PREFIXES]
    return [
        {
            "Sid": "CloudWatchLogsEncryptsOurLogGroups",
            "Effect": "Allow",
            "Principal": {"Service": f"logs.{ctx.region}.amazonaws.com"},
            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            "Resource": "*",
            "Condition": {"ArnLike": {"kms:EncryptionContext:aws:logs:arn": log_groups}},
        }
    ]


def auto_scaling_volumes(ctx: KeyPolicyContext) -> list[Statement]:
    """EKS node groups launch through EC2 Auto Scaling, whose service-linked role encrypts the nodes'
    root volumes with the ``kubernetes`` key. IAM policies cannot be attached to a service-linked
    role, so the key policy names it (the EC2 Auto Scaling guide's key policy for encrypted volumes).
    The role must exist when the key policy is written: in a fresh account, create it first
    (docs/deploying.md)."""
    autoscaling = {
        "AWS": f"arn:aws:iam::{ctx.account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
    }
    return [
        {
            "Sid": "AutoScalingUsesKeyForNodeVolumes",
            "Effect": "Allow",
            "Principal": autoscaling,
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            "Resource": "*",
        },
        {
            "Sid": "AutoScalingGrantsKeyToAttachedVolumes",
            "Effect": "Allow",
            "Principal": autoscaling,
            "Action": "kms:CreateGrant",
            "Resource": "*",
            "Condition": {"Bool": {"kms:GrantIsForAWSResource": True}},
        },
    ]


def alarm_notifications(ctx: KeyPolicyContext) -> list[Statement]:
    """The alarm topics are encrypted with the logs key: CloudWatch publishes an alarm to an encrypted
    SNS topic only if the key policy lets ``cloudwatch.amazonaws.com`` generate and decrypt its data
    keys (SNS guide, "compatibility between event sources from AWS services and encrypted topics");
    otherwise the alarm's action fails silently."""
    return [
        {
            "Sid": "CloudWatchAlarmsPublishToOurTopics",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
        }
    ]


SERVICE_STATEMENTS: dict[KeyPurpose, Callable[[KeyPolicyContext], list[Statement]]] = {
    "logs": lambda ctx: [*cloudwatch_logs(ctx), *alarm_notifications(ctx)],
    "kubernetes": auto_scaling_volumes,
}
"""The statements a purpose's key needs beyond the account's (services acting as themselves)."""
