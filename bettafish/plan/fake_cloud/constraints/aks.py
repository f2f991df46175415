"""AKS (Azure Kubernetes): what the real API refuses that the SDK's types allow (see the package
docstring). The rows live with their predicates: ``aks_network`` (endpoint, ranges, subnets),
``aks_security`` (KMS, disk encryption, identity, logs, maintenance), ``aks_pools`` (agent pools)."""

from __future__ import annotations

from bettafish.plan.fake_cloud.constraints import Constraint
from bettafish.plan.fake_cloud.constraints.aks_network import CONSTRAINTS as NETWORK
from bettafish.plan.fake_cloud.constraints.aks_pools import CONSTRAINTS as POOLS
from bettafish.plan.fake_cloud.constraints.aks_security import CONSTRAINTS as SECURITY

CONSTRAINTS: tuple[Constraint, ...] = (*NETWORK, *SECURITY, *POOLS)
