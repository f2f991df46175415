"""What real cloud APIs refuse, as a table the fake cloud enforces.

Mocks accept whatever the SDK's types allow; a real ``pulumi up`` does not. Each ``Constraint``
names a type token, a predicate over one registration (its inputs, options and dependencies, and
the resources registered before it) that is true when the real API would refuse it or misbehave,
the provider's own error text, and the documentation that says so. The recording engine checks
every custom resource against the table before the fake cloud sees it, so the offline plan and
the tests fail the way ``pulumi up`` would, naming the resource, the error and the reference.

The table is one tuple per cloud (``aws``, ``gcp``, ``azure``) and per cloud's Kubernetes (``eks``, ``gke``, ``aks``); each entry has a
negative test in ``tests/test_constraints.py`` with a registration that violates it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cache
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

Refuses = Callable[["RecordedResource", Sequence["RecordedResource"]], bool]
"""(the registration, every resource registered before it) -> True when the real API refuses it."""


@dataclass(frozen=True)
class Constraint:
    """One documented API constraint."""

    id: str
    """Short stable name, used by tests and in the error (``aws-rds-monitoring-role-ready``)."""
    type: str
    """The type token the constraint applies to."""
    refuses: Refuses
    error: str
    """What the provider says (or what goes wrong), in its own words where it has them."""
    doc: str
    """Where the constraint is documented."""


class CloudRefusalError(Exception):
    """A registration the real cloud would refuse."""

    def __init__(self, constraint: Constraint, resource: RecordedResource) -> None:
        self.constraint = constraint
        self.resource = resource
        super().__init__(
            f"{resource.type} {resource.name!r} would be refused by the cloud [{constraint.id}]: "
            f"{constraint.error} (see {constraint.doc})"
        )


def value(inputs: dict[str, Any], path: str, default: Any = None) -> Any:
    """The input at a dotted camelCase ``path`` (``settings.diskSize``), or ``default``."""
    current: Any = inputs
    for part in path.split("."):
        if not isinstance(current, dict) or part not in current:
            return default
        current = current[part]
    return current


def ignores(resource: RecordedResource, path: str) -> bool:
    """Whether the registration ignores changes to ``path`` (or a parent of it)."""
    ignored = resource.options.get("ignoreChanges", [])
    return any(path == item or path.startswith(f"{item}.") for item in ignored)


def upstream(resource: RecordedResource, before: Sequence[RecordedResource]) -> list[RecordedResource]:
    """Every resource registered before ``resource`` that it waits for, directly or through others."""
    by_urn = {r.urn: r for r in before}
    seen: set[str] = set()
    pending = list(resource.dependencies)
    while pending:
        urn = pending.pop()
        if urn in seen or urn not in by_urn:
            continue
        seen.add(urn)
        pending.extend(by_urn[urn].dependencies)
    return [by_urn[urn] for urn in sorted(seen)]


def waits_for(resource: RecordedResource, before: Sequence[RecordedResource]) -> set[str]:
    """The URNs of ``upstream(resource, before)``."""
    return {r.urn for r in upstream(resource, before)}


def registered(before: Sequence[RecordedResource], type_token: str) -> list[RecordedResource]:
    return [r for r in before if r.type == type_token]


@cache
def all_constraints() -> tuple[Constraint, ...]:
    """The whole table (imported on first use: the per-cloud modules import this one)."""
    from bettafish.plan.fake_cloud.constraints import (
        aks,
        aws,
        azure,
        azure_edge,
        azure_operations,
        azure_workloads,
        eks,
        gcp,
        gcp_edge,
        gcp_operations,
        gcp_workloads,
        gke,
        gke_workloads,
    )

    table = (
        *aws.CONSTRAINTS,
        *eks.CONSTRAINTS,
        *gcp.CONSTRAINTS,
        *gke.CONSTRAINTS,
        *gcp_workloads.CONSTRAINTS,
        *gke_workloads.CONSTRAINTS,
        *gcp_edge.CONSTRAINTS,
        *gcp_operations.CONSTRAINTS,
        *azure.CONSTRAINTS,
        *aks.CONSTRAINTS,
        *azure_workloads.CONSTRAINTS,
        *azure_edge.CONSTRAINTS,
        *azure_operations.CONSTRAINTS,
    )
    ids = [c.id for c in table]
    if len(set(ids)) != len(ids):
        raise AssertionError(f"constraint ids must be unique: {sorted(i for i in ids if ids.count(i) > 1)}")
    return table


@cache
def _by_type() -> dict[str, tuple[Constraint, ...]]:
    by_type: dict[str, list[Constraint]] = {}
    for constraint in all_constraints():
        by_type.setdefault(constraint.type, []).append(constraint)
    return {type_token: tuple(found) for type_token, found in by_type.items()}


def check_constraints(resource: RecordedResource, before: Sequence[RecordedResource]) -> None:
    """Raise ``CloudRefusalError`` for the first constraint ``resource`` violates."""
    for constraint in _by_type().get(resource.type, ()):
        if constraint.refuses(resource, before):
            raise CloudRefusalError(constraint, resource)
