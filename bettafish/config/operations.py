"""Operations config: monitoring, alarms, budget and disaster recovery."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from bettafish.config.base import Model, Percent, PositiveInt

Email = Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+\.[a-z]{2,}$")]


class LogRetention(Model):
    application_days: PositiveInt
    database_days: PositiveInt
    load_balancer_days: PositiveInt


class Alarm(Model):
    name: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9]{0,62}$")]
    metric: Literal["errorRate", "cpuUtilization", "memoryUtilization", "latencyP95"]
    threshold: float
    comparison: Literal["greaterThan", "greaterThanOrEqual", "lessThan", "lessThanOrEqual"]
    evaluation_periods: PositiveInt
    period_seconds: Annotated[int, Field(ge=60, multiple_of=60)]


class CustomMetric(Model):
    name: Annotated[str, Field(pattern=r"^[A-Za-z][A-Za-z0-9]{0,62}$")]
    namespace: str
    unit: Literal["Seconds", "Milliseconds", "Percent", "Count"]


class ResponseTimes(Model):
    health_check_ms: PositiveInt
    simple_query_seconds: PositiveInt
    complex_analysis_seconds: PositiveInt
    report_generation_seconds: PositiveInt


class Throughput(Model):
    concurrent_users: PositiveInt
    requests_per_second: PositiveInt
    queries_per_minute: PositiveInt


class OperatorAlarms(Model):
    """Thresholds of the alarms an operator expects besides ``alarms`` (each over one 300 s window)."""

    database_storage_percent: Percent = 80
    """The database's disk used."""
    replica_lag_seconds: PositiveInt = 60
    """How far a read replica trails the primary."""
    cache_memory_percent: Percent = 80
    """The cache's memory used."""
    waf_blocked_per_five_minutes: PositiveInt = 1000
    """Requests the WAF blocked: a spike means an attack or a rule blocking real users."""


class Monitoring(Model):
    log_retention: LogRetention
    alarms: list[Alarm]
    custom_metrics: list[CustomMetric]
    response_times: ResponseTimes
    throughput: Throughput
    notification_emails: list[Email] = Field(default_factory=list)
    operator_alarms: OperatorAlarms = OperatorAlarms()


class AnomalyDetection(Model):
    enabled: bool
    sensitivity: Literal["low", "medium", "high"]


class Commitment(Model):
    """A reserved-capacity purchase to plan for (bought outside Pulumi, tracked for the budget)."""

    node_pool: str
    term_years: Literal[1, 3]
    payment: Literal["noUpfront", "partialUpfront", "allUpfront"]
    quantity: PositiveInt


class GcpBudget(Model):
    """Settings only GCP's billing budget has."""

    billing_account: Annotated[str, Field(pattern=r"^[0-9A-F]{6}-[0-9A-F]{6}-[0-9A-F]{6}$")]
    """The Cloud Billing account the project bills to (budgets belong to it, not to the project)."""


class Budget(Model):
    monthly_amount: PositiveInt
    start_date: date
    """The first month the budget counts (its first day), fixed here so a second ``up`` changes nothing."""
    currency: Literal["USD"] = "USD"
    threshold_percents: Annotated[list[Percent], Field(min_length=1)]
    anomaly_detection: AnomalyDetection
    notification_channels: list[Literal["email", "slack"]]
    commitments: list[Commitment] = Field(default_factory=list)
    rightsizing_review: Literal["monthly", "quarterly"] = "monthly"
    gcp: GcpBudget | None = None
    """Required on GCP."""


class Objectives(Model):
    critical_minutes: PositiveInt
    important_minutes: PositiveInt
    non_critical_minutes: PositiveInt


class RecoveryPoints(Model):
    database_minutes: PositiveInt
    application_state_minutes: PositiveInt
    user_data_minutes: PositiveInt


class BackupPolicy(Model):
    frequency: Literal["hourly", "daily", "onChange"]
    retention_days: PositiveInt
    cross_region: bool = False


class FailoverTesting(Model):
    frequency: Literal["monthly", "quarterly", "yearly"]
    automated: bool
    notify: bool


class DisasterRecovery(Model):
    recovery_time: Objectives
    recovery_point: RecoveryPoints
    file_system_backup: BackupPolicy
    configuration_backup: BackupPolicy
    failover_testing: FailoverTesting
