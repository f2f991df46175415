"""Azure Monitor metric alerts to one action group e-mailing ``monitoring.notificationEmails``.

Each alarm of ``monitoring.alarms`` becomes one alert per resource it watches (Azure's multi-resource
alerts cover virtual machines and a few other types, not AKS, PostgreSQL or Front Door):

- ``errorRate``: Front Door's ``Percentage5XX`` (5xx responses over all requests, at the edge);
- ``cpuUtilization`` / ``memoryUtilization``: AKS's node metrics over every node, and each
  PostgreSQL server (primary and replicas).

A static metric alert looks back over ONE window (``periods x period``, which must be one of Azure's
window sizes: checked at config time) every ``period``, on the window's average: the nearest Azure
comes to "N consecutive periods above the threshold".

Besides, what an operator expects (``operator_alerts``): database storage, replica lag beyond the
spec's 5-minute database RPO, cache memory beyond what the cache leaves free
(``cache.reservedMemoryPercent``), pods
the cluster autoscaler cannot place (a pool at its maximum size), and WAF blocks spiking (a dynamic
threshold: Azure learns the usual block rate).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TypeAlias

import pulumi
from pulumi_azure_native import monitor, resources

from bettafish.config.operations import Alarm
from components.base import NeutralComponent

COMPARISONS = {
    "greaterThan": "GreaterThan",
    "greaterThanOrEqual": "GreaterThanOrEqual",
    "lessThan": "LessThan",
    "lessThanOrEqual": "LessThanOrEqual",
}
CDN = "Microsoft.Cdn/profiles"
CLUSTER = "Microsoft.ContainerService/managedClusters"
POSTGRES = "Microsoft.DBforPostgreSQL/flexibleServers"
REDIS = "Microsoft.Cache/redisEnterprise"
NODE_METRICS = {
    "cpuUtilization": "node_cpu_usage_percentage",
    "memoryUtilization": "node_memory_working_set_percentage",
}
DATABASE_METRICS = {"cpuUtilization": "cpu_percent", "memoryUtilization": "memory_percent"}
OPERATOR_WINDOW = ("PT15M", "PT5M")
"""Window and frequency of the operator alerts: a quarter hour, evaluated every 5 minutes."""
Criteria: TypeAlias = (
    monitor.MetricAlertSingleResourceMultipleMetricCriteriaArgs
    | monitor.MetricAlertMultipleResourceMultipleMetricCriteriaArgs
)
"""Typed criteria: the SDK cannot tell the union's dict shapes apart, and would send snake_case keys."""
DATABASE_STORAGE_PERCENT = 85.0
"""Storage used on a server: the headroom to grow the disk (online, upwards only) before it fills."""
REPLICA_LAG_SECONDS = 300
"""The spec's 5-minute database RPO: a replica further behind serves reads that old, and promoting it
would lose more than the spec allows (the stack's Azure target is the geo-backup's hour)."""


@dataclass(frozen=True)
class Watched:
    """One resource an alert watches: its role in the alert's name, ARM id and type."""

    role: str
    resource_id: pulumi.Input[str]
    resource_type: str


def minutes(seconds: int) -> str:
    return f"PT{seconds // 60}M" if seconds < 3600 else f"PT{seconds // 3600}H"


def action_group(
    parent: NeutralComponent, name: str, emails: list[str], rg: resources.ResourceGroup, tags: dict[str, str]
) -> monitor.ActionGroup:
    return monitor.ActionGroup(
        f"{name}-oncall",
        action_group_name=f"{name}-oncall",
        resource_group_name=rg.name,
        # Action groups are global resources.
        location="Global",
        group_short_name="oncall",
        enabled=True,
        email_receivers=[
            {"name": f"email-{i + 1}", "email_address": email, "use_common_alert_schema": True}
            for i, email in enumerate(emails)
        ],
        tags=tags,
        opts=parent.child(),
    )


class Alerts:
    """Builds metric alerts into one resource group, all to one action group; ``names`` as Azure knows them."""

    def __init__(
        self,
        parent: NeutralComponent,
        rg: resources.ResourceGroup,
        group: monitor.ActionGroup,
        tags: dict[str, str],
    ) -> None:
        self.parent, self.rg, self.group, self.tags = parent, rg, group, tags
        self.alerts: list[monitor.MetricAlert] = []
        self.names: list[str] = []

    def configured(self, alarm: Alarm, watched: list[Watched], metrics: dict[str, str]) -> None:
        """``alarm`` on each watched resource, with its metric, threshold, comparison and periods."""
        for target in watched:
            self.static(
                f"{alarm.name}-{target.role}",
                f"{alarm.metric} {alarm.comparison} {alarm.threshold:g} over"
                f" {alarm.evaluation_periods} x {alarm.period_seconds} s ({metrics[target.resource_type]})",
                target,
                metric=metrics[target.resource_type],
                operator=COMPARISONS[alarm.comparison],
                threshold=alarm.threshold,
                window=minutes(alarm.evaluation_periods * alarm.period_seconds),
                frequency=minutes(alarm.period_seconds),
            )

    def static(
        self,
        rule: str,
        description: str,
        target: Watched,
        *,
        metric: str,
        operator: str,
        threshold: float,
        aggregation: str = "Average",
        window: str = OPERATOR_WINDOW[0],
        frequency: str = OPERATOR_WINDOW[1],
        severity: int = 2,
    ) -> None:
        criterion = monitor.MetricCriteriaArgs(
            criterion_type="StaticThresholdCriterion",
            name=metric,
            metric_name=metric,
            metric_namespace=target.resource_type,
            operator=operator,
            threshold=threshold,
            time_aggregation=aggregation,
        )
        criteria = monitor.MetricAlertSingleResourceMultipleMetricCriteriaArgs(
            odata_type="Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria", all_of=[criterion]
        )
        self._alert(rule, description, target, criteria, window, frequency, severity)

    def dynamic(
        self,
        rule: str,
        description: str,
        target: Watched,
        *,
        metric: str,
        dimensions: list[monitor.MetricDimensionArgs],
    ) -> None:
        """An alert on ``metric`` rising above what Azure learned is usual (2 of 2 five-minute periods)."""
        criterion = monitor.DynamicMetricCriteriaArgs(
            criterion_type="DynamicThresholdCriterion",
            name=metric,
            metric_name=metric,
            metric_namespace=target.resource_type,
            operator="GreaterThan",
            alert_sensitivity="Medium",
            failing_periods=monitor.DynamicThresholdFailingPeriodsArgs(
                number_of_evaluation_periods=2, min_failing_periods_to_alert=2
            ),
            time_aggregation="Total",
            dimensions=dimensions,
        )
        # Dynamic thresholds are accepted only in the multiple-resource criteria shape.
        criteria = monitor.MetricAlertMultipleResourceMultipleMetricCriteriaArgs(
            odata_type="Microsoft.Azure.Monitor.MultipleResourceMultipleMetricCriteria", all_of=[criterion]
        )
        self._alert(rule, description, target, criteria, "PT5M", "PT5M", 2)

    def _alert(
        self,
        rule: str,
        description: str,
        target: Watched,
        criteria: Criteria,
        window: str,
        frequency: str,
        severity: int,
    ) -> None:
        self.names.append(rule)
        self.alerts.append(
            monitor.MetricAlert(
                f"{self.parent.name}-{rule}",
                rule_name=rule,
                resource_group_name=self.rg.name,
                # Metric alert rules are global; the resource they watch has its own region.
                location="global",
                description=description,
                severity=severity,
                enabled=True,
                scopes=[target.resource_id],
                evaluation_frequency=frequency,
                window_size=window,
                auto_mitigate=True,
                criteria=criteria,
                actions=[{"action_group_id": self.group.id}],
                tags=self.tags,
                opts=self.parent.child(),
            )
        )
