"""Resolve neutral machine sizes to real instance types per cloud, from ``data/catalog.yaml``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Literal, get_args

import yaml
from pydantic import TypeAdapter

from bettafish.config.base import Cloud, MachineSize, Model

Kind = Literal["compute", "database", "cache"]


class CatalogEntry(Model):
    type: str
    vcpus: int
    memory_gib: float
    family: Literal["general", "burstable", "compute", "memory"]
    hourly_usd: float
    max_iops: int | None = None
    """Disk IOPS the machine itself serves at most, where the cloud caps them below the disk's (Azure
    PostgreSQL flexible servers)."""
    max_throughput_mbps: int | None = None
    """Disk throughput (MB/s) the machine serves at most, likewise."""


_CATALOG = TypeAdapter(dict[Kind, dict[Cloud, list[CatalogEntry]]])


class SizeNotInCatalogError(ValueError):
    """No catalog row satisfies a size (or a pin names an unknown type)."""


_SOURCES = TypeAdapter(dict[Kind, dict[Cloud, str]])


@cache
def _catalog_file() -> dict[str, object]:
    data: dict[str, object] = yaml.safe_load(resources.files("bettafish").joinpath("data/catalog.yaml").read_text())
    return data


@cache
def load_catalog() -> dict[Kind, dict[Cloud, list[CatalogEntry]]]:
    data = _catalog_file()
    return _CATALOG.validate_python({kind: data[kind] for kind in get_args(Kind)})


@cache
def catalog_sources() -> dict[Kind, dict[Cloud, str]]:
    """Where each kind's hourly prices are published, per cloud (the cost estimate cites them)."""
    return _SOURCES.validate_python(_catalog_file()["sources"])


def resolve(kind: Kind, cloud: Cloud, size: MachineSize) -> CatalogEntry:
    """The pinned type if any, else the cheapest fitting row of the size's family."""
    rows = load_catalog()[kind][cloud]
    if cloud in size.pin:
        for row in rows:
            if row.type == size.pin[cloud]:
                return row
        raise SizeNotInCatalogError(f"pinned {kind} type {size.pin[cloud]!r} is not in the {cloud} catalog")
    families = {size.family, "general"} if size.family == "burstable" else {size.family}
    fitting = [
        row for row in rows if row.family in families and row.vcpus >= size.vcpus and row.memory_gib >= size.memory_gib
    ]
    if not fitting:
        raise SizeNotInCatalogError(
            f"no {cloud} {kind} type in family {size.family} has {size.vcpus} vCPUs and {size.memory_gib} GiB"
        )
    return min(fitting, key=lambda row: (row.hourly_usd, row.vcpus, row.memory_gib))
