"""Names AWS keeps after the resource that made them is gone.

A final snapshot outlives its database or cache, so a fixed name (``…-final``) is taken the next
time the same stack is destroyed ("DBSnapshotAlreadyExists", "SnapshotAlreadyExistsFault"). A
``RandomId`` lives and dies with the stack: ``pulumi destroy`` deletes it, the next ``pulumi up``
draws a new one, and between the two every ``up`` keeps the same value (no drift).
"""

from __future__ import annotations

import pulumi
import pulumi_random as random

from components.base import NeutralComponent

SUFFIX_BYTES = 4
"""Eight hex digits: a clash between two lifetimes of one stack is a one-in-four-billion event."""


def final_snapshot_name(parent: NeutralComponent, name: str) -> pulumi.Output[str]:
    """``<name>-final-<8 hex digits>``, unique per lifetime of the stack (letters, digits and single
    hyphens, as RDS and ElastiCache snapshot names require)."""
    suffix = random.RandomId(f"{name}-final-snapshot", byte_length=SUFFIX_BYTES, opts=parent.child())
    return pulumi.Output.concat(name, "-final-", suffix.hex)
