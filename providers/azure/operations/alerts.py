"""Azure Monitor metric alerts to one action group e-mailing ``monitoring.notificationEmails``.

Each alarm of ``monitoring.alarms`` becomes one alert per resource it watches (Azure's multi-resource
alerts cover virtual machines and a few other types, not AKS, PostgreSQL or Front Door):

- ``errorRate``: Front Door's ``Percentage5XX`` (5xx responses over all requests, at the edge);
- ``cpuUtilization`` / ``memoryUtilization``: AKS's node metrics over every node, and each
  PostgreSQL server (primary and replicas).

A static metric alert looks back over ONE window (``periods x period``, which must be one of Azure's
window sizes: checked at config time) every ``period``, on the window's average: the nearest Azure
comes to "N consecutive periods above the threshold".

Besides, what an operator expects, at ``monitoring.operatorAlarms``: database storage, replica lag,
cache memory and WAF blocks in five minutes; and pods the cluster autoscaler cannot place for a
quarter hour (a pool at its maximum size).
"""

from __future__ import annotations

from dataclasses import dataclass

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
        window: str,
        frequency: str,
        severity: int = 2,
        dimensions: list[monitor.MetricDimensionArgs] | None = None,
    ) -> None:
        # Typed args, not dicts: the SDK cannot tell the criteria union's dict shapes apart and would
        # send their keys in snake_case.
        criterion = monitor.MetricCriteriaArgs(
            criterion_type="StaticThresholdCriterion",
            name=metric,
            metric_name=metric,
            metric_namespace=target.resource_type,
            operator=operator,
            threshold=threshold,
            time_aggregation=aggregation,
            dimensions=dimensions,
        )
        criteria = monitor.MetricAlertSingleResourceMultipleMetricCriteriaArgs(
            odata_type="Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria", all_of=[criterion]
        )
        self._alert(rule, description, target, criteria, window, frequency, severity)

    def _alert(
        self,
        rule: str,
        description: str,
        target: Watched,
        criteria: monitor.MetricAlertSingleResourceMultipleMetricCriteriaArgs,
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
