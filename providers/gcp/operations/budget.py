"""The monthly billing budget: ``budget.monthlyAmount`` for this project on the billing account
``budget.gcp.billingAccount``, alerting at each ``budget.thresholdPercents`` on actual and on
forecast spend, by e-mail to the stack's notification channels (and to the billing account's
administrators, Google's default recipients).

Cloud Billing budgets count calendar months (``calendarPeriod: MONTH``) and take no start date: the
budget applies from the month it is created in, and ``budget.startDate`` is not sent (a custom period
would be one period, not a monthly budget). Nothing here reads the clock.
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from bettafish.config.operations import Budget
from components.base import NeutralComponent

SPEND_BASES = ("CURRENT_SPEND", "FORECASTED_SPEND")
MAX_CHANNELS = 5
"""A budget notifies at most five Cloud Monitoring channels."""


def threshold_rules(budget: Budget) -> list[dict[str, object]]:
    return [
        {"threshold_percent": percent / 100, "spend_basis": basis}
        for percent in budget.threshold_percents
        for basis in SPEND_BASES
    ]


def billing_budget(
    parent: NeutralComponent,
    name: str,
    *,
    budget: Budget,
    billing_account: str,
    project_number: pulumi.Output[str],
    channels: list[pulumi.Output[str]],
    display_name: str,
    depends_on: list[pulumi.Resource],
) -> gcp.billing.Budget:
    return gcp.billing.Budget(
        name,
        billing_account=billing_account,
        display_name=display_name,
        budget_filter={
            "projects": [pulumi.Output.concat("projects/", project_number)],
            "calendar_period": "MONTH",
            "credit_types_treatment": "INCLUDE_ALL_CREDITS",
        },
        amount={"specified_amount": {"currency_code": budget.currency, "units": str(budget.monthly_amount)}},
        threshold_rules=threshold_rules(budget),
        all_updates_rule={
            "monitoring_notification_channels": channels,
            "disable_default_iam_recipients": False,
            "schema_version": "1.0",
        },
        opts=parent.child(depends_on=depends_on),
    )
