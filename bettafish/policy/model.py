"""The neutral view the rules read: a resource as the engine registers it (type token, inputs,
``protect``, options, dependencies) and the stack around it. The same view is built from a CrossGuard
request (``bettafish.policy.crossguard``) and from the offline plan (``bettafish.plan.Recording``), so
one rule function serves ``pulumi preview --policy-pack policy`` and ``bettafish plan --policy``.

Inputs are camelCase, as on the wire. What the program did not set is absent (the engine would see
the provider's default): rules check what the program sets explicitly. Numbers may arrive as floats
(``14.0``); a value not known before the update (an id the cloud assigns) is ``COMPUTED``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

COMPUTED = "(computed)"
"""A value only the cloud knows (the offline plan's marker; CrossGuard's unknowns are mapped to it)."""


@dataclass(frozen=True)
class Resource:
    urn: str
    type: str
    name: str
    inputs: Mapping[str, Any]
    protect: bool = False
    parent: str = ""
    dependencies: tuple[str, ...] = ()
    property_dependencies: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    """Per input, the URNs its value came from (``bucket`` -> the bucket's URN)."""
    options: Mapping[str, Any] = field(default_factory=dict)

    def get(self, path: str, default: Any = None) -> Any:
        """The input at a dotted path (``settings.ipConfiguration.ipv4Enabled``), or ``default``."""
        return dig(self.inputs, path, default)


def dig(value: Any, path: str, default: Any = None) -> Any:
    for key in path.split("."):
        if not isinstance(value, Mapping) or key not in value:
            return default
        value = value[key]
    return value


def is_set(value: Any) -> bool:
    """Present and not empty (a computed value counts: the program set it from another resource)."""
    return value not in (None, "", [], {})


def number(value: Any) -> float | None:
    """A number however it arrives: ``14``, ``14.0`` (mocks), ``"14"`` (string-typed inputs)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def truthy(value: Any) -> bool:
    """``True`` or a string the provider reads as true (launch templates take ``"true"``)."""
    return value is True or (isinstance(value, str) and value.lower() == "true")


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return list(value)
    return [value]


@dataclass(frozen=True)
class Finding:
    """What a check found wrong with one resource: the property and why."""

    property: str
    message: str


@dataclass(frozen=True)
class Hit:
    """A finding of a stack-level check, on the resource it names."""

    resource: Resource
    property: str
    message: str


class Stack:
    """Every resource of a stack, with the lookups the stack-level rules need."""

    def __init__(self, resources: Iterable[Resource]) -> None:
        self.resources = list(resources)
        self._by_urn = {r.urn: r for r in self.resources}

    def of_type(self, *tokens: str) -> list[Resource]:
        return [r for r in self.resources if r.type in tokens]

    def get(self, urn: str) -> Resource | None:
        return self._by_urn.get(urn)

    def referenced(self, resource: Resource, prop: str, *tokens: str) -> list[Resource]:
        """The resources (of ``tokens``, when given) the input ``prop`` of ``resource`` came from."""
        found = [self._by_urn[u] for u in resource.property_dependencies.get(prop, ()) if u in self._by_urn]
        return [r for r in found if not tokens or r.type in tokens]

    def referencing(self, target: Resource, prop: str, *tokens: str) -> list[Resource]:
        """The resources of ``tokens`` whose input ``prop`` came from ``target``."""
        return [r for r in self.of_type(*tokens) if target.urn in r.property_dependencies.get(prop, ())]


ResourceCheckFn = Callable[[Resource, Mapping[str, Any]], Iterator[Finding]]
StackCheckFn = Callable[[Stack, Mapping[str, Any]], Iterator[Hit]]
