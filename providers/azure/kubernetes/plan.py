"""Which AKS agent pools a stack gets: one per configured pool and zone, spot companions likewise,
and AKS's own System pool. Plain data, so the resources, the tests and the docs agree on it.

Why one agent pool per zone: an agent pool sits on one subnet, and the Vpc gives each zone its own
private subnet behind its own zonal NAT gateway ("zonal stack"). A pool spanning three zones on one
subnet would send every zone's egress through one zone's NAT gateway, and lose it with that zone.
AKS recommends one pool per zone with ``balance-similar-node-groups`` for autoscaled zonal pools too.
Counts stay totals over the pool's zones, as on every cloud: ``per_zone`` splits them.
"""

from __future__ import annotations

from dataclasses import dataclass

from bettafish.config.catalog import resolve
from bettafish.config.checks.kubernetes_azure import SYSTEM_POOL
from bettafish.config.kubernetes import Kubernetes, NodePool, per_zone
from components.kube_cluster import spot_pool_name


@dataclass(frozen=True)
class ZonalPool:
    name: str
    """The AKS agent pool name: ``general1``, ``generalspot1``, ``system1`` (pool and zone position)."""
    pool: str
    """The configured pool it belongs to (``general``; a spot companion's is its base pool's)."""
    zone_index: int
    """Position in ``network.zones.azure`` (from 0): its zone, and the private subnet (and NAT
    gateway) of that zone."""
    vm_size: str
    count: int
    min_count: int
    max_count: int
    spot: bool = False
    system: bool = False


def vm_size(pool: NodePool, *, spot: bool = False) -> str:
    """The catalog's VM size for the pool. Azure Spot offers no B-series (burstable) VMs, so a spot
    companion of a burstable pool takes the cheapest general-purpose size of the same shape."""
    entry = resolve("compute", "azure", pool.size)
    if spot and entry.family == "burstable":
        entry = resolve("compute", "azure", pool.size.model_copy(update={"family": "general"}))
    return entry.type


def zonal_pools(k8s: Kubernetes) -> list[ZonalPool]:
    """Every agent pool in creation order: the System pool's, then each configured pool's followed by
    its spot companion's. A spot companion skips the zones its share leaves at zero nodes."""
    assert k8s.azure is not None, "checked at config time (kubernetes.azure)"
    planned = _split(SYSTEM_POOL, SYSTEM_POOL, k8s.azure.system_pool, system=True)
    for name, pool in k8s.node_pools.items():
        planned += _split(name, name, pool)
        if spot_max := k8s.spot_max(pool):
            spot = pool.model_copy(update={"count": spot_max, "min_count": spot_max, "max_count": spot_max})
            companions = _split(spot_pool_name(name), name, spot, spot=True)
            planned += [p for p in companions if p.max_count]
    return planned


def _split(prefix: str, pool_name: str, pool: NodePool, *, spot: bool = False, system: bool = False) -> list[ZonalPool]:
    """The pool's zonal agent pools; a spot companion starts empty and may grow to its share."""
    n = len(pool.zones)
    counts, mins, maxes = (per_zone(total, n) for total in (pool.count, pool.min_count, pool.max_count))
    size = vm_size(pool, spot=spot)
    return [
        ZonalPool(
            name=f"{prefix}{position}",
            pool=pool_name,
            zone_index=position - 1,
            vm_size=size,
            count=0 if spot else counts[i],
            min_count=0 if spot else mins[i],
            max_count=maxes[i],
            spot=spot,
            system=system,
        )
        for i, position in enumerate(pool.zones)
    ]
