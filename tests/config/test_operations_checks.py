"""Recovery objectives against the chosen cloud's documented mechanisms, and the budget's settings."""

from __future__ import annotations

import pytest

from bettafish.config import disaster_recovery
from bettafish.config.disaster_recovery import RECOVERY_CLASSES, Mechanism, recovery_mechanisms, recovery_table
from tests.config.test_loader import problems, set_path
from tests.mocks import CLOUDS, edited, load, stack_values

SLOW_COPY = Mechanism(mechanism="a daily copy", minutes=24 * 60, source="https://example.com/daily")


def test_a_target_the_mechanism_cannot_keep_is_rejected_naming_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(disaster_recovery, "recovery_mechanisms", lambda cloud: {"recoveryPoint.userData": SLOW_COPY})
    assert problems(stack_values()) == [
        "bettafish:disasterRecovery.recoveryPoint.userDataMinutes: aws: a daily copy keeps 1440 minutes at best"
        " (https://example.com/daily), so a target of 60 cannot be met"
    ]
    relaxed = edited(stack_values(), "bettafish:disasterRecovery", set_path(["recoveryPoint", "userDataMinutes"], 1440))
    load(relaxed)


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_cloud_file_reads_and_names_known_classes(cloud: str) -> None:
    assert set(recovery_mechanisms(cloud)) <= set(RECOVERY_CLASSES)


def test_the_table_lists_every_class_with_its_target() -> None:
    rows = recovery_table(load(stack_values()).disaster_recovery, "aws")
    assert [(r.recovery_class, r.target_minutes) for r in rows] == [
        ("recoveryPoint.database", 5),
        ("recoveryPoint.applicationState", 1440),  # AWS's override (Pulumi.prod.yaml): daily cache snapshots
        ("recoveryPoint.userData", 60),
        ("recoveryTime.critical", 15),
        ("recoveryTime.important", 60),
        ("recoveryTime.nonCritical", 240),
    ]


def test_the_budget_starts_on_a_month_and_gcp_names_its_billing_account() -> None:
    found = problems(edited(stack_values(), "bettafish:budget", set_path(["startDate"], "2026-12-15")))
    assert found == ["bettafish:budget.startDate: a monthly budget starts on the first day of a month"]

    def no_gcp(budget: dict[str, object]) -> dict[str, object]:
        budget.pop("gcp")
        return budget

    found = problems(edited(stack_values("prod", "gcp"), "bettafish:budget", no_gcp))
    assert found == ["bettafish:budget.gcp.billingAccount: required on gcp: budgets belong to a billing account"]
