"""Azure operations registrations the real APIs refuse: one small program per constraint id. Each
starts from a bare resource that breaks nothing and adds only the refused setting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pulumi_azure_native import consumption, costmanagement, monitor

SCOPE = "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Cdn/profiles/fd"


def _alert(criteria: Any, window: str = "PT5M", frequency: str = "PT5M") -> None:
    monitor.MetricAlert(
        "alert",
        resource_group_name="rg",
        location="global",
        severity=2,
        enabled=True,
        scopes=[SCOPE],
        window_size=window,
        evaluation_frequency=frequency,
        criteria=criteria,
    )


def _static() -> monitor.MetricAlertSingleResourceMultipleMetricCriteriaArgs:
    return monitor.MetricAlertSingleResourceMultipleMetricCriteriaArgs(
        odata_type="Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
        all_of=[
            monitor.MetricCriteriaArgs(
                criterion_type="StaticThresholdCriterion",
                name="errors",
                metric_name="Percentage5XX",
                operator="GreaterThan",
                threshold=5,
                time_aggregation="Average",
            )
        ],
    )


def ten_minute_window() -> None:
    _alert(_static(), window="PT10M")


def dynamic_in_single_resource_shape() -> None:
    _alert(
        monitor.MetricAlertSingleResourceMultipleMetricCriteriaArgs(
            odata_type="Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria",
            all_of=[
                monitor.DynamicMetricCriteriaArgs(
                    criterion_type="DynamicThresholdCriterion",
                    name="blocks",
                    metric_name="WebApplicationFirewallRequestCount",
                    operator="GreaterThan",
                    alert_sensitivity="Medium",
                    failing_periods=monitor.DynamicThresholdFailingPeriodsArgs(
                        number_of_evaluation_periods=2, min_failing_periods_to_alert=2
                    ),
                    time_aggregation="Total",
                )
            ],
        )
    )


def six_budget_notifications() -> None:
    consumption.Budget(
        "budget",
        scope="/subscriptions/s",
        amount=100,
        category="Cost",
        time_grain="Monthly",
        time_period={"start_date": "2026-12-01T00:00:00Z"},
        notifications={
            f"actual-{p}": {"enabled": True, "operator": "GreaterThan", "threshold": p, "contact_emails": ["a@b.co"]}
            for p in (50, 60, 70, 80, 90, 100)
        },
    )


def insight_alert_on_a_resource_group() -> None:
    costmanagement.ScheduledActionByScope(
        "anomalies",
        name="anomalies",
        kind="InsightAlert",
        display_name="Cost anomaly",
        scope="subscriptions/s/resourceGroups/rg",
        view_id="/subscriptions/s/providers/Microsoft.CostManagement/views/ms:DailyAnomalyByResourceGroup",
        status="Enabled",
        notification={"to": ["a@b.co"], "subject": "anomaly"},
        schedule={"frequency": "Daily", "start_date": "2026-12-01T00:00:00Z", "end_date": "2027-12-01T00:00:00Z"},
    )


def long_short_name() -> None:
    monitor.ActionGroup("group", resource_group_name="rg", location="Global", group_short_name="platform-oncall")


VIOLATIONS: dict[str, Callable[[], None]] = {
    "azure-metric-alert-window": ten_minute_window,
    "azure-metric-alert-dynamic-shape": dynamic_in_single_resource_shape,
    "azure-budget-five-notifications": six_budget_notifications,
    "azure-insight-alert-subscription-scope": insight_alert_on_a_resource_group,
    "azure-action-group-short-name": long_short_name,
}
