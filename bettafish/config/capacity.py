"""What a node of a pool can give its pods, and how many nodes a pool's services need.

A node never offers all of its machine: the kubelet and the operating system reserve part of it,
the eviction threshold keeps some memory free, and the cluster's own DaemonSets (CNI, proxy, CSI
node plugin, log and metrics agents) run on every node. A pod that asks for the whole machine
never schedules, so a service's requests are its size capped at what a node of its pool offers.
"""

from __future__ import annotations

from dataclasses import dataclass
from math import ceil

from bettafish.config.base import MachineSize
from bettafish.config.catalog import CatalogEntry

_CPU_RESERVED = ((1.0, 0.06), (1.0, 0.01), (2.0, 0.005), (float("inf"), 0.0025))
"""Cores reserved for the kubelet and system, tier by tier (the formula GKE and AKS document)."""
_MEMORY_RESERVED = ((4.0, 0.25), (4.0, 0.20), (8.0, 0.10), (112.0, 0.06), (float("inf"), 0.02))
"""GiB reserved, tier by tier (GKE's and AKS's formula; EKS's bootstrap reserves a similar share)."""
EVICTION_MIB = 100
"""Memory the kubelet keeps free before it evicts pods (``memory.available<100Mi``)."""
DAEMONSET_MILLICORES = 250
DAEMONSET_MIB = 512
"""Budget for the DaemonSets of every node (CNI and network policy agent, proxy, CSI node plugin,
log and metrics agents)."""


@dataclass(frozen=True)
class Resources:
    millicores: int
    mebibytes: int

    def fits_in(self, other: Resources) -> bool:
        return self.millicores <= other.millicores and self.mebibytes <= other.mebibytes

    def __sub__(self, other: Resources) -> Resources:
        return Resources(self.millicores - other.millicores, self.mebibytes - other.mebibytes)


def _tiered(amount: float, tiers: tuple[tuple[float, float], ...]) -> float:
    reserved, left = 0.0, amount
    for size, share in tiers:
        taken = min(left, size)
        reserved += taken * share
        left -= taken
        if left <= 0:
            break
    return reserved


def allocatable(node: CatalogEntry) -> Resources:
    """What pods of ``node`` may request once the kubelet, system, eviction and DaemonSets took theirs."""
    cpu = node.vcpus * 1000 - ceil(_tiered(node.vcpus, _CPU_RESERVED) * 1000) - DAEMONSET_MILLICORES
    memory = node.memory_gib * 1024 - ceil(_tiered(node.memory_gib, _MEMORY_RESERVED) * 1024)
    return Resources(cpu, int(memory) - EVICTION_MIB - DAEMONSET_MIB)


def requests(size: MachineSize, node: CatalogEntry) -> Resources:
    """A replica's requests: its size, capped at what one node of its pool can give."""
    wanted = Resources(size.vcpus * 1000, int(size.memory_gib * 1024))
    room = allocatable(node)
    return Resources(min(wanted.millicores, room.millicores), min(wanted.mebibytes, room.mebibytes))


def nodes_needed(replicas: list[Resources], node: CatalogEntry) -> int:
    """Nodes of type ``node`` that hold every replica, packed first-fit by decreasing size (never
    fewer than an optimal packing needs, at most 22% more)."""
    room = allocatable(node)
    free: list[Resources] = []
    for replica in sorted(replicas, key=lambda r: (r.millicores, r.mebibytes), reverse=True):
        for i, left in enumerate(free):
            if replica.fits_in(left):
                free[i] = left - replica
                break
        else:
            free.append(room - replica)
    return len(free)
