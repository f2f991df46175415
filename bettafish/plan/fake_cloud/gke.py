"""GKE part of the fake cloud: ids and computed outputs of the cluster's resources."""

from __future__ import annotations

import pulumi

from bettafish.plan.fake_cloud.common import Computed


def gke_state(args: pulumi.runtime.MockResourceArgs, project: str) -> Computed | None:
    """The id and computed outputs of a cluster resource, or None for types this module does not own."""
    return None
