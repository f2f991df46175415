"""What each cloud's recovery mechanisms document, per recovery class.

A recovery objective in ``bettafish:disasterRecovery`` is a promise; the mechanism the chosen cloud
uses for that class keeps it only if its documented figure is no worse. The data lives in one file
per cloud (``data/disaster_recovery/<cloud>.yaml``): per class, the mechanism the platform builds,
the worst case its provider documents (minutes) and where. The config check compares each target
with it, and ``bettafish plan --dr`` prints the table.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Annotated, Literal

import yaml
from pydantic import Field, TypeAdapter

from bettafish.config.base import Cloud, Model, PositiveInt
from bettafish.config.operations import DisasterRecovery

RecoveryClass = Literal[
    "recoveryPoint.database",
    "recoveryPoint.applicationState",
    "recoveryPoint.userData",
    "recoveryTime.critical",
    "recoveryTime.important",
    "recoveryTime.nonCritical",
]
RECOVERY_CLASSES: tuple[RecoveryClass, ...] = (
    "recoveryPoint.database",
    "recoveryPoint.applicationState",
    "recoveryPoint.userData",
    "recoveryTime.critical",
    "recoveryTime.important",
    "recoveryTime.nonCritical",
)
_FIELDS = {
    "recoveryPoint.database": ("recovery_point", "database_minutes"),
    "recoveryPoint.applicationState": ("recovery_point", "application_state_minutes"),
    "recoveryPoint.userData": ("recovery_point", "user_data_minutes"),
    "recoveryTime.critical": ("recovery_time", "critical_minutes"),
    "recoveryTime.important": ("recovery_time", "important_minutes"),
    "recoveryTime.nonCritical": ("recovery_time", "non_critical_minutes"),
}


class Mechanism(Model):
    mechanism: str
    """What the platform builds for the class on this cloud, in a sentence."""
    minutes: PositiveInt
    """The worst case the provider documents for it (RPO: the data lost; RTO: the time until served)."""
    source: Annotated[str, Field(pattern=r"^https://")]


_CLOUD_FILE = TypeAdapter(dict[RecoveryClass, Mechanism])


@cache
def recovery_mechanisms(cloud: Cloud) -> dict[RecoveryClass, Mechanism]:
    text = resources.files("bettafish").joinpath(f"data/disaster_recovery/{cloud}.yaml").read_text()
    return _CLOUD_FILE.validate_python(yaml.safe_load(text) or {})


@dataclass(frozen=True)
class RecoveryRow:
    recovery_class: RecoveryClass
    target_minutes: int
    mechanism: Mechanism | None
    """None where the cloud's file does not describe the class yet."""

    @property
    def met(self) -> bool:
        return self.mechanism is not None and self.mechanism.minutes <= self.target_minutes


def target_minutes(dr: DisasterRecovery, recovery_class: RecoveryClass) -> int:
    group, field = _FIELDS[recovery_class]
    value: int = getattr(getattr(dr, group), field)
    return value


def recovery_table(dr: DisasterRecovery, cloud: Cloud) -> list[RecoveryRow]:
    """Every class with the stack's target and the cloud's mechanism for it."""
    mechanisms = recovery_mechanisms(cloud)
    return [RecoveryRow(c, target_minutes(dr, c), mechanisms.get(c)) for c in RECOVERY_CLASSES]
