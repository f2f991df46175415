"""Shared building blocks of the stack config models."""

from __future__ import annotations

import re
from ipaddress import IPv4Network
from typing import Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer
from pydantic.alias_generators import to_camel

Cloud = Literal["aws", "gcp", "azure"]
CLOUDS: tuple[Cloud, ...] = ("aws", "gcp", "azure")


class Model(BaseModel):
    """Frozen, strict-keyed model read from camelCase stack config."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        alias_generator=to_camel,
        validate_by_alias=True,
        validate_by_name=False,
        serialize_by_alias=True,
    )


def _network(value: object) -> IPv4Network:
    if not isinstance(value, str):
        raise ValueError("must be a CIDR string such as 10.0.1.0/24")
    try:
        return IPv4Network(value, strict=True)
    except ValueError as exc:
        raise ValueError(f"{value!r} is not a valid IPv4 CIDR ({exc})") from None


Cidr = Annotated[IPv4Network, BeforeValidator(_network), PlainSerializer(str, return_type=str)]
"""An IPv4 network in CIDR form with no host bits set."""

Port = Annotated[int, Field(ge=1, le=65535)]
Percent = Annotated[int, Field(ge=1, le=100)]
PositiveInt = Annotated[int, Field(ge=1)]
NonNegativeInt = Annotated[int, Field(ge=0)]
Name = Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,62}$")]

_WINDOW = re.compile(r"^([01]\d|2[0-3]):[0-5]\d-([01]\d|2[0-3]):[0-5]\d$")
_WEEKLY = re.compile(
    r"^(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d-(mon|tue|wed|thu|fri|sat|sun):([01]\d|2[0-3]):[0-5]\d$"
)


def _daily_window(value: str) -> str:
    if not _WINDOW.match(value):
        raise ValueError(f"{value!r} is not a daily window like 03:00-04:00 (UTC)")
    start, end = value.split("-")
    if start == end:
        raise ValueError(f"{value!r} is an empty window")
    return value


def _weekly_window(value: str) -> str:
    if not _WEEKLY.match(value):
        raise ValueError(f"{value!r} is not a weekly window like sun:04:00-sun:05:00 (UTC)")
    return value


DailyWindow = Annotated[str, AfterValidator(_daily_window)]
"""A daily UTC window, HH:MM-HH:MM."""

WeeklyWindow = Annotated[str, AfterValidator(_weekly_window)]
"""A weekly UTC window, ddd:HH:MM-ddd:HH:MM."""


def require_unique(what: str, values: list[Any]) -> None:
    """Raise a validation error naming the repeated values, if any."""
    repeated = sorted({v for v in values if values.count(v) > 1})
    if repeated:
        raise ValueError(f"{what} must be unique, repeated: {repeated}")


class MachineSize(Model):
    """A neutral machine size, resolved to a real instance type per cloud by the catalog."""

    vcpus: PositiveInt
    memory_gib: Annotated[float, Field(gt=0)]
    family: Literal["general", "burstable", "compute", "memory"] = "general"
    pin: dict[Cloud, str] = Field(
        default_factory=dict,
        description="Optional exact instance type per cloud, overriding the catalog's choice.",
    )
