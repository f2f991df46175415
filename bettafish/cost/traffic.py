"""What the estimate assumes about traffic and stored volume (``data/prices/traffic.yaml``), and
the monthly figures derived from it and from the spec's throughput targets
(``bettafish:monitoring.throughput``): requests, egress, NAT and log volume, bucket contents."""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from typing import Annotated, Any

import yaml
from pydantic import Field, TypeAdapter

from bettafish.config import StackConfig
from bettafish.config.base import Model, NonNegativeInt, Percent, PositiveInt

GB = 1e9
"""Clouds bill decimal gigabytes."""


class BucketVolume(Model):
    stored_gb: NonNegativeInt
    new_gb_per_month: NonNegativeInt


class TrafficAssumptions(Model):
    average_load_percent: Percent
    response_kib: Annotated[float, Field(gt=0)]
    request_kib: Annotated[float, Field(gt=0)]
    cdn_cache_hit_percent: Annotated[int, Field(ge=0, le=100)]
    fetched_mib_per_query: Annotated[float, Field(ge=0)]
    log_bytes_per_request: NonNegativeInt
    log_gb_per_month: dict[str, NonNegativeInt]
    """Log volume per component that does not follow requests (flow logs, control plane, database)."""
    database_daily_change_percent: Annotated[float, Field(ge=0, le=100)]
    cache_used_memory_percent: Percent
    key_requests_per_month: NonNegativeInt
    image_registry_gb: NonNegativeInt
    dns_queries_per_month: NonNegativeInt
    buckets: dict[str, BucketVolume]
    notes: dict[str, str]
    """Why each figure is what it is: shown with the estimate."""


@cache
def traffic_assumptions() -> TrafficAssumptions:
    text = resources.files("bettafish").joinpath("data/prices/traffic.yaml").read_text()
    return TypeAdapter(TrafficAssumptions).validate_python(yaml.safe_load(text))


def kebab(name: str) -> str:
    """``mediaContent`` -> ``media-content``: a config key as the resources' names spell it."""
    return re.sub(r"(?<!^)([A-Z])", r"-\1", name).lower()


def traffic_figures(config: StackConfig, hours: PositiveInt) -> dict[str, Any]:
    """The assumptions (camelCase, as the price rules read them) plus the monthly figures derived
    from them and the stack's throughput targets."""
    assumed = traffic_assumptions()
    throughput = config.monitoring.throughput
    requests = throughput.requests_per_second * assumed.average_load_percent / 100 * hours * 3600
    egress_gb = requests * assumed.response_kib * 1024 / GB
    queries = throughput.queries_per_minute * 60 * hours
    figures: dict[str, Any] = assumed.model_dump(mode="json", by_alias=True)
    figures |= {
        "requestsPerMonth": requests,
        "egressGb": egress_gb,
        "ingressGb": requests * assumed.request_kib * 1024 / GB,
        "cdnOriginGb": egress_gb * (100 - assumed.cdn_cache_hit_percent) / 100,
        "natGb": queries * assumed.fetched_mib_per_query * 1024 * 1024 / GB,
        "requestLogGb": requests * assumed.log_bytes_per_request / GB,
        "buckets": _bucket_contents(config, assumed),
        "nodeCount": _node_count(config),
    }
    return figures


def _node_count(config: StackConfig) -> int:
    """Nodes at the pools' configured counts (AKS's system pool included): the VMs a NAT serves."""
    pools = list(config.kubernetes.node_pools.values())
    if config.kubernetes.azure is not None and config.cloud == "azure":
        pools.append(config.kubernetes.azure.system_pool)
    return sum(pool.count for pool in pools)


def _bucket_contents(config: StackConfig, assumed: TrafficAssumptions) -> dict[str, dict[str, Any]]:
    """Per bucket (keyed as its resources are named, ``media-content``): GB stored and new a month,
    GB in the standard class and GB in the class of its first lifecycle transition, a month's new
    data staying standard until the transition's age; a bucket whose objects expire holds at most
    what arrived since."""
    contents: dict[str, dict[str, Any]] = {}
    for key, bucket in config.storage.buckets.items():
        volume = assumed.buckets[key]
        stored = float(volume.stored_gb)
        if bucket.expire_days is not None:
            stored = min(stored, volume.new_gb_per_month * bucket.expire_days / 30)
        first = bucket.transitions[0] if bucket.transitions else None
        standard = min(stored, volume.new_gb_per_month * first.days / 30) if first else stored
        contents[kebab(key)] = {
            "storedGb": stored,
            "newGbPerMonth": volume.new_gb_per_month,
            "standardGb": standard,
            "transitionedGb": stored - standard,
            "transitionedClass": first.storage_class if first else None,
        }
    return contents
