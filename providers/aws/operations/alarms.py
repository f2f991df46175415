"""CloudWatch alarms: the configured ``monitoring.alarms`` on the signals AWS publishes for them, and
the ones an operator expects besides (``monitoring.operatorAlarms``), each notifying its region's
topic when it fires and when it clears."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from bettafish.config.operations import Alarm, OperatorAlarms
from components.base import NeutralComponent

COMPARISONS = {
    "greaterThan": "GreaterThanThreshold",
    "greaterThanOrEqual": "GreaterThanOrEqualToThreshold",
    "lessThan": "LessThanThreshold",
    "lessThanOrEqual": "LessThanOrEqualToThreshold",
}
CLOUDFRONT_DIMENSIONS = {"Region": "Global"}
"""CloudFront publishes its metrics in us-east-1 with ``Region=Global`` besides the distribution."""


@dataclass(frozen=True)
class Signal:
    """One metric to watch: where it lives and how it is aggregated over a period."""

    role: str
    """Short name for the alarm's name (``nodes``, ``db-primary``...)."""
    namespace: str
    metric: str
    dimensions: dict[str, pulumi.Input[str]]
    region: str
    statistic: str = "Average"
    missing_data: str = "missing"
    """``notBreaching`` where no data means no traffic (the CDN), ``missing`` where it means trouble."""


@dataclass(frozen=True)
class AlarmSpec:
    name: str
    """``<configured name>`` or ``<operator alarm>``, the alarm is ``<prefix>-<name>-<signal role>``."""
    signal: Signal
    threshold: pulumi.Input[float]
    comparison: str
    evaluation_periods: int
    period_seconds: int
    description: str


def configured(alarm: Alarm, signals: list[Signal]) -> list[AlarmSpec]:
    """A configured alarm on each signal of its metric, exactly as configured."""
    return [
        AlarmSpec(
            name=alarm.name,
            signal=signal,
            threshold=alarm.threshold,
            comparison=COMPARISONS[alarm.comparison],
            evaluation_periods=alarm.evaluation_periods,
            period_seconds=alarm.period_seconds,
            description=f"{alarm.name}: {alarm.metric} {alarm.comparison} {alarm.threshold:g}"
            f" for {alarm.evaluation_periods} x {alarm.period_seconds} s ({signal.namespace} {signal.metric})",
        )
        for signal in signals
    ]


def operator(
    name: str, signal: Signal, threshold: pulumi.Input[float], comparison: str, ops: OperatorAlarms, what: str
) -> AlarmSpec:
    return AlarmSpec(
        name=name,
        signal=signal,
        threshold=threshold,
        comparison=comparison,
        evaluation_periods=ops.evaluation_periods,
        period_seconds=ops.period_seconds,
        description=f"{name}: {what} ({signal.namespace} {signal.metric})",
    )


def metric_alarm(
    parent: NeutralComponent, prefix: str, spec: AlarmSpec, topic: aws.sns.Topic, tags: dict[str, str]
) -> aws.cloudwatch.MetricAlarm:
    signal = spec.signal
    alarm_name = f"{prefix}-{spec.name}-{signal.role}"
    resource_name = f"{parent.name}-{spec.name}-{signal.role}"
    return aws.cloudwatch.MetricAlarm(
        resource_name,
        name=alarm_name,
        alarm_description=spec.description,
        namespace=signal.namespace,
        metric_name=signal.metric,
        dimensions=signal.dimensions,
        period=spec.period_seconds,
        threshold=spec.threshold,
        comparison_operator=spec.comparison,
        evaluation_periods=spec.evaluation_periods,
        datapoints_to_alarm=spec.evaluation_periods,
        treat_missing_data=signal.missing_data,
        actions_enabled=True,
        alarm_actions=[topic.arn],
        ok_actions=[topic.arn],
        region=signal.region,
        tags=tags,
        opts=parent.child(),
        **_statistic(signal.statistic),
    )


def _statistic(statistic: str) -> dict[str, str]:
    """A percentile (``p95``) is an extended statistic to CloudWatch; the others are plain ones."""
    return {"extended_statistic": statistic} if statistic.startswith("p") else {"statistic": statistic}
