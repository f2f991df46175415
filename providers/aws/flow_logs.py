"""AWS VPC flow logs to a CloudWatch log group encrypted with the stack's logs key, written by a
role only VPC Flow Logs of this account can assume."""

from __future__ import annotations

import json

import pulumi_aws as aws

from bettafish.config.network import FlowLogs
from components.base import NeutralComponent
from providers.aws.iam import service_role


def vpc_flow_log(
    parent: NeutralComponent,
    name: str,
    cfg: FlowLogs,
    vpc: aws.ec2.Vpc,
    logs_key: aws.kms.Key,
    region: str,
    tags: dict[str, str],
) -> aws.ec2.FlowLog:
    log_group = aws.cloudwatch.LogGroup(
        f"{name}-flow-logs",
        name=f"/bettafish/{name}/vpc-flow-logs",
        retention_in_days=cfg.retention_days,
        kms_key_id=logs_key.arn,
        tags=tags,
        opts=parent.child(),
    )
    role = service_role(
        parent,
        f"{name}-flow-logs",
        "vpc-flow-logs.amazonaws.com",
        "Lets VPC Flow Logs write this VPC's flow log group",
        tags,
        source_arn=f"arn:aws:ec2:{region}:{{account}}:vpc-flow-log/*",
    )
    permissions = aws.iam.RolePolicy(
        f"{name}-flow-logs",
        role=role.id,
        policy=log_group.arn.apply(lambda arn: json.dumps(_write_policy(arn))),
        opts=parent.child(),
    )
    return aws.ec2.FlowLog(
        f"{name}-flow-log",
        vpc_id=vpc.id,
        traffic_type=cfg.traffic_type,
        log_destination_type="cloud-watch-logs",
        log_destination=log_group.arn,
        iam_role_arn=role.arn,
        max_aggregation_interval=cfg.aggregation_interval_seconds,
        tags=tags,
        # A flow log whose role cannot write yet fails delivery ("Access error") from the start.
        opts=parent.child(depends_on=[permissions]),
    )


def _write_policy(log_group_arn: str) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "WriteThisLogGroup",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"],
                "Resource": [log_group_arn, f"{log_group_arn}:*"],
            }
        ],
    }
