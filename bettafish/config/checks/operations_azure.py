"""Operations settings Azure constrains: Log Analytics retention, metric alert windows, what an alert
can measure, and where budget alerts can go."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.checks.kubernetes_azure import LOG_RETENTION_DAYS
from bettafish.config.stack import StackConfig

WINDOW_MINUTES = (1, 5, 15, 30, 60, 360, 720, 1440)
"""The window sizes an Azure Monitor metric alert takes (PT1M ... P1D)."""
FREQUENCY_MINUTES = (1, 5, 15, 30, 60)
"""How often an Azure Monitor metric alert may evaluate (PT1M ... PT1H), never longer than its window."""
BUDGET_NOTIFICATIONS = 5
"""A consumption budget holds up to five notifications (one on actual and one on forecast cost per threshold)."""
LOG_RETENTION_KEYS = {"databaseDays": "database_days", "loadBalancerDays": "load_balancer_days"}
"""applicationDays is checked with the cluster (``kubernetes_azure``): its workspace is the cluster's."""


def check_azure_operations(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "azure":
        return
    yield from _retention(cfg)
    yield from _alarms(cfg)
    yield from _notifications(cfg)


def _retention(cfg: StackConfig) -> Iterator[Issue]:
    low, high = LOG_RETENTION_DAYS
    for key, field in LOG_RETENTION_KEYS.items():
        days: int = getattr(cfg.monitoring.log_retention, field)
        if not low <= days <= high:
            yield Issue(
                _key(f"monitoring.logRetention.{key}"),
                f"azure keeps these logs in a pay-as-you-go Log Analytics workspace, which retains {low} to {high} days",
            )


def _alarms(cfg: StackConfig) -> Iterator[Issue]:
    for i, alarm in enumerate(cfg.monitoring.alarms):
        if alarm.metric == "latencyP95":
            yield Issue(
                _key(f"monitoring.alarms[{i}].metric"),
                "azure: platform metrics have no percentiles (Front Door's TotalLatency and the gateway's"
                " latencies are averages), so a 95th-percentile alarm cannot be built",
            )
        yield from _window(f"monitoring.alarms[{i}]", alarm.period_seconds, alarm.evaluation_periods)
    ops = cfg.monitoring.operator_alarms
    yield from _window("monitoring.operatorAlarms", ops.period_seconds, ops.evaluation_periods)


def _window(key: str, period_seconds: int, evaluation_periods: int) -> Iterator[Issue]:
    """An alert evaluates every period over one window of all its periods: both must be Azure's."""
    period = period_seconds // 60
    window = period * evaluation_periods
    if period not in FREQUENCY_MINUTES:
        yield Issue(
            _key(f"{key}.periodSeconds"),
            f"azure metric alerts evaluate every {', '.join(str(m) for m in FREQUENCY_MINUTES)} minutes only",
        )
    if window not in WINDOW_MINUTES:
        yield Issue(
            _key(f"{key}.evaluationPeriods"),
            f"azure metric alerts look back over one window of {', '.join(str(m) for m in WINDOW_MINUTES)}"
            f" minutes; {evaluation_periods} x {period_seconds} s is {window} minutes",
        )


def _notifications(cfg: StackConfig) -> Iterator[Issue]:
    if 2 * len(cfg.budget.threshold_percents) > BUDGET_NOTIFICATIONS:
        yield Issue(
            _key("budget.thresholdPercents"),
            f"azure: a consumption budget holds up to {BUDGET_NOTIFICATIONS} notifications, one on actual and one on"
            f" forecast cost per threshold: at most {BUDGET_NOTIFICATIONS // 2} thresholds",
        )
    if "slack" in cfg.budget.notification_channels:
        yield Issue(
            _key("budget.notificationChannels"),
            "azure: budgets and action groups reach Slack only through a webhook receiver holding a Slack"
            " incoming-webhook URL (a secret this stack does not have); list email only",
        )
    budget_alerts = cfg.budget.anomaly_detection.enabled or cfg.budget.threshold_percents
    if budget_alerts and not cfg.monitoring.notification_emails:
        yield Issue(
            _key("monitoring.notificationEmails"),
            "azure: budget and cost-anomaly alerts are e-mailed, so at least one address is needed",
        )
