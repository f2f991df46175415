"""The role RDS Enhanced Monitoring assumes to publish OS metrics to CloudWatch Logs."""

from __future__ import annotations

import pulumi_aws as aws

from components.base import NeutralComponent
from providers.aws.iam import service_role

ENHANCED_MONITORING_POLICY = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
"""AWS's managed policy: write only to the ``RDSOSMetrics`` log group."""


def enhanced_monitoring_role(
    parent: NeutralComponent, name: str, tags: dict[str, str]
) -> tuple[aws.iam.Role, aws.iam.RolePolicyAttachment]:
    """The role and its policy attachment: an instance must wait for the attachment, or RDS may
    check the role before it holds the permission and refuse it (ENHANCED_MONITORING)."""
    role = service_role(
        parent,
        f"{name}-monitoring",
        "monitoring.rds.amazonaws.com",
        f"Lets RDS Enhanced Monitoring publish OS metrics of {name}",
        tags,
    )
    attachment = aws.iam.RolePolicyAttachment(
        f"{name}-monitoring", role=role.name, policy_arn=ENHANCED_MONITORING_POLICY, opts=parent.child()
    )
    return role, attachment
