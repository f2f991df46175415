"""A stack's stateful resources as the replacement guard records them (``guard/<stack>-<cloud>.json``):
URN, type, ``protect`` and the values of the inputs whose change replaces them, as the offline plan
records them (secrets masked, unknowns ``(computed)``). Deterministic: sorted, one layout."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from bettafish.guard.curated import MISSING, curated_types, value_at
from bettafish.plan import RecordedResource, Recording

SNAPSHOT_DIR = "guard"


@dataclass(frozen=True)
class Entry:
    urn: str
    type: str
    protect: bool
    replace_on: dict[str, Any] = field(default_factory=dict)
    """Input path -> value, for the curated paths the program sets."""


@dataclass(frozen=True)
class Snapshot:
    stack: str
    cloud: str
    resources: list[Entry]
    parents: list[str]
    """The components above the stateful resources: an alias on one of them carries its children."""

    def by_urn(self) -> dict[str, Entry]:
        return {entry.urn: entry for entry in self.resources}


def is_stateful(resource: RecordedResource) -> bool:
    """A resource of a curated type, or one the program protects (a type the list still lacks)."""
    return resource.custom and (resource.type in curated_types() or resource.protect)


def entry_of(resource: RecordedResource) -> Entry:
    curated = curated_types().get(resource.type)
    paths = curated.inputs if curated else {}
    values = {path: value_at(resource.inputs, path) for path in paths}
    return Entry(resource.urn, resource.type, resource.protect, {k: v for k, v in values.items() if v is not MISSING})


def snapshot_of(recording: Recording, cloud: str) -> Snapshot:
    by_urn = {r.urn: r for r in recording.resources}
    stateful = [r for r in recording.resources if is_stateful(r)]
    parents: set[str] = set()
    for resource in stateful:
        parent = by_urn.get(resource.parent)
        while parent is not None and parent.urn not in parents:
            parents.add(parent.urn)
            parent = by_urn.get(parent.parent)
    return Snapshot(
        recording.stack, cloud, sorted((entry_of(r) for r in stateful), key=lambda e: e.urn), sorted(parents)
    )


def snapshot_path(root: Path, stack: str, cloud: str) -> Path:
    return root / SNAPSHOT_DIR / f"{stack}-{cloud}.json"


def to_json(snapshot: Snapshot) -> str:
    document = {
        "stack": snapshot.stack,
        "cloud": snapshot.cloud,
        "resources": [
            {"urn": e.urn, "type": e.type, "protect": e.protect, "replaceOn": e.replace_on} for e in snapshot.resources
        ],
        "parents": snapshot.parents,
    }
    return json.dumps(document, indent=2, sort_keys=True) + "\n"


def from_json(text: str) -> Snapshot:
    document = json.loads(text)
    return Snapshot(
        document["stack"],
        document["cloud"],
        [Entry(r["urn"], r["type"], r["protect"], r["replaceOn"]) for r in document["resources"]],
        document["parents"],
    )
