"""The monthly cost estimate of a stack: the offline plan's resources priced by the cloud's price
file, the usage lines driven by the traffic assumptions, and the planned commitments."""

from __future__ import annotations

from typing import Any

from bettafish.config import StackConfig
from bettafish.cost.commitments import commitment_lines
from bettafish.cost.lines import Budget, Estimate, LineItem, component_sort_key, priced
from bettafish.cost.prices import price_book
from bettafish.cost.rules import price_resources
from bettafish.cost.traffic import traffic_assumptions, traffic_figures
from bettafish.plan.engine import Recording


def estimate(recording: Recording, config: StackConfig) -> Estimate:
    """Price ``recording`` (the offline plan of ``config``'s stack on ``config.cloud``)."""
    book = price_book(config.cloud)
    names: dict[str, Any] = {
        "config": config.model_dump(mode="json", by_alias=True),
        "traffic": traffic_figures(config, book.hours_per_month),
    }
    lines, unpriced = price_resources(recording, book, names)
    merged = _merge(lines)
    merged += commitment_lines(config.budget.commitments, book, merged)
    merged.sort(key=lambda line: component_sort_key(line.component))
    return Estimate(
        stack=recording.stack,
        cloud=config.cloud,
        region=book.region,
        currency=book.currency,
        prices_as_of=book.prices_as_of,
        items=merged,
        budget=Budget(config.budget.monthly_amount, min(config.budget.threshold_percents)),
        assumptions=list(traffic_assumptions().notes.values()),
        unpriced=unpriced,
    )


def _merge(lines: list[LineItem]) -> list[LineItem]:
    """Lines of the same thing at the same price become one (three NAT gateways: one line of
    2,190 gateway-hours), in first-seen order."""
    merged: dict[tuple[Any, ...], LineItem] = {}
    for line in lines:
        key = (line.component, line.item, line.unit, line.unit_price, line.assumption, line.source)
        first = merged.get(key)
        if first is None:
            merged[key] = line
            continue
        ceiling = None
        if first.ceiling_quantity is not None and line.ceiling_quantity is not None:
            ceiling = first.ceiling_quantity + line.ceiling_quantity
        merged[key] = priced(
            first.component,
            first.item,
            first.quantity + line.quantity,
            first.unit,
            first.unit_price,
            assumption=first.assumption,
            source=first.source,
            ceiling_quantity=ceiling,
        )
    return list(merged.values())
