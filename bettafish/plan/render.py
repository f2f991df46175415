"""Show a recording as a component tree with totals, or as JSON."""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from bettafish.config.disaster_recovery import RecoveryRow
from bettafish.plan.engine import RecordedResource, Recording


def as_json(
    recording: Recording,
    cloud: str,
    recovery: list[RecoveryRow] | None = None,
    cost: dict[str, Any] | None = None,
) -> str:
    extra: dict[str, Any] = (
        {"disasterRecovery": [_recovery_row(row) for row in recovery]} if recovery is not None else {}
    )
    extra |= {"cost": cost} if cost is not None else {}
    return json.dumps(
        {
            "stack": recording.stack,
            "cloud": cloud,
            "resources": [
                {
                    "urn": r.urn,
                    "type": r.type,
                    "name": r.name,
                    "parent": r.parent,
                    "dependencies": r.dependencies,
                    "protect": r.protect,
                    "options": r.options,
                    "inputs": r.inputs,
                }
                for r in recording.resources
            ],
            "outputs": recording.outputs,
            **extra,
        },
        indent=2,
        sort_keys=False,
    )


def as_table(recording: Recording, cloud: str) -> str:
    lines = [f"Plan for stack {recording.stack!r} of project {recording.project!r} on {cloud} (offline)", ""]
    by_parent: dict[str, list[RecordedResource]] = {}
    for r in recording.resources:
        by_parent.setdefault(r.parent, []).append(r)
    components = [r for r in recording.resources if not r.custom]
    for component in components:
        children = [c for c in by_parent.get(component.urn, []) if c.custom]
        lines.append(f"{component.type}  {component.name}  ({len(children)} resources)")
        for type_token, count in sorted(Counter(c.type for c in children).items()):
            of_type = [c for c in children if c.type == type_token]
            lines.append(f"    {count:>3}  {type_token}{_notes(of_type)}")
        lines.append("")
    loose = [r for r in recording.resources if r.custom and r.parent not in {c.urn for c in components}]
    for r in loose:
        lines.append(f"{r.type}  {r.name}")
    custom = [r for r in recording.resources if r.custom]
    lines.append(
        f"Total: {len(custom)} resources in {len(components)} components, "
        f"{sum(1 for r in custom if r.protect)} protected"
    )
    if recording.outputs:
        lines += ["", "Outputs:"]
        lines += [f"    {key}: {_short(value)}" for key, value in recording.outputs.items()]
    return "\n".join(lines)


_MARKED_OPTIONS = {
    "retainOnDelete": "retained on delete",
    "ignoreChanges": "ignoring changes",
    "replaceOnChanges": "replaced on changes",
    "deleteBeforeReplace": "deleted before replace",
    "provider": "explicit provider",
}
"""Options worth a glance in the table (the JSON has them all)."""


def _notes(resources: list[RecordedResource]) -> str:
    counts = [(sum(1 for r in resources if r.protect), "protected")]
    counts += [(sum(1 for r in resources if r.options.get(key)), label) for key, label in _MARKED_OPTIONS.items()]
    notes = ", ".join(f"{n} {label}" for n, label in counts if n)
    return f"  [{notes}]" if notes else ""


def _short(value: Any) -> str:
    text = json.dumps(value) if not isinstance(value, str) else value
    return text if len(text) <= 100 else text[:97] + "..."


def _recovery_row(row: RecoveryRow) -> dict[str, Any]:
    mechanism = row.mechanism
    return {
        "class": row.recovery_class,
        "targetMinutes": row.target_minutes,
        "mechanism": mechanism.mechanism if mechanism else None,
        "documentedMinutes": mechanism.minutes if mechanism else None,
        "source": mechanism.source if mechanism else None,
        "met": row.met,
    }


def recovery_as_table(rows: list[RecoveryRow], cloud: str) -> str:
    """Class, target, mechanism and its documented figure, one line each (``bettafish plan --dr``)."""
    lines = [f"Disaster recovery on {cloud} (target / documented worst case, minutes)"]
    for row in rows:
        mechanism = row.mechanism
        if mechanism is None:
            lines.append(f"    {row.recovery_class:<32} {row.target_minutes:>5} / ?      no mechanism described yet")
            continue
        verdict = "ok" if row.met else "NOT MET"
        lines.append(
            f"    {row.recovery_class:<32} {row.target_minutes:>5} / {mechanism.minutes:<5}  {verdict:<7}"
            f" {mechanism.mechanism} ({mechanism.source})"
        )
    return "\n".join(lines)
