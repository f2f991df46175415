"""The price files (``data/prices/<cloud>.yaml``): list prices with their source, the commitment
discounts, and the rules that turn each resource type of the plan into priced lines.

Instance prices (nodes, database servers, cache nodes) are not repeated here: they stay in the
machine catalog (``data/catalog.yaml``), the one place both the size resolver and the estimate read.
"""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Annotated, Any, Literal

import yaml
from pydantic import Field, TypeAdapter, model_validator

from bettafish.config.base import Cloud, Model, PositiveInt


class CostError(ValueError):
    """The estimate cannot be made from the price files (a rule failed, a discount is missing)."""


class Rate(Model):
    """One public list price (or a documented ratio, such as a spot discount)."""

    value: float
    unit: str
    """What one ``value`` buys: ``cluster-hour``, ``GB-month``, ``percent``..."""
    source: str
    """The provider's page the price is published on."""
    checked: str | None = None
    """Where the figure was seen when the file was last refreshed, with that page's own date, when
    it was not the source page itself (see the README's "Cost estimate")."""
    note: str | None = None


class Rule(Model):
    """How one resource type becomes a priced line. Every field but ``type``, ``unit`` and ``free``
    is an expression or a template of ``bettafish.cost.expressions``, evaluated with these names:

    - ``inputs``: the resource's recorded inputs; ``resource``: its name; ``role``: its name without
      its component's prefix (``media-content``, ``replica-1``); ``component``: ``KubeCluster``...
    - ``config``: the validated stack config (camelCase keys); ``traffic``: the traffic and volume
      assumptions (``data/prices/traffic.yaml``) and the figures derived from them;
    - ``hours``: hours in a month; ``matched``: how many resources of the component this rule
      prices (to share a component-wide volume between them); ``tables``: the file's tables;
      ``it``: the element, when ``each`` is set;
    - functions ``rate(id)``, ``hourly(kind, type)`` (the catalog's on-demand price),
      ``supported(version)`` (the Kubernetes version is in standard support on ``pricesAsOf``),
      ``days(duration)`` (``7776000s`` or ``P90D``), ``having(list, key)`` (the elements that have
      ``key``), ``within(mapping, text)`` (the value of the longest key ``text`` contains), ``min``, ``max``, ``len``, ``sum``, ``ceil``,
      ``round``, ``str``.

    A resource no rule matches (after ``when``) and whose type is not in the file's ``free`` list is
    reported as unpriced, so ``free: true`` rules say which cases of a billed type cost nothing.
    """

    type: str
    when: str | None = None
    """The rule applies only when this is true."""
    free: bool = False
    """The matched resources cost nothing by themselves (``note`` says why); no line."""
    note: str | None = None
    each: str | None = None
    """One line per element of this list (bound to ``it``)."""
    item: str | None = None
    """The line's name, the same on every cloud for the same thing (``node pool general``)."""
    quantity: str | None = None
    unit: str | None = None
    unit_price: str | None = None
    assumption: str | None = None
    ceiling: str | None = None
    """The quantity at full scale-out (an autoscaled pool at ``maxCount``), shown beside the line."""

    def priced(self) -> tuple[str, str, str, str]:
        """``(item, quantity, unit, unitPrice)`` of a rule that prices (not a free one)."""
        if self.item is None or self.quantity is None or self.unit is None or self.unit_price is None:
            raise ValueError(f"rule for {self.type} is free: it prices nothing")
        return self.item, self.quantity, self.unit, self.unit_price

    @model_validator(mode="after")
    def _priced_or_free(self) -> Rule:
        priced = (self.item, self.quantity, self.unit, self.unit_price)
        if self.free and any(field is not None for field in priced):
            raise ValueError(f"rule for {self.type}: a free rule has no item, quantity, unit or unitPrice")
        if not self.free and any(field is None for field in priced):
            raise ValueError(f"rule for {self.type}: needs item, quantity, unit and unitPrice (or free: true)")
        return self


class Commitment(Model):
    """The published discount of a reservation against on-demand, per term and payment option."""

    term_years: Literal[1, 3]
    payment: Literal["noUpfront", "partialUpfront", "allUpfront"]
    percent: Annotated[float, Field(gt=0, lt=100)]
    source: str
    checked: str | None = None
    note: str


class PriceBook(Model):
    cloud: Cloud
    currency: Literal["USD"]
    prices_as_of: date
    """When the prices in this file (and the catalog's for this cloud) were last read."""
    region: str
    dr_region: str
    hours_per_month: PositiveInt
    rates: dict[str, Rate]
    tables: dict[str, dict[Any, Any]] = Field(default_factory=dict)
    commitments: list[Commitment]
    rules: list[Rule]
    free: list[str]
    """Resource types that cost nothing by themselves (IAM, routes, security groups...): listed so
    that a type no rule prices and no one declared free stands out (``unpriced`` in the estimate)."""

    def commitment(self, term_years: int, payment: str) -> Commitment | None:
        return next((c for c in self.commitments if (c.term_years, c.payment) == (term_years, payment)), None)


@cache
def price_book(cloud: Cloud) -> PriceBook:
    text = resources.files("bettafish").joinpath(f"data/prices/{cloud}.yaml").read_text()
    return TypeAdapter(PriceBook).validate_python(yaml.safe_load(text))
