"""The rules as CrossGuard policies: each request's resource adapted to the neutral view, each rule a
``ResourceValidationPolicy`` (or a ``StackValidationPolicy`` when it needs several resources), all
mandatory. ``policy/__main__.py`` hands these to ``PolicyPack``, which serves them and never returns."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationArgs,
    StackValidationPolicy,
)
from pulumi_policy.proxy import (
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
)

from bettafish.policy.model import COMPUTED, Resource, Stack
from bettafish.policy.rule import Rule
from bettafish.policy.rules import RULES

UNKNOWN = {
    UNKNOWN_ARCHIVE_VALUE,
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_ASSET_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_NUMBER_VALUE,
    UNKNOWN_OBJECT_VALUE,
    UNKNOWN_STRING_VALUE,
}


def plain(value: Any) -> Any:
    """The engine's properties as plain data: the SDK's proxies (which raise on reading a value
    unknown during preview) unwrapped, unknowns turned into ``COMPUTED`` as in the offline plan."""
    if isinstance(value, str):
        return COMPUTED if value in UNKNOWN else value
    if isinstance(value, Mapping):
        try:
            raw = value["__target"]  # the proxy's own dict: reading it raises on no unknown
        except KeyError:
            raw = value
        return {key: plain(item) for key, item in raw.items()}
    if isinstance(value, Sequence):
        try:
            items = value["__target"]  # type: ignore[call-overload]
        except TypeError:
            items = value
        return [plain(item) for item in items]
    return value


def from_args(args: ResourceValidationArgs) -> Resource:
    return Resource(
        urn=args.urn, type=args.resource_type, name=args.name, inputs=plain(args.props), protect=bool(args.opts.protect)
    )


def from_stack_resource(resource: PolicyResource) -> Resource:
    return Resource(
        urn=resource.urn,
        type=resource.resource_type,
        name=resource.name,
        inputs=plain(resource.props),
        protect=bool(resource.opts.protect),
        parent=resource.parent.urn if resource.parent else "",
        dependencies=tuple(d.urn for d in resource.dependencies),
        property_dependencies={k: tuple(d.urn for d in v) for k, v in resource.property_dependencies.items()},
    )


def message(rule: Rule, prop: str, text: str) -> str:
    return f"security rule {rule.number} ({rule.title}): {prop}: {text}"


def _resource_validator(rule: Rule) -> Any:
    def validate(args: ResourceValidationArgs, report: ReportViolation) -> None:
        resource = from_args(args)
        for finding in rule.findings(resource, rule.config(args.get_config())):
            report(message(rule, finding.property, finding.message), None)

    return validate


def _stack_validator(rule: Rule) -> Any:
    def validate(args: StackValidationArgs, report: ReportViolation) -> None:
        stack = Stack(from_stack_resource(r) for r in args.resources)
        for hit in rule.hits(stack, rule.config(args.get_config())):
            report(message(rule, hit.property, hit.message), hit.resource.urn)

    return validate


def policy(rule: Rule) -> Policy:
    schema = PolicyConfigSchema({k: s.schema for k, s in rule.settings.items()}) if rule.settings else None
    if rule.stack_level:
        return StackValidationPolicy(
            name=rule.policy_name,
            description=f"Security rule {rule.number}: {rule.title}",
            validate=_stack_validator(rule),
            enforcement_level=EnforcementLevel.MANDATORY,
            config_schema=schema,
        )
    return ResourceValidationPolicy(
        name=rule.policy_name,
        description=f"Security rule {rule.number}: {rule.title}",
        validate=_resource_validator(rule),
        enforcement_level=EnforcementLevel.MANDATORY,
        config_schema=schema,
    )


def policies() -> list[Policy]:
    return [policy(rule) for rule in RULES]
