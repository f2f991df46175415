"""Compare a plan with the snapshot: which stateful resources a change would delete or replace.

A snapshot resource the plan no longer holds, under its URN or under an alias the engine would
follow (``bettafish.plan.aliases``), is deleted. A kept one is replaced when a replace-triggering
input changes; only what both sides know is compared (``(computed)`` and ``[secret]`` are not).
Turning ``protect`` off is reported too: it is what lets the next ``destroy`` or replacement through.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bettafish.guard.curated import MISSING, curated_types
from bettafish.guard.snapshot import Entry, Snapshot, snapshot_of
from bettafish.plan import RecordedResource, Recording
from bettafish.plan.aliases import alias_urns
from bettafish.plan.engine import COMPUTED, SECRET_MASK

UNKNOWN = (COMPUTED, SECRET_MASK)


@dataclass(frozen=True)
class Finding:
    kind: str
    """``delete``, ``replace`` or ``unprotect`` (failures); ``added`` or ``aliased`` (information)."""
    urn: str
    detail: str

    @property
    def fails(self) -> bool:
        return self.kind in ("delete", "replace", "unprotect")

    def __str__(self) -> str:
        return f"{self.kind.upper() if self.fails else self.kind}  {self.urn}: {self.detail}"


def previous_urns(recording: Recording, known: set[str]) -> dict[str, str]:
    """New URN -> the URN in ``known`` the engine would take it for (itself, or through an alias)."""
    by_urn = {r.urn: r for r in recording.resources}
    renamed: dict[str, str] = {}
    matched: dict[str, str] = {}

    def depth(resource: RecordedResource) -> int:
        parent = by_urn.get(resource.parent)
        return 0 if parent is None else 1 + depth(parent)

    for resource in sorted(recording.resources, key=lambda r: (depth(r), r.urn)):
        aliases = resource.options.get("aliases", [])
        candidates = [resource.urn, *alias_urns(resource.urn, resource.type, resource.parent, aliases, renamed)]
        old = next((urn for urn in candidates if urn in known), None)
        if old is None:
            continue
        matched[resource.urn] = old
        if old != resource.urn:
            renamed[resource.urn] = old
    return matched


def compare(snapshot: Snapshot, recording: Recording) -> list[Finding]:
    """What the plan would do to the snapshot's stateful resources, failures first."""
    current = snapshot_of(recording, snapshot.cloud)
    before = snapshot.by_urn()
    matched = previous_urns(recording, set(before) | set(snapshot.parents))
    findings: list[Finding] = []
    kept: set[str] = set()
    for entry in current.resources:
        old_urn = matched.get(entry.urn)
        if old_urn is None or old_urn not in before:
            findings.append(Finding("added", entry.urn, "new stateful resource (not in the snapshot)"))
            continue
        kept.add(old_urn)
        if old_urn != entry.urn:
            findings.append(Finding("aliased", entry.urn, f"kept through an alias of {old_urn}"))
        findings += _changes(before[old_urn], entry)
    for urn in sorted(set(before) - kept):
        findings.append(
            Finding(
                "delete",
                urn,
                "no longer in the plan and no alias names it: a rename needs "
                "opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name=OLD_NAME)]) on the renamed resource or component",
            )
        )
    return sorted(findings, key=lambda f: (not f.fails, f.kind, f.urn))


def _changes(old: Entry, new: Entry) -> list[Finding]:
    findings = []
    if old.protect and not new.protect:
        findings.append(Finding("unprotect", new.urn, "protect was on and is off"))
    curated = curated_types().get(new.type)
    if curated is None:
        return findings
    for path, trigger in curated.inputs.items():
        before, after = old.replace_on.get(path, MISSING), new.replace_on.get(path, MISSING)
        if known_difference(before, after) and trigger.fires(before, after):
            detail = f"{path} {_show(before)} -> {_show(after)} ({trigger.how}; {curated.source})"
            findings.append(Finding("replace", new.urn, detail))
    return findings


def known_difference(before: Any, after: Any) -> bool:
    """Whether two recorded values differ where both are known."""
    if before in UNKNOWN or after in UNKNOWN:
        return False
    if isinstance(before, dict) and isinstance(after, dict):
        return any(
            known_difference(before.get(k, MISSING), after.get(k, MISSING)) for k in before.keys() | after.keys()
        )
    if isinstance(before, list) and isinstance(after, list):
        return len(before) != len(after) or any(known_difference(b, a) for b, a in zip(before, after, strict=True))
    return bool(before != after)


def _show(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 120 else text[:117] + "..."
