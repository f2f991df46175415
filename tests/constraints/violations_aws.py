"""AWS registrations the real API refuses: one small program per constraint id."""

from __future__ import annotations

from collections.abc import Callable

import pulumi_aws as aws


def rds_monitoring_role_not_ready() -> None:
    role = aws.iam.Role("monitoring", assume_role_policy="{}")
    aws.iam.RolePolicyAttachment(
        "monitoring", role=role.name, policy_arn="arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
    )
    aws.rds.Instance("db", instance_class="db.r5.large", monitoring_interval=60, monitoring_role_arn=role.arn)


VIOLATIONS: dict[str, Callable[[], None]] = {
    "aws-rds-monitoring-role-ready": rds_monitoring_role_not_ready,
}
