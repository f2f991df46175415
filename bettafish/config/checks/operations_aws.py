"""What CloudWatch, AWS Budgets and SNS refuse, or cannot honour, in ``bettafish:monitoring`` and
``bettafish:budget``: alarm windows, reserved namespaces, the notifications a budget
holds and the addresses each takes, and Slack, which needs a chat workspace authorised by hand.
(``monitoring.logRetention.applicationDays`` is checked with the cluster's control-plane logs.)"""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.stack import StackConfig

ALARM_WINDOW_SECONDS = 86_400
"""CloudWatch evaluates at most one day of periods (``Period`` x ``EvaluationPeriods``)."""
BUDGET_NOTIFICATIONS = 5
"""Notifications per AWS budget; the platform makes two per threshold (actual and forecast)."""
BUDGET_SUBSCRIBERS = 10
"""E-mail subscribers per budget notification."""


def check_aws_operations(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "aws":
        return
    monitoring, budget = cfg.monitoring, cfg.budget
    for i, alarm in enumerate(monitoring.alarms):
        if alarm.period_seconds * alarm.evaluation_periods > ALARM_WINDOW_SECONDS:
            yield Issue(
                _key(f"monitoring.alarms[{i}].evaluationPeriods"),
                "aws: a CloudWatch alarm evaluates at most one day (periodSeconds x evaluationPeriods)",
            )
    ops = monitoring.operator_alarms
    if ops.period_seconds * ops.evaluation_periods > ALARM_WINDOW_SECONDS:
        yield Issue(
            _key("monitoring.operatorAlarms.evaluationPeriods"),
            "aws: a CloudWatch alarm evaluates at most one day (periodSeconds x evaluationPeriods)",
        )
    for i, metric in enumerate(monitoring.custom_metrics):
        if metric.namespace.startswith("AWS/"):
            yield Issue(
                _key(f"monitoring.customMetrics[{i}].namespace"),
                "aws: CloudWatch reserves namespaces starting with AWS/ for AWS services",
            )
    if not monitoring.notification_emails:
        yield Issue(
            _key("monitoring.notificationEmails"),
            "aws: the alarms' SNS topic and the budget's notifications need at least one address",
        )
    if len(monitoring.notification_emails) > BUDGET_SUBSCRIBERS:
        yield Issue(
            _key("monitoring.notificationEmails"),
            f"aws: an AWS Budgets notification e-mails at most {BUDGET_SUBSCRIBERS} addresses",
        )
    if 2 * len(budget.threshold_percents) > BUDGET_NOTIFICATIONS:
        yield Issue(
            _key("budget.thresholdPercents"),
            f"aws: an AWS budget holds {BUDGET_NOTIFICATIONS} notifications, and each threshold takes two"
            " (actual and forecast spend): at most 2 thresholds",
        )
    if "slack" in budget.notification_channels:
        yield Issue(
            _key("budget.notificationChannels"),
            "aws: Slack needs AWS Chatbot (Amazon Q Developer in chat applications) with a Slack workspace"
            " authorised once by hand in its console, then that workspace's and channel's ids; the platform"
            " has neither: use email (alarms and budget alerts go to monitoring.notificationEmails)",
        )
