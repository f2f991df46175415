"""Workload checks: sizes in the catalog, node pools, zones and services that fit; the data services
a service reaches and the public zone, which every cloud checks alike."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.base import MachineSize
from bettafish.config.capacity import nodes_needed, requests
from bettafish.config.catalog import Kind, SizeNotInCatalogError, resolve
from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.stack import StackConfig

FIREWALLS = {"aws": "security groups", "gcp": "VPC firewall rules", "azure": "network security groups"}
"""What carries ``network.flows`` on each cloud, besides the pods' network policies."""
PUBLIC_ZONES = {
    "aws": ("a Route 53 public hosted zone", "ACM validates the origin's certificate through a CNAME in it"),
    "gcp": (
        "a public Cloud DNS zone",
        "Google validates the origin's managed certificate by resolving origin.<zone> to the load balancer",
    ),
    "azure": (
        "a public Azure DNS zone",
        "Let's Encrypt validates the origin's certificate through a TXT record in it (DNS-01)",
    ),
}
"""The zone ``edge.dns`` builds on each cloud, and why it must answer on the internet."""


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
        path = f"services.{name}"
        target = cfg.kubernetes.node_pools.get(svc.node_pool)
        if target is None:
            yield Issue(
                _key(f"{path}.nodePool"),
                f"unknown node pool {svc.node_pool!r}; have {sorted(cfg.kubernetes.node_pools)}",
            )
        elif svc.size.vcpus > target.size.vcpus or svc.size.memory_gib > target.size.memory_gib:
            yield Issue(_key(f"{path}.size"), f"a replica does not fit on a node of pool {svc.node_pool!r}")
    for name, svc in cfg.services.items():
        for callee in svc.calls:
            if callee == name:
                yield Issue(_key(f"services.{name}.calls"), "a service does not call itself over the network")
    for i, commitment in enumerate(cfg.budget.commitments):
        if commitment.node_pool not in cfg.kubernetes.node_pools:
            yield Issue(_key(f"budget.commitments[{i}].nodePool"), f"unknown node pool {commitment.node_pool!r}")


def check_capacity(cfg: StackConfig) -> Iterator[Issue]:
    """Every service of a pool at ``maxReplicas`` fits on the pool's on-demand nodes at ``maxCount``
    (spot nodes may be reclaimed at any time, so they are headroom, not capacity)."""
    for pool_name, pool in cfg.kubernetes.node_pools.items():
        services = [(name, svc) for name, svc in cfg.services.items() if svc.node_pool == pool_name]
        if not services:
            continue
        try:
            node = resolve("compute", cfg.cloud, pool.size)
        except SizeNotInCatalogError:
            continue  # check_catalog names it
        replicas = [requests(svc.size, node) for _, svc in services for _ in range(svc.max_replicas)]
        needed = nodes_needed(replicas, node)
        if needed > pool.max_count:
            names = ", ".join(f"{name} x{svc.max_replicas}" for name, svc in services)
            yield Issue(
                _key(f"kubernetes.nodePools.{pool_name}.maxCount"),
                f"pool {pool_name!r} needs {needed} {cfg.cloud} {node.type} nodes for {names} at maxReplicas"
                f" (requests capped at what a node offers), but maxCount is {pool.max_count}:"
                f" short by {needed - pool.max_count}",
            )


def check_internal_records(cfg: StackConfig) -> Iterator[Issue]:
    """Records of the data services live in the private ``internal.<zone>`` zone."""
    for i, record in enumerate(cfg.edge.dns.records):
        internal = record.target in ("database", "cache")
        if internal != record.name.endswith(".internal"):
            yield Issue(
                _key(f"edge.dns.records[{i}].name"),
                "records of the database and the cache are named <name>.internal (the private zone"
                " internal.<zone>); other records must not be",
            )


def check_data_access(cfg: StackConfig) -> Iterator[Issue]:
    """A pod reaches the database and the cache on the ports the application tier's flows open: the
    cloud's firewall follows the flows, and so do the pods' network policies (Azure's open the data
    services' own ports, which ``check_flows`` requires the flows to open)."""
    open_to = {f.to for f in cfg.network.flows if f.source == "application"}
    for name, service in cfg.services.items():
        for target in ("database", "cache"):
            if getattr(service.access, target) and target not in open_to:
                yield Issue(
                    _key(f"services.{name}.access.{target}"),
                    f"{cfg.cloud}: network.flows opens nothing from application to {target}, so neither the"
                    f" {FIREWALLS[cfg.cloud]} nor the network policy let the pods reach it",
                )


def check_public_zone(cfg: StackConfig) -> Iterator[Issue]:
    """``edge.dns.private: true`` has no meaning on any cloud: the zone carries what the internet must
    resolve, and each cloud signs public zones only (Route 53, Cloud DNS and Azure DNS alike)."""
    if cfg.edge.dns.private:
        kind, why = PUBLIC_ZONES[cfg.cloud]
        yield Issue(
            _key("edge.dns.private"),
            f"{cfg.cloud}: the zone must be public ({kind}): it holds the origin's record; {why}; and"
            " DNSSEC signs public zones only",
        )
