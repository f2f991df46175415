"""The role RDS Enhanced Monitoring assumes to publish OS metrics to CloudWatch Logs."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components.base import NeutralComponent

ENHANCED_MONITORING_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
"""AWS's managed policy: write only to the ``RDSOSMetrics`` log group."""


def enhanced_monitoring_role(parent: NeutralComponent, name: str, tags: dict[str, str]) -> aws.iam.Role:
    account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=parent)).account_id
    role = aws.iam.Role(
        f"{name}-monitoring",
        description=f"Lets RDS Enhanced Monitoring publish OS metrics of {name}",
        assume_role_policy=account_id.apply(lambda account: json.dumps(trust_policy(account))),
        tags=tags,
        opts=parent.child(),
    )
    aws.iam.RolePolicyAttachment(
        f"{name}-monitoring", role=role.name, policy_arn=ENHANCED_MONITORING_POLICY, opts=parent.child()
    )
    return role


def trust_policy(account_id: str) -> dict[str, object]:
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Effect": "Allow",
                "Principal": {"Service": "monitoring.rds.amazonaws.com"},
                "Action": "sts:AssumeRole",
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            }
        ],
    }
