"""Operations checks: recovery objectives the chosen cloud's mechanisms can keep, and the budget."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.disaster_recovery import recovery_table
from bettafish.config.stack import StackConfig


def check_disaster_recovery(cfg: StackConfig) -> Iterator[Issue]:
    """Each objective at least as loose as the documented figure of the mechanism that keeps it."""
    for row in recovery_table(cfg.disaster_recovery, cfg.cloud):
        mechanism = row.mechanism
        if mechanism is None or row.met:
            continue
        group, name = row.recovery_class.split(".")
        yield Issue(
            _key(f"disasterRecovery.{group}.{name}Minutes"),
            f"{cfg.cloud}: {mechanism.mechanism} keeps {mechanism.minutes} minutes at best"
            f" ({mechanism.source}), so a target of {row.target_minutes} cannot be met",
        )


def check_budget(cfg: StackConfig) -> Iterator[Issue]:
    budget = cfg.budget
    if budget.start_date.day != 1:
        yield Issue(_key("budget.startDate"), "a monthly budget starts on the first day of a month")
    if cfg.cloud == "gcp" and budget.gcp is None:
        yield Issue(_key("budget.gcp.billingAccount"), "required on gcp: budgets belong to a billing account")
