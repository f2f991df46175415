"""What operations need on GCP (Cloud Monitoring channels, Cloud Billing budgets, dual-region buckets)."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.stack import StackConfig

BUDGET_CHANNELS_MAX = 5
"""A Cloud Billing budget notifies at most five Cloud Monitoring channels."""
MULTI_REGIONS = {"us-": "US", "europe-": "EU", "asia-": "ASIA"}
"""Region prefix -> the multi-region a configurable dual-region bucket of two such regions lives in."""


def multi_region(region: str) -> str | None:
    return next((area for prefix, area in MULTI_REGIONS.items() if region.startswith(prefix)), None)


def check_gcp_operations(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "gcp":
        return
    if "slack" in cfg.budget.notification_channels:
        yield Issue(
            _key("budget.notificationChannels"),
            "on gcp a Slack notification channel needs a Slack app's OAuth token (Cloud Monitoring's slack"
            " channel, a secret this platform does not hold): list email only, and add Slack in Cloud"
            " Monitoring by hand if wanted",
        )
    emails = cfg.monitoring.notification_emails
    if not emails:
        yield Issue(
            _key("monitoring.notificationEmails"),
            "on gcp alarms and budget alerts go to Cloud Monitoring e-mail channels: list at least one address",
        )
    if len(emails) > BUDGET_CHANNELS_MAX:
        yield Issue(
            _key("monitoring.notificationEmails"),
            f"a Cloud Billing budget on gcp notifies at most {BUDGET_CHANNELS_MAX} channels: {len(emails)} listed",
        )
    dr_region = cfg.database.cross_region_copy.target("gcp")
    region = cfg.provider.region
    if dr_region and (multi_region(region) is None or multi_region(region) != multi_region(dr_region)):
        yield Issue(
            _key("database.crossRegionCopy.regions.gcp"),
            f"on gcp the buckets are dual-region with turbo replication across {region} and the DR region,"
            f" which must lie in the same multi-region (US, EU or ASIA): {dr_region} does not",
        )
