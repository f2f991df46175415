"""AWS registrations the real API refuses: one small program per constraint id (network, keys and
logs here; databases, caches, backups and S3 in ``violations_aws_data``)."""

from __future__ import annotations

import json
from collections.abc import Callable

import pulumi_aws as aws

from tests.constraints import (
    violations_aws_cdn,
    violations_aws_data,
    violations_aws_operations,
    violations_aws_workloads,
)

ACCOUNT_ROOT = {"AWS": "arn:aws:iam::123456789012:root"}


def key(name: str, statements: list[dict[str, object]]) -> aws.kms.Key:
    return aws.kms.Key(name, policy=json.dumps({"Version": "2012-10-17", "Statement": statements}))


def administered(*extra: dict[str, object]) -> list[dict[str, object]]:
    return [{"Effect": "Allow", "Principal": ACCOUNT_ROOT, "Action": "kms:*", "Resource": "*"}, *extra]


def nat_gateway_before_internet_gateway() -> None:
    vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
    subnet = aws.ec2.Subnet("public", vpc_id=vpc.id, cidr_block="10.0.1.0/24")
    aws.ec2.InternetGateway("igw", vpc_id=vpc.id)
    eip = aws.ec2.Eip("nat", domain="vpc")
    aws.ec2.NatGateway("nat", allocation_id=eip.id, subnet_id=subnet.id, connectivity_type="public")


def flow_log_role_not_ready() -> None:
    vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
    role = aws.iam.Role("flow-logs", assume_role_policy="{}")
    aws.iam.RolePolicy("flow-logs", role=role.id, policy="{}")
    aws.ec2.FlowLog(
        "flow", vpc_id=vpc.id, iam_role_arn=role.arn, log_destination="arn:aws:logs:us-east-1:1:log-group:x"
    )


def log_group_key_without_logs_statement() -> None:
    logs_key = key("logs", administered())
    aws.cloudwatch.LogGroup("app", name="/bettafish/app", retention_in_days=30, kms_key_id=logs_key.arn)


def log_group_outside_the_keys_log_groups() -> None:
    """The key lets CloudWatch Logs use it, but only for other log groups."""
    logs_key = key(
        "logs",
        administered(
            {
                "Effect": "Allow",
                "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
                "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
                "Resource": "*",
                "Condition": {
                    "ArnLike": {
                        "kms:EncryptionContext:aws:logs:arn": "arn:aws:logs:us-east-1:123456789012:log-group:/other/*"
                    }
                },
            }
        ),
    )
    aws.cloudwatch.LogGroup("app", name="/bettafish/app", retention_in_days=30, kms_key_id=logs_key.arn)


def log_group_retention_not_offered() -> None:
    aws.cloudwatch.LogGroup("app", name="/bettafish/app", retention_in_days=45)


def key_policy_locks_out_the_account() -> None:
    key(
        "locked",
        [
            {
                "Effect": "Allow",
                "Principal": {"Service": "logs.us-east-1.amazonaws.com"},
                "Action": "kms:Decrypt",
                "Resource": "*",
            }
        ],
    )


VIOLATIONS: dict[str, Callable[[], None]] = {
    "aws-nat-gateway-after-internet-gateway": nat_gateway_before_internet_gateway,
    "aws-flow-log-role-ready": flow_log_role_not_ready,
    "aws-logs-key-policy": log_group_key_without_logs_statement,
    "aws-logs-retention-days": log_group_retention_not_offered,
    "aws-kms-policy-lockout": key_policy_locks_out_the_account,
    **violations_aws_data.VIOLATIONS,
    **violations_aws_workloads.VIOLATIONS,
    **violations_aws_cdn.VIOLATIONS,
    **violations_aws_operations.VIOLATIONS,
}
