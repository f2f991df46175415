"""Assertions shared by the AWS tests: names that must change with each lifetime of a stack."""

from __future__ import annotations

import re

import pulumi

from bettafish.plan import RecordedResource, Recording
from bettafish.plan.fake_cloud.random import random_state

RANDOM_ID = "random:index/randomId:RandomId"


def assert_final_snapshot_unique_per_lifetime(recording: Recording, resource: RecordedResource, prefix: str) -> None:
    """The final snapshot is named after a RandomId of the stack: ``destroy`` deletes the RandomId,
    the next ``up`` draws a new one, so a second destroy never meets the first one's snapshot."""
    (suffix,) = [r for r in recording.of_type(RANDOM_ID) if r.name == f"{prefix}-final-snapshot"]
    drawn = random_state(pulumi.runtime.MockResourceArgs(suffix.type, suffix.name, suffix.inputs, "", "", True))[1]
    assert re.fullmatch(r"[0-9a-f]{8}", drawn["hex"])
    assert resource.inputs["finalSnapshotIdentifier"] == f"{prefix}-final-{drawn['hex']}"
    assert suffix.urn in resource.dependencies
    assert suffix.parent == resource.parent
