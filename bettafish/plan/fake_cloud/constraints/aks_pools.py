"""AKS agent pool refusals: names, Spot capacity, one pool operation at a time."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bettafish.plan.fake_cloud.constraints import Constraint, registered, waits_for
from bettafish.plan.fake_cloud.constraints.aks_refs import AGENT_POOL, AKS_DOCS, on_pools, pool_profiles

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

Before = Sequence["RecordedResource"]
_POOL_NAME = re.compile(r"^[a-z][a-z0-9]{0,11}$")


def _spot_system(resource: RecordedResource, _: Before) -> bool:
    return any(p.get("mode") == "System" and p.get("scaleSetPriority") == "Spot" for p in pool_profiles(resource))


def _spot_b_series(resource: RecordedResource, _: Before) -> bool:
    return any(
        p.get("scaleSetPriority") == "Spot" and str(p.get("vmSize", "")).startswith("Standard_B")
        for p in pool_profiles(resource)
    )


def _bad_name(resource: RecordedResource, _: Before) -> bool:
    return any(not _POOL_NAME.match(str(p.get("name", ""))) for p in pool_profiles(resource))


def _concurrent(pool: RecordedResource, before: Before) -> bool:
    """Another pool of the same cluster may still be in progress: the pool does not wait for it."""
    ancestors = waits_for(pool, before)
    cluster = pool.inputs.get("resourceName")
    return any(
        p.urn not in ancestors for p in registered(before, AGENT_POOL) if p.inputs.get("resourceName") == cluster
    )


CONSTRAINTS: tuple[Constraint, ...] = (
    *on_pools(
        "aks-spot-system-pool",
        _spot_system,
        "A Spot node pool can't be a default (System) node pool; it can only be used as a secondary pool",
        f"{AKS_DOCS}/spot-node-pool#limitations",
    ),
    *on_pools(
        "aks-spot-b-series",
        _spot_b_series,
        "Standard_B*: this size does not support Azure Spot (B-series VMs aren't offered as Spot)",
        "https://learn.microsoft.com/azure/virtual-machines/spot-vms#limitations",
    ),
    *on_pools(
        "aks-pool-name",
        _bad_name,
        "Linux agent pool names start with a lowercase letter, hold only lowercase letters and numbers, and take at"
        " most 12 characters",
        f"{AKS_DOCS}/create-node-pools#limitations",
    ),
    Constraint(
        id="aks-agent-pools-one-at-a-time",
        type=AGENT_POOL,
        refuses=_concurrent,
        error="OperationNotAllowed: Operation is not allowed: Another agentpool operation (... - Creating) is in"
        " progress, please wait for it to finish before starting a new operation",
        doc="https://aka.ms/aks-pending-operation",
    ),
)
