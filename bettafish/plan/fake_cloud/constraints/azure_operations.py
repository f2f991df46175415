"""Azure: what the real APIs refuse around operations (see the package docstring): metric alerts,
action groups, consumption budgets and Cost Management's anomaly alerts."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bettafish.plan.fake_cloud.constraints import Constraint

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

METRIC_ALERT = "azure-native:monitor:MetricAlert"
WINDOWS = ("PT1M", "PT5M", "PT15M", "PT30M", "PT1H", "PT6H", "PT12H", "P1D")
FREQUENCIES = ("PT1M", "PT5M", "PT15M", "PT30M", "PT1H")
MAX_BUDGET_NOTIFICATIONS = 5
SHORT_NAME_LENGTH = 12
METRIC_ALERT_DOCS = "https://learn.microsoft.com/rest/api/monitor/metric-alerts/create-or-update"


def _window_unsupported(alert: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    window, frequency = alert.inputs.get("windowSize"), alert.inputs.get("evaluationFrequency")
    if window not in WINDOWS or frequency not in FREQUENCIES:
        return True
    return WINDOWS.index(str(window)) < FREQUENCIES.index(str(frequency))


def _dynamic_in_single_resource_shape(alert: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    criteria = alert.inputs.get("criteria") or {}
    dynamic = any(c.get("criterionType") == "DynamicThresholdCriterion" for c in criteria.get("allOf") or [])
    return dynamic and criteria.get("odataType") != "Microsoft.Azure.Monitor.MultipleResourceMultipleMetricCriteria"


def _too_many_notifications(budget: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    return len(budget.inputs.get("notifications") or {}) > MAX_BUDGET_NOTIFICATIONS


def _insight_alert_off_subscription(action: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    scope = str(action.inputs.get("scope", "")).strip("/").split("/")
    return action.inputs.get("kind") == "InsightAlert" and (len(scope) != 2 or scope[0] != "subscriptions")


def _short_name_too_long(group: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    return len(str(group.inputs.get("groupShortName", ""))) > SHORT_NAME_LENGTH


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="azure-metric-alert-window",
        type=METRIC_ALERT,
        refuses=_window_unsupported,
        error="A metric alert's windowSize must be one of PT1M, PT5M, PT15M, PT30M, PT1H, PT6H, PT12H, P1D and its"
        " evaluationFrequency one of PT1M, PT5M, PT15M, PT30M, PT1H, no longer than the window",
        doc="https://learn.microsoft.com/azure/azure-monitor/alerts/alerts-create-metric-alert-rule",
    ),
    Constraint(
        id="azure-metric-alert-dynamic-shape",
        type=METRIC_ALERT,
        refuses=_dynamic_in_single_resource_shape,
        error="Dynamic threshold criteria are supported only with"
        " Microsoft.Azure.Monitor.MultipleResourceMultipleMetricCriteria",
        doc=METRIC_ALERT_DOCS,
    ),
    Constraint(
        id="azure-budget-five-notifications",
        type="azure-native:consumption:Budget",
        refuses=_too_many_notifications,
        error="Dictionary of notifications associated with the budget. Budget can have up to five notifications.",
        doc="https://learn.microsoft.com/rest/api/consumption/budgets/create-or-update",
    ),
    Constraint(
        id="azure-insight-alert-subscription-scope",
        type="azure-native:costmanagement:ScheduledActionByScope",
        refuses=_insight_alert_off_subscription,
        error="Insight Alerts are only available on subscription scope (InvalidInsightAlertRequestScope)",
        doc="https://learn.microsoft.com/rest/api/cost-management/scheduled-actions/create-or-update-by-scope",
    ),
    Constraint(
        id="azure-action-group-short-name",
        type="azure-native:monitor:ActionGroup",
        refuses=_short_name_too_long,
        error="The short name of the action group (groupShortName) is at most 12 characters",
        doc="https://learn.microsoft.com/rest/api/monitor/action-groups/create-or-update",
    ),
)
