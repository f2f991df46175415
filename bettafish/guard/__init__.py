"""The replacement guard: a committed snapshot of each stack's stateful resources and the check
that a change would not delete or replace one (``bettafish guard``)."""

from bettafish.guard.compare import Finding, compare, previous_urns
from bettafish.guard.curated import StatefulType, Trigger, curated_types, value_at
from bettafish.guard.snapshot import Snapshot, from_json, snapshot_of, snapshot_path, to_json

__all__ = [
    "Finding",
    "Snapshot",
    "StatefulType",
    "Trigger",
    "compare",
    "curated_types",
    "from_json",
    "previous_urns",
    "snapshot_of",
    "snapshot_path",
    "to_json",
    "value_at",
]
