"""``budget.commitments``: reserved capacity the stack plans to buy, priced as a negative line per
commitment at the cloud's published discount for its term and payment option."""

from __future__ import annotations

from bettafish.config.operations import Commitment
from bettafish.cost.lines import LineItem, priced
from bettafish.cost.prices import CostError, PriceBook

NODE_POOL_ITEM = "node pool {}"
"""How the price files name a pool's on-demand nodes; a commitment discounts that line's price."""


class CommitmentError(CostError):
    """A commitment the price file cannot price (no discount for its term and payment)."""


def commitment_lines(commitments: list[Commitment], book: PriceBook, lines: list[LineItem]) -> list[LineItem]:
    """One negative line per commitment, for at most the pool's configured node count."""
    out: list[LineItem] = []
    for commitment in commitments:
        discount = book.commitment(commitment.term_years, commitment.payment)
        if discount is None:
            raise CommitmentError(
                f"bettafish:budget.commitments: no {commitment.term_years}-year {commitment.payment} discount"
                f" in the {book.cloud} price file"
            )
        pool = [line for line in lines if line.item == NODE_POOL_ITEM.format(commitment.node_pool)]
        if not pool:
            continue
        hours = book.hours_per_month
        running = sum(line.quantity for line in pool) / hours
        nodes = min(commitment.quantity, running)
        unit_price = max(line.unit_price for line in pool)
        capped = f"; capped at the pool's {running:g} nodes" if nodes < commitment.quantity else ""
        out.append(
            priced(
                pool[0].component,
                f"commitment {commitment.node_pool} ({commitment.term_years}-year {commitment.payment})",
                nodes * hours,
                "node-hour",
                -round(unit_price * discount.percent / 100, 6),
                assumption=f"{commitment.quantity} of the pool's nodes reserved: {discount.percent:g}% below"
                f" on-demand ({discount.note}){capped}",
                source=discount.source,
            )
        )
    return out
