"""AKS part of the fake cloud: computed outputs of the cluster's resources (ids come from ``azure``)."""

from __future__ import annotations

from typing import Any

import pulumi


def aks_attributes(args: pulumi.runtime.MockResourceArgs, resource_id: str) -> dict[str, Any]:
    """Outputs Azure computes for a cluster resource (empty for types this module does not own)."""
    return {}
