"""The estimate as text: one stack on one cloud, the three clouds side by side, the budget check."""

from __future__ import annotations

from typing import Any

from bettafish.cost.lines import Estimate, LineItem, component_sort_key


def number(value: float, decimals: int = 2) -> str:
    """``4380.0`` -> ``4,380``; ``4592.7616`` -> ``4,592.76`` (trailing zeros dropped)."""
    text = f"{value:,.{decimals}f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def money(value: float) -> str:
    return f"{value:,.2f}"


def _basis(line: LineItem) -> str:
    return f"{number(line.quantity)} {line.unit} x {number(line.unit_price, 6)}"


def estimate_table(estimate: Estimate) -> str:
    """Per component, its lines (quantity x unit price = monthly, and the assumption), then the total."""
    lines = [
        f"Estimated monthly cost of stack {estimate.stack!r} on {estimate.cloud} ({estimate.region}),"
        f" {estimate.currency}, list prices as of {estimate.prices_as_of.isoformat()}",
        "",
    ]
    totals = estimate.by_component()
    for component, total in totals.items():
        lines.append(f"{component:<58}{money(total):>12}")
        for line in (item for item in estimate.items if item.component == component):
            note = line.assumption or ""
            if line.ceiling is not None:
                note = f"{note}; at full scale-out {money(line.ceiling)}".lstrip("; ")
            lines.append(f"    {line.item:<42} {_basis(line):>34} {money(line.monthly):>12}  {note}".rstrip())
        lines.append("")
    lines += summary(estimate)
    if estimate.assumptions:
        lines += ["", "Assumptions:"] + [f"  - {text}" for text in estimate.assumptions]
    return "\n".join(lines)


def summary(estimate: Estimate) -> list[str]:
    """The total against the budget, and what the estimate leaves out (the plan's table ends with it)."""
    budget = estimate.budget
    lines = [
        f"Total cost: {money(estimate.total)} {estimate.currency} a month (with every autoscaled pool at its"
        f" maximum: {money(estimate.ceiling_total)}); list prices as of {estimate.prices_as_of.isoformat()}",
        f"Budget: {money(budget.monthly_amount)} a month, first alert at {budget.threshold_percent}%"
        f" ({money(budget.threshold_amount)})",
    ]
    if estimate.unpriced:
        lines.append(f"Not priced (no rule in data/prices/{estimate.cloud}.yaml): {', '.join(estimate.unpriced)}")
    return lines


def plan_summary(estimate: Estimate) -> str:
    """The end of ``bettafish plan``'s table: per component and in total, with the prices' date."""
    lines = ["Estimated monthly cost (bettafish cost for every line):"]
    lines += [f"    {component:<24}{money(total):>12}" for component, total in estimate.by_component().items()]
    return "\n".join(lines + summary(estimate))


def budget_warning(estimate: Estimate) -> str | None:
    """The plan's warning when the total passes the first alert threshold of the budget."""
    budget = estimate.budget
    if estimate.total <= budget.threshold_amount:
        return None
    return (
        f"estimated monthly cost {money(estimate.total)} {estimate.currency} passes the first budget alert"
        f" ({budget.threshold_percent}% of bettafish:budget.monthlyAmount {money(budget.monthly_amount)} ="
        f" {money(budget.threshold_amount)}) by {money(estimate.total - budget.threshold_amount)}"
        f" (see: bettafish cost --stack {estimate.stack} --cloud {estimate.cloud})"
    )


def budget_check(estimate: Estimate) -> tuple[bool, str]:
    """Whether the total stays within ``budget.monthlyAmount``, and the message saying so (over it:
    by how much, and the lines that weigh most)."""
    limit = estimate.budget.monthly_amount
    where = f"stack {estimate.stack!r} on {estimate.cloud}"
    if estimate.total <= limit:
        return True, (
            f"within budget: {where} is estimated at {money(estimate.total)} {estimate.currency} a month,"
            f" {money(limit - estimate.total)} under bettafish:budget.monthlyAmount {money(limit)}"
        )
    over = estimate.total - limit
    lines = [
        f"over budget: {where} is estimated at {money(estimate.total)} {estimate.currency} a month,"
        f" {money(over)} ({over / limit:.1%}) over bettafish:budget.monthlyAmount {money(limit)};"
        " the lines that weigh most:"
    ]
    lines += [
        f"    {line.component:<16} {line.item:<40} {money(line.monthly):>12}  ({line.monthly / estimate.total:.0%})"
        for line in estimate.heaviest()
    ]
    return False, "\n".join(lines)


def _rows(estimates: list[Estimate]) -> list[tuple[str, str]]:
    """(component, item) over every cloud, components in platform order, items as first seen."""
    seen: dict[tuple[str, str], None] = {}
    for estimate in estimates:
        for line in estimate.items:
            seen.setdefault((line.component, line.item))
    return sorted(seen, key=lambda row: component_sort_key(row[0]))


def compare_table(estimates: list[Estimate]) -> str:
    """The stack on every cloud side by side, line by line, each row followed by what it is on each
    cloud (quantity x unit price and the assumption), so that a difference shows its reason."""
    clouds = [e.cloud for e in estimates]
    dates = ", ".join(f"{e.cloud} {e.prices_as_of.isoformat()}" for e in estimates)
    header = f"{'':<50}" + "".join(f"{cloud:>12}" for cloud in clouds)
    lines = [
        f"Estimated monthly cost of stack {estimates[0].stack!r} per cloud ({estimates[0].currency};"
        f" list prices as of {dates})",
        "",
        header,
    ]
    component = None
    for row_component, item in _rows(estimates):
        if row_component != component:
            component = row_component
            totals = [e.by_component().get(component) for e in estimates]
            lines.append(f"{component:<50}" + "".join(f"{_cell(t):>12}" for t in totals))
        matches = [[line for line in e.items if (line.component, line.item) == (component, item)] for e in estimates]
        amounts = [sum(line.monthly for line in found) if found else None for found in matches]
        lines.append(f"    {item:<46}" + "".join(f"{_cell(amount):>12}" for amount in amounts))
        for cloud, found in zip(clouds, matches, strict=True):
            for line in found:
                lines.append(f"        {cloud + ':':<7} {_basis(line)}  {line.assumption or ''}".rstrip())
    lines += ["", f"{'Total':<50}" + "".join(f"{money(e.total):>12}" for e in estimates)]
    for estimate in estimates:
        if estimate.unpriced:
            lines.append(f"Not priced on {estimate.cloud}: {', '.join(estimate.unpriced)}")
    return "\n".join(lines)


def _cell(amount: float | None) -> str:
    return "-" if amount is None else money(amount)


def compare_json(estimates: list[Estimate]) -> dict[str, Any]:
    rows = []
    for component, item in _rows(estimates):
        per_cloud: dict[str, Any] = {}
        for estimate in estimates:
            found = [line for line in estimate.items if (line.component, line.item) == (component, item)]
            per_cloud[estimate.cloud] = (
                {"monthly": round(sum(line.monthly for line in found), 2), "lines": [line.as_json() for line in found]}
                if found
                else None
            )
        rows.append({"component": component, "item": item, "clouds": per_cloud})
    return {
        "stack": estimates[0].stack,
        "currency": estimates[0].currency,
        "totals": {e.cloud: e.total for e in estimates},
        "rows": rows,
        "estimates": {e.cloud: e.as_json() for e in estimates},
    }
