"""``bettafish guard``: would this change delete or replace a stateful resource?

Runs the offline plan of each stack and cloud asked for (every ``Pulumi.<stack>.yaml`` on every
cloud by default), compares it with the committed snapshot (``guard/<stack>-<cloud>.json``) and
exits non-zero, naming each resource, when one would be deleted or replaced or loses ``protect``.
``--accept`` rewrites the snapshots from today's plans after a deliberate change.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from bettafish.config import CLOUDS
from bettafish.guard.compare import compare
from bettafish.guard.snapshot import from_json, snapshot_of, snapshot_path, to_json
from bettafish.plan import Recording

EXIT_REPLACES = 4
"""A stateful resource would be deleted or replaced, or loses ``protect`` (2 and 3 are the plan's)."""

Planner = Callable[[Path, str, str], Recording]
"""(project root, stack, cloud) -> the offline plan."""


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    guard = commands.add_parser("guard", help="fail when a change would delete or replace a stateful resource")
    guard.add_argument("--stack", help="only this stack (default: every Pulumi.<stack>.yaml)")
    guard.add_argument("--cloud", choices=CLOUDS, help="only this cloud (default: all three)")
    guard.add_argument("--accept", action="store_true", help="rewrite the snapshot(s) from today's plan")


def stacks_of(root: Path) -> list[str]:
    """The stacks with a stack file in the project."""
    return sorted(path.name[len("Pulumi.") : -len(".yaml")] for path in root.glob("Pulumi.*.yaml"))


def run(root: Path, stacks: list[str], clouds: list[str], accept: bool, planner: Planner) -> int:
    """Check (or with ``accept`` rewrite) each stack on each cloud; the exit status."""
    failed = False
    for stack in stacks:
        for cloud in clouds:
            failed |= _one(root, stack, cloud, accept, planner(root, stack, cloud))
    return EXIT_REPLACES if failed else 0


def _one(root: Path, stack: str, cloud: str, accept: bool, recording: Recording) -> bool:
    path = snapshot_path(root, stack, cloud)
    label = f"{stack}/{cloud}"
    current = snapshot_of(recording, cloud)
    findings = compare(from_json(path.read_text()), recording) if path.is_file() else []
    for finding in findings:
        print(f"  {finding}")
    if accept:
        path.parent.mkdir(exist_ok=True)
        path.write_text(to_json(current))
        print(f"guard {label}: wrote {path.relative_to(root)} ({len(current.resources)} stateful resources)")
        return False
    if not path.is_file():
        print(
            f"guard {label}: no snapshot {path.relative_to(root)}; create it with: bettafish guard "
            f"--stack {stack} --cloud {cloud} --accept",
            file=sys.stderr,
        )
        return True
    failures = [f for f in findings if f.fails]
    if failures:
        print(
            f"guard {label}: {len(failures)} stateful resource change(s) would delete or replace data; "
            "add an alias, revert, or accept a deliberate change with: "
            f"bettafish guard --stack {stack} --cloud {cloud} --accept",
            file=sys.stderr,
        )
        return True
    print(f"guard {label}: {len(current.resources)} stateful resources kept")
    return False
