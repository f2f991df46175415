"""Workload checks: sizes in the catalog, node pools, zones and services that fit."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.base import MachineSize
from bettafish.config.catalog import Kind, SizeNotInCatalogError, resolve
from bettafish.config.checks.issue import Issue, camel
from bettafish.config.checks.issue import key as _key
from bettafish.config.stack import StackConfig


def _sizes(cfg: StackConfig) -> Iterator[tuple[str, Kind, MachineSize]]:
    for name, pool in cfg.kubernetes.node_pools.items():
        yield f"kubernetes.nodePools.{name}.size", "compute", pool.size
    yield "database.size", "database", cfg.database.size
    if cfg.database.read_replicas.count:
        yield "database.readReplicas.size", "database", cfg.database.read_replicas.size
    # Azure sizes one SKU for the whole cluster; the other clouds size each shard's nodes.
    yield "cache.size", "cache", cfg.cache.whole_cluster_size() if cfg.cloud == "azure" else cfg.cache.size


def check_catalog(cfg: StackConfig) -> Iterator[Issue]:
    for path, kind, size in _sizes(cfg):
        try:
            resolve(kind, cfg.cloud, size)
        except SizeNotInCatalogError as exc:
            yield Issue(_key(path), str(exc))


def check_placement(cfg: StackConfig) -> Iterator[Issue]:
    zone_count = len(cfg.network.zones.of(cfg.cloud))
    for name, pool in cfg.kubernetes.node_pools.items():
        for i, zone in enumerate(pool.zones):
            if zone > zone_count:
                yield Issue(_key(f"kubernetes.nodePools.{name}.zones[{i}]"), f"zone {zone} of {zone_count}")
    for i, zone in enumerate(cfg.database.read_replicas.zones):
        if zone > zone_count:
            yield Issue(_key(f"database.readReplicas.zones[{i}]"), f"zone {zone} of {zone_count}")
    for name, svc in cfg.services.items():
        path = f"services.{camel(name)}"
        target = cfg.kubernetes.node_pools.get(svc.node_pool)
        if target is None:
            yield Issue(
                _key(f"{path}.nodePool"),
                f"unknown node pool {svc.node_pool!r}; have {sorted(cfg.kubernetes.node_pools)}",
            )
        elif svc.size.vcpus > target.size.vcpus or svc.size.memory_gib > target.size.memory_gib:
            yield Issue(_key(f"{path}.size"), f"a replica does not fit on a node of pool {svc.node_pool!r}")
    for i, commitment in enumerate(cfg.budget.commitments):
        if commitment.node_pool not in cfg.kubernetes.node_pools:
            yield Issue(_key(f"budget.commitments[{i}].nodePool"), f"unknown node pool {commitment.node_pool!r}")
