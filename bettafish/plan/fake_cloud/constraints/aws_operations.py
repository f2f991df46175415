"""AWS operations: what S3 replication, CloudWatch alarms, AWS Budgets and Cost Anomaly Detection
refuse that the SDK's types allow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bettafish.plan.fake_cloud.constraints import Constraint, registered, upstream, value

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
BUCKET = "aws:s3/bucket:Bucket"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
BUDGET_NOTIFICATIONS = 5
S3 = "https://docs.aws.amazon.com/AmazonS3/latest/userguide"


def _replicating_unversioned(config: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """The source bucket (by name) and each destination (by ARN) need versioning enabled, and the
    configuration must wait for it (both wait for the bucket only, so either may come first)."""
    destinations = {str(value(rule, "destination.bucket", "")) for rule in config.inputs.get("rules") or []}
    ids = [b.id for b in registered(before, BUCKET) if f"arn:aws:s3:::{b.id}" in destinations]
    versioned = {
        v.inputs.get("bucket")
        for v in upstream(config, before)
        if v.type == VERSIONING and value(v.inputs, "versioningConfiguration.status") == "Enabled"
    }
    return not all(bucket in versioned for bucket in [config.inputs.get("bucket"), *ids])


def _rtc_without_metrics(config: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return any(
        value(rule, "destination.replicationTime.status") == "Enabled"
        and value(rule, "destination.metrics.status") != "Enabled"
        for rule in config.inputs.get("rules") or []
    )


def _action_in_another_region(alarm: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    region = alarm.inputs.get("region")
    actions = [*(alarm.inputs.get("alarmActions") or []), *(alarm.inputs.get("okActions") or [])]
    return region is not None and any(
        str(a).startswith("arn:aws:sns:") and str(a).split(":")[3] != region for a in actions
    )


def _too_many_notifications(budget: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return len(budget.inputs.get("notifications") or []) > BUDGET_NOTIFICATIONS


def _immediate_to_email(subscription: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return subscription.inputs.get("frequency") == "IMMEDIATE" and any(
        s.get("type") == "EMAIL" for s in subscription.inputs.get("subscribers") or []
    )


def _second_dimensional_monitor(monitor: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    dimension = monitor.inputs.get("monitorDimension")
    return monitor.inputs.get("monitorType") == "DIMENSIONAL" and any(
        m.inputs.get("monitorType") == "DIMENSIONAL" and m.inputs.get("monitorDimension") == dimension
        for m in registered(before, "aws:costexplorer/anomalyMonitor:AnomalyMonitor")
    )


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="aws-anomaly-dimensional-monitor-per-account",
        type="aws:costexplorer/anomalyMonitor:AnomalyMonitor",
        refuses=_second_dimensional_monitor,
        error="ValidationException: Limit exceeded on dimensional spend monitor creation (one AWS-managed monitor"
        " per dimension and account)",
        doc="https://docs.aws.amazon.com/cost-management/latest/userguide/management-limits.html",
    ),
    Constraint(
        id="aws-s3-replication-versioned",
        type=REPLICATION,
        refuses=_replicating_unversioned,
        error="InvalidRequest: Versioning must be 'Enabled' on the bucket to apply a replication configuration"
        " (the source and every destination, before the configuration is put)",
        doc=f"{S3}/replication-requirements.html",
    ),
    Constraint(
        id="aws-s3-rtc-needs-metrics",
        type=REPLICATION,
        refuses=_rtc_without_metrics,
        error="InvalidRequest: Replication Time Control must be used in conjunction with Metrics",
        doc=f"{S3}/replication-time-control.html",
    ),
    Constraint(
        id="aws-alarm-action-same-region",
        type=ALARM,
        refuses=_action_in_another_region,
        error="ValidationError: Invalid region <topic's> specified. Only <alarm's> is supported (an alarm notifies"
        " SNS topics of its own region only)",
        doc="https://docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/API_PutMetricAlarm.html",
    ),
    Constraint(
        id="aws-budget-notifications",
        type="aws:budgets/budget:Budget",
        refuses=_too_many_notifications,
        error="InvalidParameterException: a budget has at most 5 notifications",
        doc="https://docs.aws.amazon.com/cost-management/latest/userguide/budgets-limits.html",
    ),
    Constraint(
        id="aws-anomaly-immediate-needs-sns",
        type="aws:costexplorer/anomalySubscription:AnomalySubscription",
        refuses=_immediate_to_email,
        error="ValidationException: Immediate alerts are only supported for SNS subscribers (e-mail takes daily or"
        " weekly summaries)",
        doc="https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_AnomalySubscription.html",
    ),
)
