"""Registrations of the operations' GCP resources that the real APIs refuse: one small program per
constraint id of ``constraints.gcp_operations``, each satisfying every row but the one it violates."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pulumi
import pulumi_gcp as gcp

from tests.constraints.violations_gcp import enabled

MONITORING_API = "monitoring.googleapis.com"
BUDGETS_API = "billingbudgets.googleapis.com"
STORAGE_API = "storage.googleapis.com"


def log_alert(opts: pulumi.ResourceOptions | None = None, **strategy: Any) -> None:
    gcp.monitoring.AlertPolicy(
        "alert",
        display_name="pods cannot be placed",
        combiner="OR",
        conditions=[{"display_name": "noScaleUp", "condition_matched_log": {"filter": "jsonPayload.noScaleUp:*"}}],
        alert_strategy=strategy or None,
        opts=opts or enabled(MONITORING_API),
    )


def budget(channels: int, opts: pulumi.ResourceOptions | None = None) -> None:
    gcp.billing.Budget(
        "budget",
        billing_account="012345-6789AB-CDEF01",
        amount={"specified_amount": {"currency_code": "USD", "units": "100"}},
        threshold_rules=[{"threshold_percent": 0.8}],
        all_updates_rule={
            "monitoring_notification_channels": [f"projects/p/notificationChannels/{i}" for i in range(channels)]
        },
        opts=opts or enabled(BUDGETS_API),
    )


def bucket(**args: Any) -> None:
    gcp.storage.Bucket("bucket", force_destroy=True, **args, opts=enabled(STORAGE_API))


VIOLATIONS: dict[str, Callable[[], None]] = {
    "gcp-api-monitoring-enabled": partial(
        log_alert, pulumi.ResourceOptions(), notification_rate_limit={"period": "300s"}
    ),
    "gcp-api-billingbudgets-enabled": partial(budget, 1, pulumi.ResourceOptions()),
    "gcp-monitoring-log-alert-rate-limit": log_alert,
    "gcp-budget-channels-max": partial(budget, 6),
    "gcp-storage-turbo-dual-region": partial(bucket, location="US-EAST1", rpo="ASYNC_TURBO"),
    "gcp-storage-dual-region-placement": partial(
        bucket, location="US", custom_placement_config={"data_locations": ["US-EAST1", "EUROPE-WEST1"]}
    ),
}
