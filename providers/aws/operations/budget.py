"""The monthly budget (AWS Budgets) with alerts on actual and forecast spend, and Cost Anomaly
Detection where ``budget.anomalyDetection`` asks for it. Both see the whole account's spend: AWS
Budgets and Cost Explorer know accounts, not stacks (docs/operations.md)."""

from __future__ import annotations

import pulumi_aws as aws

from bettafish.config.operations import Budget
from components.base import NeutralComponent

SPEND_KINDS = ("ACTUAL", "FORECASTED")
IMPACT_PERCENT = {"high": 10, "medium": 25, "low": 50}
"""``anomalyDetection.sensitivity`` -> the anomaly's total impact, as a share of the expected spend,
above which the subscription alerts: a sensitive detector speaks up for smaller surprises."""


def budget_start(budget: Budget) -> str:
    """AWS Budgets' ``TimePeriod.Start`` format, from the config's fixed date (never the clock)."""
    return f"{budget.start_date.isoformat()}_00:00"


def monthly_budget(
    parent: NeutralComponent, name: str, budget: Budget, emails: list[str], tags: dict[str, str]
) -> aws.budgets.Budget:
    """``monthlyAmount`` a month from ``startDate``; per threshold, an alert on actual spend and one
    on forecast spend, each to the configured addresses (AWS Budgets e-mails them directly)."""
    return aws.budgets.Budget(
        name,
        name=name,
        budget_type="COST",
        limit_amount=f"{budget.monthly_amount:.2f}",
        limit_unit=budget.currency,
        time_unit="MONTHLY",
        time_period_start=budget_start(budget),
        notifications=[
            aws.budgets.BudgetNotificationArgs(
                notification_type=kind,
                comparison_operator="GREATER_THAN",
                threshold=percent,
                threshold_type="PERCENTAGE",
                subscriber_email_addresses=emails,
            )
            for percent in budget.threshold_percents
            for kind in SPEND_KINDS
        ],
        tags=tags,
        opts=parent.child(),
    )


def anomaly_detection(
    parent: NeutralComponent, name: str, budget: Budget, emails: list[str], tags: dict[str, str]
) -> aws.costexplorer.AnomalySubscription:
    """An AWS-managed monitor of each service's spend and a daily summary of the anomalies whose
    impact passes the sensitivity's share (e-mail subscribers take daily or weekly summaries only;
    immediate alerts need an SNS subscriber)."""
    monitor = aws.costexplorer.AnomalyMonitor(
        f"{name}-anomalies",
        name=f"{name}-services",
        monitor_type="DIMENSIONAL",
        monitor_dimension="SERVICE",
        tags=tags,
        opts=parent.child(),
    )
    return aws.costexplorer.AnomalySubscription(
        f"{name}-anomalies",
        name=f"{name}-anomalies",
        frequency="DAILY",
        monitor_arn_lists=[monitor.arn],
        subscribers=[aws.costexplorer.AnomalySubscriptionSubscriberArgs(type="EMAIL", address=e) for e in emails],
        threshold_expression=aws.costexplorer.AnomalySubscriptionThresholdExpressionArgs(
            dimension=aws.costexplorer.AnomalySubscriptionThresholdExpressionDimensionArgs(
                key="ANOMALY_TOTAL_IMPACT_PERCENTAGE",
                match_options=["GREATER_THAN_OR_EQUAL"],
                values=[str(IMPACT_PERCENT[budget.anomaly_detection.sensitivity])],
            )
        ),
        tags=tags,
        opts=parent.child(),
    )
