"""Apply a price book's rules to the resources of an offline plan."""

from __future__ import annotations

import math
import re
from collections import defaultdict
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from bettafish.config.catalog import catalog_sources, load_catalog
from bettafish.config.kubernetes_versions import version_catalog
from bettafish.cost.expressions import ExpressionError, evaluate, render
from bettafish.cost.lines import LineItem, priced
from bettafish.cost.prices import CostError, PriceBook, Rule
from bettafish.plan.engine import RecordedResource, Recording

COMPONENT_PREFIX = "bettafish:"


class PricingError(CostError):
    """A price rule failed on a resource of the plan (names the rule and the resource)."""


@dataclass
class _Pricing:
    """The functions a rule may call, recording which published prices a line used."""

    book: PriceBook
    used: list[str] = field(default_factory=list)

    def rate(self, rate_id: str) -> float:
        if rate_id not in self.book.rates:
            raise ExpressionError(f"no rate {rate_id!r} in the {self.book.cloud} price file")
        rate = self.book.rates[rate_id]
        self.used.append(rate.source)
        return rate.value

    def hourly(self, kind: str, instance_type: str) -> float:
        if kind not in load_catalog():
            raise ExpressionError(f"no {kind!r} catalog (compute, database, cache)")
        for row in load_catalog()[kind][self.book.cloud]:
            if row.type == instance_type:
                self.used.append(catalog_sources()[kind][self.book.cloud])
                return row.hourly_usd
        raise ExpressionError(f"{instance_type!r} is not in the {self.book.cloud} {kind} catalog")

    def supported(self, version: str) -> bool:
        ends = version_catalog().of(self.book.cloud).standard_support_ends.get(str(version))
        return ends is not None and self.book.prices_as_of <= ends

    def functions(self) -> dict[str, Callable[..., Any]]:
        return {
            "rate": self.rate,
            "hourly": self.hourly,
            "supported": self.supported,
            "days": duration_days,
            "having": having,
            "within": within,
            "min": min,
            "max": max,
            "len": len,
            "sum": sum,
            "ceil": math.ceil,
            "round": round,
            "str": str,
        }


def having(items: list[Any] | None, key: str) -> list[Any]:
    """The elements of ``items`` (mappings) that have a value for ``key``."""
    return [item for item in items or [] if isinstance(item, Mapping) and item.get(key)]


def within(table: Mapping[str, Any] | None, text: str | None) -> Any:
    """The value of the longest key of ``table`` that ``text`` contains (a bucket's figures from its
    physical name, ``bettafish-prod-store-media-content-1be8861``), or ``None``."""
    keys = [key for key in table or {} if text and str(key) in str(text)]
    return table[max(keys, key=len)] if table and keys else None


def duration_days(duration: str) -> float:
    """Days in a GCP duration (``7776000s``) or an ISO 8601 one (``P90D``)."""
    text = str(duration)
    if match := re.fullmatch(r"(\d+(?:\.\d+)?)s", text):
        return float(match.group(1)) / 86400
    if match := re.fullmatch(r"P(\d+)D", text):
        return float(match.group(1))
    raise ExpressionError(f"{duration!r} is not a duration such as 7776000s or P90D")


def component_of(resource: RecordedResource, by_urn: dict[str, RecordedResource]) -> RecordedResource | None:
    """The nearest enclosing BettaFish component of ``resource``."""
    parent = by_urn.get(resource.parent)
    while parent is not None and not parent.type.startswith(COMPONENT_PREFIX):
        parent = by_urn.get(parent.parent)
    return parent


FREE_PREFIXES = ("random:", "time:", "pulumi:providers:")
"""Providers that create nothing in a cloud account."""
BILLED_KUBERNETES_KINDS = (
    "kubernetes:networking.k8s.io/v1:Ingress",
    "kubernetes:core/v1:Service",
    "kubernetes:gateway.networking.k8s.io/v1:Gateway",
)
"""Kubernetes objects whose controllers create billed cloud resources (a load balancer); every other
Kubernetes object runs on the nodes, which are priced already."""


def needs_price(resource_type: str) -> bool:
    """Whether a resource of this type must be priced by a rule or declared free by a price file."""
    if resource_type.startswith(FREE_PREFIXES):
        return False
    return not resource_type.startswith("kubernetes:") or resource_type in BILLED_KUBERNETES_KINDS


def price_resources(
    recording: Recording,
    book: PriceBook,
    names: dict[str, Any],
) -> tuple[list[LineItem], list[str]]:
    """Lines for every resource a rule prices, and the types of the resources that no rule matched
    and the book does not declare free. ``names`` are the stack-wide bindings (``config``...)."""
    by_urn = {r.urn: r for r in recording.resources}
    rules_by_type: dict[str, list[tuple[int, Rule]]] = defaultdict(list)
    for index, rule in enumerate(book.rules):
        rules_by_type[rule.type].append((index, rule))
    pricing = _Pricing(book)
    bindings = names | pricing.functions() | {"hours": book.hours_per_month, "tables": book.tables}
    matches: dict[tuple[int, str], list[tuple[RecordedResource, dict[str, Any]]]] = defaultdict(list)
    unpriced: set[str] = set()
    for resource in recording.resources:
        if not resource.custom or not needs_price(resource.type) or resource.type in book.free:
            continue
        component = component_of(resource, by_urn)
        label = component.type.rsplit(":", 1)[-1] if component else "Stack"
        prefix = f"{component.name}-" if component else ""
        scope = bindings | {
            "inputs": resource.inputs,
            "resource": resource.name,
            "role": resource.name.removeprefix(prefix),
            "component": label,
        }
        matched = [
            (index, rule)
            for index, rule in rules_by_type.get(resource.type, [])
            if rule.when is None or _value(rule, "when", rule.when, scope, resource)
        ]
        if not matched:
            unpriced.add(resource.type)
        for index, rule in matched:
            if not rule.free:
                matches[(index, label)].append((resource, scope))
    lines: list[tuple[int, LineItem]] = []
    for (index, label), resources_scopes in matches.items():
        rule = book.rules[index]
        for resource, scope in resources_scopes:
            for element in _elements(rule, scope, resource):
                context = scope | {"matched": len(resources_scopes), "it": element}
                lines.append((index, _line(rule, label, context, pricing)))
    return [line for _, line in sorted(lines, key=lambda pair: pair[0])], sorted(unpriced)


def _elements(rule: Rule, scope: dict[str, Any], resource: RecordedResource) -> list[Any]:
    if rule.each is None:
        return [None]
    elements = _value(rule, "each", rule.each, scope, resource)
    return list(elements or [])


def _line(rule: Rule, component: str, scope: dict[str, Any], pricing: _Pricing) -> LineItem:
    item, quantity_of, unit, unit_price_of = rule.priced()
    resource = scope["resource"]
    quantity = float(_value(rule, "quantity", quantity_of, scope, resource))
    pricing.used = []
    unit_price = float(_value(rule, "unitPrice", unit_price_of, scope, resource))
    sources = list(dict.fromkeys(pricing.used))
    return priced(
        component,
        _text(rule, item, scope, resource),
        quantity,
        unit,
        unit_price,
        assumption=_text(rule, rule.assumption, scope, resource) if rule.assumption else None,
        source=" ; ".join(sources) or None,
        ceiling_quantity=float(_value(rule, "ceiling", rule.ceiling, scope, resource)) if rule.ceiling else None,
    )


def _value(rule: Rule, what: str, source: str, scope: dict[str, Any], resource: str | RecordedResource) -> Any:
    try:
        return evaluate(source, scope)
    except ExpressionError as exc:
        raise PricingError(f"price rule for {rule.type} ({what}) on {_name(resource)}: {exc}") from None


def _text(rule: Rule, template: str, scope: dict[str, Any], resource: str) -> str:
    try:
        return render(template, scope)
    except (ExpressionError, ValueError) as exc:
        raise PricingError(f"price rule for {rule.type} (text) on {resource}: {exc}") from None


def _name(resource: str | RecordedResource) -> str:
    return resource if isinstance(resource, str) else resource.name
