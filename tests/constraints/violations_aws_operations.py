"""AWS operations registrations the real APIs refuse: S3 replication, alarms, budgets, anomaly
subscriptions."""

from __future__ import annotations

from collections.abc import Callable

import pulumi
import pulumi_aws as aws


def _replication(source: aws.s3.Bucket, replica: aws.s3.Bucket, *, metrics: bool, after: list[pulumi.Resource]) -> None:
    aws.s3.BucketReplicationConfig(
        "replication",
        bucket=source.id,
        role="arn:aws:iam::123456789012:role/replication",
        rules=[
            aws.s3.BucketReplicationConfigRuleArgs(
                id="all",
                status="Enabled",
                filter=aws.s3.BucketReplicationConfigRuleFilterArgs(prefix=""),
                delete_marker_replication=aws.s3.BucketReplicationConfigRuleDeleteMarkerReplicationArgs(
                    status="Enabled"
                ),
                destination=aws.s3.BucketReplicationConfigRuleDestinationArgs(
                    bucket=replica.arn,
                    replication_time=aws.s3.BucketReplicationConfigRuleDestinationReplicationTimeArgs(
                        status="Enabled",
                        time=aws.s3.BucketReplicationConfigRuleDestinationReplicationTimeTimeArgs(minutes=15),
                    ),
                    metrics=aws.s3.BucketReplicationConfigRuleDestinationMetricsArgs(
                        status="Enabled" if metrics else "Disabled"
                    ),
                ),
            )
        ],
        opts=pulumi.ResourceOptions(depends_on=after),
    )


def _versioned(name: str, region: str | None = None) -> tuple[aws.s3.Bucket, aws.s3.BucketVersioning]:
    bucket = aws.s3.Bucket(name, force_destroy=True, region=region)
    versioning = aws.s3.BucketVersioning(
        name,
        bucket=bucket.id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(status="Enabled"),
        region=region,
    )
    return bucket, versioning


def replica_without_versioning() -> None:
    source, versioning = _versioned("source")
    replica = aws.s3.Bucket("replica", force_destroy=True, region="us-west-2")
    _replication(source, replica, metrics=True, after=[versioning])


def rtc_without_metrics() -> None:
    (source, versioned), (replica, replica_versioned) = _versioned("source"), _versioned("replica", "us-west-2")
    _replication(source, replica, metrics=False, after=[versioned, replica_versioned])


def alarm_notifying_another_region() -> None:
    topic = aws.sns.Topic("alarms", region="us-west-2")
    aws.cloudwatch.MetricAlarm(
        "cpu",
        namespace="AWS/RDS",
        metric_name="CPUUtilization",
        statistic="Average",
        period=300,
        evaluation_periods=3,
        threshold=80,
        comparison_operator="GreaterThanThreshold",
        alarm_actions=[topic.arn],
        region="us-east-1",
    )


def budget_with_six_notifications() -> None:
    aws.budgets.Budget(
        "monthly",
        budget_type="COST",
        limit_amount="100.00",
        limit_unit="USD",
        time_unit="MONTHLY",
        notifications=[
            aws.budgets.BudgetNotificationArgs(
                notification_type=kind,
                comparison_operator="GREATER_THAN",
                threshold=percent,
                threshold_type="PERCENTAGE",
                subscriber_email_addresses=["ops@example.com"],
            )
            for percent in (50, 80, 100)
            for kind in ("ACTUAL", "FORECASTED")
        ],
    )


def immediate_anomaly_alerts_by_email() -> None:
    monitor = aws.costexplorer.AnomalyMonitor(
        "services", name="services", monitor_type="DIMENSIONAL", monitor_dimension="SERVICE"
    )
    aws.costexplorer.AnomalySubscription(
        "anomalies",
        name="anomalies",
        frequency="IMMEDIATE",
        monitor_arn_lists=[monitor.arn],
        subscribers=[aws.costexplorer.AnomalySubscriptionSubscriberArgs(type="EMAIL", address="ops@example.com")],
    )


def two_services_monitors() -> None:
    first = aws.costexplorer.AnomalyMonitor(
        "services", name="services", monitor_type="DIMENSIONAL", monitor_dimension="SERVICE"
    )
    aws.costexplorer.AnomalyMonitor(
        "services-again",
        name="services-again",
        monitor_type="DIMENSIONAL",
        monitor_dimension="SERVICE",
        opts=pulumi.ResourceOptions(depends_on=[first]),
    )


VIOLATIONS: dict[str, Callable[[], None]] = {
    "aws-anomaly-dimensional-monitor-per-account": two_services_monitors,
    "aws-s3-replication-versioned": replica_without_versioning,
    "aws-s3-rtc-needs-metrics": rtc_without_metrics,
    "aws-alarm-action-same-region": alarm_notifying_another_region,
    "aws-budget-notifications": budget_with_six_notifications,
    "aws-anomaly-immediate-needs-sns": immediate_anomaly_alerts_by_email,
}
