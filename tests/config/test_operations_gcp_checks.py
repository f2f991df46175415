"""What operations cannot do on GCP, and the recovery objectives GCP's mechanisms keep, refused at
config time naming the key."""

from __future__ import annotations

from typing import Any

import pytest

from tests.config.test_loader import problems, set_path
from tests.mocks import edited, load, stack_values


def gcp(key: str, change: Any, stack: str = "prod") -> dict[str, str]:
    return edited(stack_values(stack, "gcp"), key, change)


def without_override(section: str, stack: str = "prod") -> dict[str, str]:
    """The stack on GCP as if ``cloudOverrides.gcp`` did not relax ``section``."""
    return edited(
        stack_values(stack, "gcp"),
        "bettafish:cloudOverrides",
        lambda clouds: {**clouds, "gcp": {k: v for k, v in clouds["gcp"].items() if k != section}},
    )


@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_both_stacks_pass_with_their_gcp_overrides(stack: str) -> None:
    cfg = load(stack_values(stack, "gcp"), stack)
    assert cfg.budget.notification_channels == ["email"]
    assert cfg.disaster_recovery.recovery_point.database_minutes == 1440


def test_slack_needs_a_token_gcp_does_not_have() -> None:
    assert problems(without_override("budget")) == [
        "bettafish:budget.notificationChannels: on gcp a Slack notification channel needs a Slack app's OAuth token"
        " (Cloud Monitoring's slack channel, a secret this platform does not hold): list email only, and add Slack"
        " in Cloud Monitoring by hand if wanted"
    ]


def test_alarms_need_an_address_and_a_budget_takes_five_channels() -> None:
    assert problems(gcp("bettafish:monitoring", set_path(["notificationEmails"], []))) == [
        "bettafish:monitoring.notificationEmails: on gcp alarms and budget alerts go to Cloud Monitoring e-mail"
        " channels: list at least one address"
    ]
    six = [f"oncall{i}@bettafish.example.com" for i in range(6)]
    assert problems(gcp("bettafish:monitoring", set_path(["notificationEmails"], six))) == [
        "bettafish:monitoring.notificationEmails: a Cloud Billing budget on gcp notifies at most 5 channels: 6 listed"
    ]


def test_the_dr_region_must_share_the_multi_region() -> None:
    change = set_path(["crossRegionCopy", "regions", "gcp"], "europe-west1")
    assert problems(gcp("bettafish:database", change)) == [
        "bettafish:database.crossRegionCopy.regions.gcp: on gcp the buckets are dual-region with turbo replication"
        " across us-east1 and the DR region, which must lie in the same multi-region (US, EU or ASIA):"
        " europe-west1 does not"
    ]


def test_the_spec_s_database_and_state_objectives_cannot_be_met_on_gcp() -> None:
    assert problems(without_override("disasterRecovery")) == [
        "bettafish:disasterRecovery.recoveryPoint.databaseMinutes: gcp: Cloud SQL regional HA (a synchronous standby"
        " in a second zone) and point-in-time recovery in the region; for the loss of the region, the latest daily"
        " backup, stored in the DR region keeps 1440 minutes at best"
        " (https://cloud.google.com/sql/docs/postgres/backup-recovery/backups#custom-backup-locations), so a target"
        " of 5 cannot be met",
        "bettafish:disasterRecovery.recoveryPoint.applicationStateMinutes: gcp: Memorystore for Redis Cluster RDB"
        " snapshots every hour, the shortest period it offers keeps 60 minutes at best"
        " (https://cloud.google.com/memorystore/docs/cluster/about-persistence), so a target of 15 cannot be met",
    ]


def test_turbo_replication_keeps_the_user_data_objective() -> None:
    tighter = gcp("bettafish:disasterRecovery", set_path(["recoveryPoint", "userDataMinutes"], 10))
    assert problems(tighter) == [
        "bettafish:disasterRecovery.recoveryPoint.userDataMinutes: gcp: dual-region buckets across the stack's"
        " region and the DR region with turbo replication keeps 15 minutes at best"
        " (https://cloud.google.com/storage/docs/availability-durability#turbo-replication), so a target of 10"
        " cannot be met"
    ]
