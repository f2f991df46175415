"""Small hand-made recordings: resources the plans do not create yet (the edge, operations), or
variants of those they do, priced through the real price files."""

from __future__ import annotations

from typing import Any

from bettafish.config import StackConfig
from bettafish.cost.estimate import estimate
from bettafish.cost.lines import Estimate, LineItem
from bettafish.plan.engine import RecordedResource, Recording
from tests.mocks import load, stack_values

Child = tuple[str, str, dict[str, Any]]
"""A custom resource of a hand-made recording: (type, name, inputs)."""


def recording(component_type: str, component_name: str, *children: Child) -> Recording:
    """One component (``bettafish:edge:Cdn``...) and its custom children ``(type, name, inputs)``."""
    component_urn = f"urn:pulumi:prod::bettafish::{component_type}::{component_name}"
    resources = [
        RecordedResource(component_urn, "", component_type, component_name, "", False, [], False, {}),
        *(
            RecordedResource(
                f"{component_urn}${t}::{name}", f"id-{name}", t, name, component_urn, True, [], False, inputs
            )
            for t, name, inputs in children
        ),
    ]
    return Recording(project="bettafish", stack="prod", resources=resources)


def priced(cloud: str, rec: Recording, config: StackConfig | None = None) -> Estimate:
    """``rec`` priced with prod's config on ``cloud`` (no commitments: they need the node pools)."""
    config = config or load(stack_values("prod", cloud))
    config = config.model_copy(update={"budget": config.budget.model_copy(update={"commitments": []})})
    return estimate(rec, config)


def line(cost: Estimate, component: str, item: str) -> LineItem:
    """The one line of ``item`` in ``component``."""
    (found,) = [each for each in cost.items if (each.component, each.item) == (component, item)]
    return found
