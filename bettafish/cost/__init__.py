"""The monthly cost estimate: the offline plan's resources priced from public list prices
(``data/prices/<cloud>.yaml`` and the machine catalog), usage from the spec's throughput targets."""

from bettafish.cost.estimate import estimate
from bettafish.cost.lines import Budget, Estimate, LineItem

__all__ = ["Budget", "Estimate", "LineItem", "estimate"]
