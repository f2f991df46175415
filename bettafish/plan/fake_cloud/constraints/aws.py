"""AWS: what the real API refuses that the SDK's types allow (see the package docstring)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bettafish.plan.fake_cloud.constraints import Constraint, registered, value

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource


def _monitoring_role_not_ready(rds: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """Enhanced monitoring names a role whose policy attachment the instance does not wait for."""
    arn = value(rds.inputs, "monitoringRoleArn")
    if not arn or not value(rds.inputs, "monitoringInterval"):
        return False
    role_name = str(arn).rsplit("/", 1)[-1]
    attachments = [
        a.urn
        for a in registered(before, "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
        if a.inputs.get("role") == role_name
    ]
    return not set(attachments) & set(rds.dependencies)


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="aws-rds-monitoring-role-ready",
        type="aws:rds/instance:Instance",
        refuses=_monitoring_role_not_ready,
        error="InvalidParameterCombination: IAM role ARN value is invalid or does not include the required"
        " permissions for: ENHANCED_MONITORING (the instance must depend on the role's policy attachment)",
        doc="https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/USER_Monitoring.OS.Enabling.html",
    ),
)
