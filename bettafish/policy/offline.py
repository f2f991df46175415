"""The rules over the offline plan: ``bettafish plan --policy``."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

from bettafish.plan import RecordedResource, Recording, find_project_root
from bettafish.policy.evaluate import PolicyConfig, Violation, evaluate
from bettafish.policy.model import Resource, Stack

CONFIG_DIR = "policy"


def from_recorded(recorded: RecordedResource) -> Resource:
    return Resource(
        urn=recorded.urn,
        type=recorded.type,
        name=recorded.name,
        inputs=recorded.inputs,
        protect=recorded.protect,
        parent=recorded.parent,
        dependencies=tuple(recorded.dependencies),
        property_dependencies={k: tuple(v) for k, v in recorded.input_dependencies.items()},
        options=recorded.options,
    )


def stack_of(recording: Recording) -> Stack:
    return Stack(from_recorded(r) for r in recording.resources if r.custom)


def stack_config(root: Path, stack: str) -> PolicyConfig:
    """``policy/config.<stack>.json`` when there is one (the file ``pulumi preview
    --policy-pack-config`` takes for that stack), else every rule mandatory at the spec's values."""
    path = root / CONFIG_DIR / f"config.{stack}.json"
    return PolicyConfig.read(path) if path.is_file() else PolicyConfig()


def check(recording: Recording, config: PolicyConfig) -> list[Violation]:
    return evaluate(stack_of(recording), config)


def report(violations: list[Violation]) -> str:
    mandatory = sum(v.level == "mandatory" for v in violations)
    lines = [v.line() for v in violations]
    lines.append(
        f"policy: {len(violations)} violation(s), {mandatory} mandatory"
        if violations
        else "policy: every rule of security-rules.md holds"
    )
    return "\n".join(lines)


def for_stack(start: Path, stack: str, recording: Recording) -> list[Violation]:
    """The violations of a stack's plan under that stack's policy config (found from ``start``)."""
    return check(recording, stack_config(find_project_root(start), stack))


def blocks(violations: list[Violation]) -> bool:
    """Whether ``pulumi preview --policy-pack`` would fail: any mandatory violation."""
    return any(v.level == "mandatory" for v in violations)


def with_violations(document: str, violations: list[Violation]) -> str:
    """The plan's JSON with ``"policy": [{rule, policy, level, urn, type, name, property, message}]``."""
    data = json.loads(document)
    data["policy"] = [asdict(v) for v in violations]
    return json.dumps(data, indent=2)
