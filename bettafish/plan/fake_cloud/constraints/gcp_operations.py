"""GCP resources of operations: what Cloud Monitoring, Cloud Billing budgets and dual-region Cloud
Storage refuse that the SDK's types allow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bettafish.plan.fake_cloud.constraints import Constraint, value
from bettafish.plan.fake_cloud.constraints.gcp import api_rows

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

ALERT_POLICY = "gcp:monitoring/alertPolicy:AlertPolicy"
BUDGET = "gcp:billing/budget:Budget"
BUCKET = "gcp:storage/bucket:Bucket"
BUDGET_CHANNELS_MAX = 5
MULTI_REGION_PREFIX = {"US": "US-", "EU": "EUROPE-", "ASIA": "ASIA-"}


def _log_alert_without_rate_limit(policy: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    conditions: list[dict[str, Any]] = policy.inputs.get("conditions") or []
    log_based = any(c.get("conditionMatchedLog") for c in conditions)
    return log_based and not value(policy.inputs, "alertStrategy.notificationRateLimit.period")


def _too_many_channels(budget: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    channels = value(budget.inputs, "allUpdatesRule.monitoringNotificationChannels", []) or []
    return len(channels) > BUDGET_CHANNELS_MAX


def _turbo_not_dual_region(bucket: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    placed = value(bucket.inputs, "customPlacementConfig.dataLocations", []) or []
    return bucket.inputs.get("rpo") == "ASYNC_TURBO" and len(placed) != 2


def _placement_outside_location(bucket: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    placed = [str(r).upper() for r in value(bucket.inputs, "customPlacementConfig.dataLocations", []) or []]
    if not placed:
        return False
    prefix = MULTI_REGION_PREFIX.get(str(bucket.inputs.get("location", "")).upper())
    return prefix is None or len(set(placed)) != 2 or not all(r.startswith(prefix) for r in placed)


CONSTRAINTS: tuple[Constraint, ...] = (
    *api_rows({ALERT_POLICY: "monitoring.googleapis.com", BUDGET: "billingbudgets.googleapis.com"}),
    Constraint(
        id="gcp-monitoring-log-alert-rate-limit",
        type=ALERT_POLICY,
        refuses=_log_alert_without_rate_limit,
        error="Field alert_strategy.notification_rate_limit is required for alert policies with a LogMatch condition",
        doc="https://cloud.google.com/logging/docs/alerting/log-based-alerts",
    ),
    Constraint(
        id="gcp-budget-channels-max",
        type=BUDGET,
        refuses=_too_many_channels,
        error="A budget's monitoringNotificationChannels holds at most 5 notification channels",
        doc="https://cloud.google.com/billing/docs/how-to/budgets-notification-recipients",
    ),
    Constraint(
        id="gcp-storage-turbo-dual-region",
        type=BUCKET,
        refuses=_turbo_not_dual_region,
        error="The rpo ASYNC_TURBO (turbo replication) can only be set on dual-region buckets",
        doc="https://cloud.google.com/storage/docs/managing-turbo-replication",
    ),
    Constraint(
        id="gcp-storage-dual-region-placement",
        type=BUCKET,
        refuses=_placement_outside_location,
        error="A configurable dual-region names two distinct regions of the multi-region given as the bucket's"
        " location (US, EU or ASIA)",
        doc="https://cloud.google.com/storage/docs/locations#configurable",
    ),
)
