"""AKS (Azure Kubernetes): what the real API refuses that the SDK's types allow (see the package docstring)."""

from __future__ import annotations

from bettafish.plan.fake_cloud.constraints import Constraint

CONSTRAINTS: tuple[Constraint, ...] = ()
