"""The monthly consumption budget on the subscription and Cost Management's anomaly alert.

- Budget: ``budget.monthlyAmount`` a month from ``budget.startDate`` (fixed in config: no clock, a
  second ``up`` changes nothing), one notification per ``budget.thresholdPercents`` on actual cost and
  one on forecast cost, each e-mailing ``monitoring.notificationEmails`` and the on-call action group.
  It counts the whole subscription: the stack's subscription is its own (docs/deploying.md).
- Anomaly alert (``budget.anomalyDetection``): Cost Management's daily anomaly detection on the
  subscription, e-mailed as a scheduled action of kind ``InsightAlert`` (insight alerts exist on
  subscription scope only). Azure's model has no sensitivity setting, so ``sensitivity`` is not
  used. A scheduled action needs an end date: a year after its start (what Azure's own tooling
  sets), derived from ``budget.startDate`` so no clock is read; docs/operations.md says to move
  ``budget.startDate`` on before it runs out.
"""

from __future__ import annotations

from datetime import date

import pulumi
from pulumi_azure_native import consumption, costmanagement, monitor

from bettafish.config.operations import Budget
from components.base import NeutralComponent

ANOMALY_VIEW = "ms:DailyAnomalyByResourceGroup"
"""Cost Management's built-in view the anomaly alert evaluates daily."""
DISPLAY_NAME_LENGTH = 25
"""Cost Management refuses longer display names of scheduled actions."""


def budget_notifications(budget: Budget, emails: list[str], group: monitor.ActionGroup) -> dict[str, dict[str, object]]:
    """``actual-<p>`` and ``forecasted-<p>`` for each threshold percent ``p``."""
    return {
        f"{kind.lower()}-{percent:g}": {
            "enabled": True,
            "operator": "GreaterThanOrEqualTo",
            "threshold": percent,
            "threshold_type": kind,
            "contact_emails": emails,
            "contact_groups": [group.id],
        }
        for percent in budget.threshold_percents
        for kind in ("Actual", "Forecasted")
    }


def monthly_budget(
    parent: NeutralComponent,
    name: str,
    budget: Budget,
    emails: list[str],
    group: monitor.ActionGroup,
    subscription: pulumi.Output[str],
) -> consumption.Budget:
    return consumption.Budget(
        f"{name}-budget",
        budget_name=f"{name}-monthly",
        scope=pulumi.Output.concat("/subscriptions/", subscription),
        amount=budget.monthly_amount,
        category="Cost",
        time_grain="Monthly",
        # No end date: Azure runs the budget ten years from its start.
        time_period={"start_date": f"{budget.start_date.isoformat()}T00:00:00Z"},
        notifications=budget_notifications(budget, emails, group),
        opts=parent.child(),
    )


def anomaly_alert(
    parent: NeutralComponent,
    name: str,
    stack: str,
    budget: Budget,
    emails: list[str],
    subscription: pulumi.Output[str],
) -> costmanagement.ScheduledActionByScope:
    start = budget.start_date
    end = date(start.year + 1, start.month, start.day)
    return costmanagement.ScheduledActionByScope(
        f"{name}-cost-anomalies",
        name=f"{name}-cost-anomalies",
        kind="InsightAlert",
        display_name=f"Cost anomaly {stack}"[:DISPLAY_NAME_LENGTH],
        scope=pulumi.Output.concat("subscriptions/", subscription),
        view_id=pulumi.Output.concat(
            "/subscriptions/", subscription, "/providers/Microsoft.CostManagement/views/", ANOMALY_VIEW
        ),
        status="Enabled",
        notification={"to": emails, "subject": f"Azure cost anomaly in {stack}"},
        notification_email=emails[0],
        schedule={
            "frequency": "Daily",
            "start_date": f"{start.isoformat()}T00:00:00Z",
            "end_date": f"{end.isoformat()}T00:00:00Z",
        },
        opts=parent.child(),
    )
