"""Priced lines and the estimate they add up to."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

COMPONENT_ORDER = (
    "Vpc",
    "Keys",
    "KubeCluster",
    "PostgresCluster",
    "CacheCluster",
    "ObjectStore",
    "Workloads",
    "Dns",
    "Cdn",
    "Operations",
)
"""Components in the order of the platform's wiring; any other sorts after them by name."""


@dataclass(frozen=True)
class LineItem:
    component: str
    """The plan component the resources belong to (``KubeCluster``), from its type token."""
    item: str
    """Named the same on every cloud for the same thing, so that clouds compare line by line."""
    quantity: float
    unit: str
    unit_price: float
    monthly: float
    """``quantity * unit_price``, rounded to cents."""
    assumption: str | None = None
    source: str | None = None
    """Where the unit price is published."""
    ceiling_quantity: float | None = None
    """The quantity at full scale-out, for autoscaled lines."""

    @property
    def ceiling(self) -> float | None:
        """The monthly amount at full scale-out."""
        return None if self.ceiling_quantity is None else round(self.ceiling_quantity * self.unit_price, 2)

    def as_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "component": self.component,
            "item": self.item,
            "quantity": round(self.quantity, 4),
            "unit": self.unit,
            "unitPrice": round(self.unit_price, 6),
            "monthly": self.monthly,
        }
        optional = {"assumption": self.assumption, "source": self.source, "ceiling": self.ceiling}
        return out | {key: value for key, value in optional.items() if value is not None}


def priced(
    component: str,
    item: str,
    quantity: float,
    unit: str,
    unit_price: float,
    *,
    assumption: str | None = None,
    source: str | None = None,
    ceiling_quantity: float | None = None,
) -> LineItem:
    """A line with its monthly amount computed and rounded to cents (unit prices to 6 decimals)."""
    unit_price = round(unit_price, 6)
    return LineItem(
        component,
        item,
        quantity,
        unit,
        unit_price,
        round(quantity * unit_price, 2),
        assumption,
        source,
        ceiling_quantity,
    )


@dataclass(frozen=True)
class Budget:
    monthly_amount: float
    threshold_percent: int
    """The first (lowest) alert threshold of ``budget.thresholdPercents``."""

    @property
    def threshold_amount(self) -> float:
        return round(self.monthly_amount * self.threshold_percent / 100, 2)


@dataclass(frozen=True)
class Estimate:
    stack: str
    cloud: str
    region: str
    currency: str
    prices_as_of: date
    items: list[LineItem]
    budget: Budget
    assumptions: list[str] = field(default_factory=list)
    """The traffic and volume assumptions behind the usage lines, in words."""
    unpriced: list[str] = field(default_factory=list)
    """Resource types of the plan that no price rule covers and no one declared free."""

    @property
    def total(self) -> float:
        return round(sum(line.monthly for line in self.items), 2)

    @property
    def ceiling_total(self) -> float:
        """The total with every autoscaled line at its ceiling."""
        return round(sum(line.ceiling if line.ceiling is not None else line.monthly for line in self.items), 2)

    def by_component(self) -> dict[str, float]:
        totals: dict[str, float] = {}
        for line in self.items:
            totals[line.component] = round(totals.get(line.component, 0.0) + line.monthly, 2)
        return totals

    def heaviest(self, count: int = 3) -> list[LineItem]:
        """The lines that weigh most, largest first (ties in line order)."""
        return sorted(self.items, key=lambda line: -line.monthly)[:count]

    def as_json(self) -> dict[str, Any]:
        return {
            "currency": self.currency,
            "pricesAsOf": self.prices_as_of.isoformat(),
            "region": self.region,
            "total": self.total,
            "ceilingTotal": self.ceiling_total,
            "byComponent": self.by_component(),
            "items": [line.as_json() for line in self.items],
            "budget": {
                "monthlyAmount": self.budget.monthly_amount,
                "thresholdPercent": self.budget.threshold_percent,
                "thresholdAmount": self.budget.threshold_amount,
            },
            "assumptions": self.assumptions,
            "unpriced": self.unpriced,
        }


def component_sort_key(component: str) -> tuple[int, str]:
    known = COMPONENT_ORDER.index(component) if component in COMPONENT_ORDER else len(COMPONENT_ORDER)
    return known, component
