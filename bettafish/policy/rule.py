"""A rule of ``security-rules.md`` as code: its number, what it checks, and the checks that carry it
on each cloud, each keyed on the type tokens the installed SDKs emit.

A resource check reads one resource; a stack check reads several (a bucket and its public access
block, a cluster and its node groups). A rule with only resource checks becomes a CrossGuard
``ResourceValidationPolicy`` (run before each resource is created); a rule with a stack check becomes a
``StackValidationPolicy`` that runs all of its checks over the stack.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from bettafish.policy.model import Finding, Hit, Resource, ResourceCheckFn, Stack, StackCheckFn

TypeMatch = frozenset[str] | Callable[[str], bool]


@dataclass(frozen=True)
class ResourceCheck:
    types: TypeMatch
    fn: ResourceCheckFn
    label: str = ""
    """What a family of tokens is, for the rule catalog (``gcp:*IAMMember``)."""

    def matches(self, type_token: str) -> bool:
        return type_token in self.types if isinstance(self.types, frozenset) else self.types(type_token)


@dataclass(frozen=True)
class StackCheck:
    types: frozenset[str]
    """The tokens of the resources it reports on (what the "matches the plan" test looks for)."""
    fn: StackCheckFn

    def matches(self, type_token: str) -> bool:
        return type_token in self.types


@dataclass(frozen=True)
class Setting:
    """A value of the rule the policy config may change (``policy/config.staging.json``)."""

    default: Any
    description: str

    @property
    def schema(self) -> dict[str, Any]:
        kind = {bool: "boolean", int: "number", float: "number", str: "string", list: "array"}[type(self.default)]
        return {"type": kind, "default": self.default, "description": self.description}


@dataclass
class Rule:
    number: int
    slug: str
    title: str
    settings: Mapping[str, Setting] = field(default_factory=dict)
    checks: list[ResourceCheck | StackCheck] = field(default_factory=list)

    @property
    def policy_name(self) -> str:
        """The CrossGuard policy name (the key of the rule in a policy config file)."""
        return f"rule-{self.number:02d}-{self.slug}"

    @property
    def stack_level(self) -> bool:
        return any(isinstance(c, StackCheck) for c in self.checks)

    def config(self, given: Mapping[str, Any] | None = None) -> dict[str, Any]:
        """The settings' defaults overlaid with what a policy config gives."""
        values = {key: setting.default for key, setting in self.settings.items()}
        values.update({k: v for k, v in (given or {}).items() if k in self.settings})
        return values

    def on(self, *types: str) -> Callable[[ResourceCheckFn], ResourceCheckFn]:
        """Register a resource check over ``types``."""

        def register(fn: ResourceCheckFn) -> ResourceCheckFn:
            self.checks.append(ResourceCheck(frozenset(types), fn))
            return fn

        return register

    def on_family(self, match: Callable[[str], bool], label: str) -> Callable[[ResourceCheckFn], ResourceCheckFn]:
        """Register a resource check over every token ``match`` accepts (a family such as GCP IAM members)."""

        def register(fn: ResourceCheckFn) -> ResourceCheckFn:
            self.checks.append(ResourceCheck(match, fn, label))
            return fn

        return register

    def across(self, *types: str) -> Callable[[StackCheckFn], StackCheckFn]:
        """Register a stack check reporting on resources of ``types``."""

        def register(fn: StackCheckFn) -> StackCheckFn:
            self.checks.append(StackCheck(frozenset(types), fn))
            return fn

        return register

    def findings(self, resource: Resource, config: Mapping[str, Any]) -> Iterator[Finding]:
        """What the resource checks find on one resource."""
        for check in self.checks:
            if isinstance(check, ResourceCheck) and check.matches(resource.type):
                yield from check.fn(resource, config)

    def hits(self, stack: Stack, config: Mapping[str, Any]) -> Iterator[Hit]:
        """What every check finds over a whole stack."""
        for resource in stack.resources:
            for finding in self.findings(resource, config):
                yield Hit(resource, finding.property, finding.message)
        for check in self.checks:
            if isinstance(check, StackCheck):
                yield from check.fn(stack, config)
