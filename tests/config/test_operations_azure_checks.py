"""Operations settings Azure cannot honour are rejected at load time on Azure, naming the key and the
cloud; the stack files' ``cloudOverrides.azure`` hold the nearest settings Azure can."""

from __future__ import annotations

from typing import Any

import pytest

from bettafish.config.disaster_recovery import RECOVERY_CLASSES, recovery_table
from tests.config.test_loader import drop, problems, set_path
from tests.mocks import CLOUDS, edited, load, stack_values


def azure_without_overrides(stack: str = "prod") -> dict[str, str]:
    """The stack on Azure with its operations overrides removed (the spec's numbers as written)."""
    values = stack_values(stack, "azure")
    values = edited(values, "bettafish:cloudOverrides", drop(["azure", "monitoring"]))
    return edited(values, "bettafish:cloudOverrides", drop(["azure", "budget"]))


def with_alarm(change: dict[str, Any]) -> dict[str, str]:
    def edit(monitoring: dict[str, Any]) -> dict[str, Any]:
        monitoring["alarms"][1] |= change
        return monitoring

    return edited(stack_values("prod", "azure"), "bettafish:monitoring", edit)


def test_the_spec_as_written_is_refused_on_azure_for_its_error_window_and_slack() -> None:
    assert problems(azure_without_overrides()) == [
        "bettafish:monitoring.alarms[0].evaluationPeriods: azure metric alerts look back over one window of"
        " 1, 5, 15, 30, 60, 360, 720, 1440 minutes; 2 x 300 s is 10 minutes",
        "bettafish:budget.notificationChannels: azure: budgets and action groups reach Slack only through a"
        " webhook receiver holding a Slack incoming-webhook URL (a secret this stack does not have); list email only",
    ]


@pytest.mark.parametrize("cloud", [c for c in CLOUDS if c != "azure"])
def test_other_clouds_do_not_see_the_azure_checks(cloud: str) -> None:
    values = stack_values("prod", cloud)
    values = edited(values, "bettafish:budget", set_path(["notificationChannels"], ["email", "slack"]))
    load(values)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (
            {"periodSeconds": 120, "evaluationPeriods": 30},
            "bettafish:monitoring.alarms[1].periodSeconds: azure metric alerts evaluate every 1, 5, 15, 30, 60"
            " minutes only",
        ),
        (
            {"metric": "latencyP95", "evaluationPeriods": 1},
            "bettafish:monitoring.alarms[1].metric: azure: platform metrics have no percentiles",
        ),
    ],
)
def test_an_alarm_azure_cannot_evaluate_is_refused_naming_its_key(change: dict[str, Any], expected: str) -> None:
    found = problems(with_alarm(change))
    assert len(found) == 1
    assert found[0].startswith(expected)


@pytest.mark.parametrize(("key", "days"), [("databaseDays", 14), ("loadBalancerDays", 731)])
def test_log_retention_outside_log_analytics_range_is_refused(key: str, days: int) -> None:
    values = edited(stack_values("staging", "azure"), "bettafish:cloudOverrides", drop(["azure", "monitoring"]))
    values = edited(
        values,
        "bettafish:monitoring",
        set_path(["logRetention"], {"applicationDays": 30, "databaseDays": 30, "loadBalancerDays": 30, key: days}),
    )
    values = edited(values, "bettafish:monitoring", set_path(["alarms", 0, "evaluationPeriods"], 3))
    assert problems(values) == [
        f"bettafish:monitoring.logRetention.{key}: azure keeps these logs in a pay-as-you-go Log Analytics"
        " workspace, which retains 30 to 730 days"
    ]


def test_budget_alerts_need_an_address_on_azure() -> None:
    values = edited(stack_values("prod", "azure"), "bettafish:monitoring", set_path(["notificationEmails"], []))
    assert problems(values) == [
        "bettafish:monitoring.notificationEmails: azure: budget and cost-anomaly alerts are e-mailed, so at least"
        " one address is needed"
    ]


@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_the_stack_files_hold_settings_azure_can_honour(stack: str) -> None:
    config = load(stack_values(stack, "azure"), stack)
    (error_rate,) = [a for a in config.monitoring.alarms if a.name == "HighErrorRate"]
    assert (error_rate.evaluation_periods, error_rate.period_seconds) == (3, 300)
    assert config.budget.notification_channels == ["email"]


def test_more_thresholds_than_a_budget_holds_are_refused() -> None:
    values = edited(stack_values("prod", "azure"), "bettafish:budget", set_path(["thresholdPercents"], [50, 80, 100]))
    assert problems(values) == [
        "bettafish:budget.thresholdPercents: azure: a consumption budget holds up to 5 notifications, one on actual"
        " and one on forecast cost per threshold: at most 2 thresholds"
    ]


def test_the_spec_recovery_objectives_azure_cannot_keep_are_refused_naming_each_key() -> None:
    values = edited(stack_values("prod", "azure"), "bettafish:cloudOverrides", drop(["azure", "disasterRecovery"]))
    found = problems(values)
    assert [issue.split(": ")[0] for issue in found] == [
        "bettafish:disasterRecovery.recoveryPoint.databaseMinutes",
        "bettafish:disasterRecovery.recoveryPoint.applicationStateMinutes",
        "bettafish:disasterRecovery.recoveryTime.nonCriticalMinutes",
    ]
    assert found[0].endswith(
        "keeps 60 minutes at best (https://learn.microsoft.com/azure/postgresql/flexible-server/"
        "concepts-business-continuity), so a target of 5 cannot be met"
    )


def test_azure_describes_every_recovery_class_and_meets_the_user_data_rpo() -> None:
    table = {
        row.recovery_class: row
        for row in recovery_table(load(stack_values("prod", "azure")).disaster_recovery, "azure")
    }
    assert set(table) == set(RECOVERY_CLASSES)
    assert all(row.mechanism is not None and row.met for row in table.values())
    user_data = table["recoveryPoint.userData"]
    assert user_data.mechanism is not None
    assert "GZRS" in user_data.mechanism.mechanism
    assert (user_data.mechanism.minutes, user_data.target_minutes) == (15, 60)
