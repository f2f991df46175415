"""AWS network, keys and logs: what the real APIs refuse that the SDK's types allow."""

from __future__ import annotations

from collections.abc import Sequence
from fnmatch import fnmatchcase
from typing import TYPE_CHECKING

from bettafish.config.network import CLOUDWATCH_RETENTION_DAYS
from bettafish.plan.fake_cloud.constraints import Constraint, registered
from bettafish.plan.fake_cloud.constraints.aws_common import (
    allows,
    as_list,
    find,
    principals,
    role_not_ready,
    statements,
)

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

KEY = "aws:kms/key:Key"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
_LOGS_CONTEXT = "kms:EncryptionContext:aws:logs:arn"


def _nat_before_internet_gateway(nat: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """A public NAT gateway created before its VPC has an internet gateway attached."""
    if nat.inputs.get("connectivityType", "public") != "public":
        return False
    subnet = find(before, "aws:ec2/subnet:Subnet", nat.inputs.get("subnetId"))
    if subnet is None:
        return False
    gateways = {
        g.urn
        for g in registered(before, "aws:ec2/internetGateway:InternetGateway")
        if g.inputs.get("vpcId") == subnet.inputs.get("vpcId")
    }
    return not gateways & set(nat.dependencies)


def _flow_log_role_not_ready(flow_log: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return role_not_ready(flow_log, before, flow_log.inputs.get("iamRoleArn"))


def _key_refuses_log_group(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """The log group's key policy does not let CloudWatch Logs use the key for this log group."""
    key_arn = group.inputs.get("kmsKeyId")
    if not isinstance(key_arn, str):
        return False
    key = next((k for k in registered(before, KEY) if key_arn.endswith(f":key/{k.id}")), None)
    if key is None:
        return False
    _, _, _, region, account, _ = key_arn.split(":", 5)
    group_arn = f"arn:aws:logs:{region}:{account}:log-group:{group.inputs.get('name') or group.name}"
    for statement in statements(key.inputs.get("policy")):
        if f"logs.{region}.amazonaws.com" not in principals(statement, "Service"):
            continue
        if not allows(statement, "kms:GenerateDataKey"):
            continue
        conditions = statement.get("Condition") or {}
        patterns = [
            p for test in conditions.values() if isinstance(test, dict) for p in as_list(test.get(_LOGS_CONTEXT))
        ]
        if not patterns or any(fnmatchcase(group_arn, p) for p in patterns):
            return False
    return True


def _unsupported_retention(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    days = group.inputs.get("retentionInDays")
    return days not in (None, 0) and days not in CLOUDWATCH_RETENTION_DAYS


def _key_policy_locks_out(key: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """No statement lets the account's IAM principals change the key policy again."""
    if key.inputs.get("bypassPolicyLockoutSafetyCheck") or not isinstance(key.inputs.get("policy"), str):
        return False
    return not any(
        allows(statement, "kms:PutKeyPolicy")
        and any(p.endswith(":root") or p.isdigit() for p in principals(statement, "AWS"))
        for statement in statements(key.inputs["policy"])
    )


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="aws-nat-gateway-after-internet-gateway",
        type="aws:ec2/natGateway:NatGateway",
        refuses=_nat_before_internet_gateway,
        error="Gateway.NotAttached: Network vpc-… has no Internet gateway attached (a public NAT gateway"
        " must wait for the VPC's internet gateway)",
        doc="https://docs.aws.amazon.com/vpc/latest/userguide/nat-gateway-troubleshooting.html",
    ),
    Constraint(
        id="aws-flow-log-role-ready",
        type="aws:ec2/flowLog:FlowLog",
        refuses=_flow_log_role_not_ready,
        error="Access error: The IAM role for your flow logs does not have sufficient permissions to send"
        " logs to the CloudWatch log group (the flow log must depend on the role's policy)",
        doc="https://docs.aws.amazon.com/vpc/latest/userguide/flow-logs-troubleshooting.html",
    ),
    Constraint(
        id="aws-logs-key-policy",
        type=LOG_GROUP,
        refuses=_key_refuses_log_group,
        error="AccessDeniedException: The specified KMS key does not exist or is not allowed to be used with"
        " Arn 'arn:aws:logs:…:log-group:…' (the key policy must allow logs.<region>.amazonaws.com for this"
        " log group's encryption context)",
        doc="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
    ),
    Constraint(
        id="aws-logs-retention-days",
        type=LOG_GROUP,
        refuses=_unsupported_retention,
        error="InvalidParameterException: Value at 'retentionInDays' failed to satisfy constraint: Member must"
        " satisfy enum value set: [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827,"
        " 2192, 2557, 2922, 3288, 3653]",
        doc="https://docs.aws.amazon.com/AmazonCloudWatchLogs/latest/APIReference/API_PutRetentionPolicy.html",
    ),
    Constraint(
        id="aws-kms-policy-lockout",
        type=KEY,
        refuses=_key_policy_locks_out,
        error="MalformedPolicyDocumentException: The new key policy will not allow you to update the key"
        " policy in the future.",
        doc="https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html#prevent-unmanageable-key",
    ),
)
