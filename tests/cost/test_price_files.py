"""The price files themselves: they load, every rate a rule calls exists and names its source,
commitment discounts exist for what the stacks plan to buy, and every resource the plans create is
priced by a rule or declared free (so a resource type added later is priced by adding data)."""

from __future__ import annotations

import ast
import inspect

import pytest

from bettafish.config import CLOUDS
from bettafish.config.catalog import catalog_sources, load_catalog
from bettafish.cost.estimate import estimate
from bettafish.cost.prices import price_book
from bettafish.cost.rules import needs_price
from tests.mocks import STACKS, load, run_stack, stack_values
from tests.policy.test_tokens_and_cli import PACKAGES, _sdk_class

CUSTOM_RESOURCES = ("kubernetes:gateway.networking.k8s.io/v1:Gateway",)
"""Kubernetes objects of a CRD (Gateway API): the plan names them by apiVersion and kind; no SDK class."""


def _called_rates(source: str) -> set[str]:
    tree = ast.parse(source, mode="eval")
    return {
        str(node.args[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Name)
        and node.func.id == "rate"
        and isinstance(node.args[0], ast.Constant)
    }


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_rate_is_sourced_and_every_literal_rate_a_rule_calls_exists(cloud: str) -> None:
    book = price_book(cloud)
    assert book.cloud == cloud
    assert all(rate.source.startswith("https://") for rate in book.rates.values())
    expressions = [
        text
        for rule in book.rules
        for text in (rule.when, rule.quantity, rule.unit_price, rule.ceiling)
        if text is not None
    ]
    called = set().union(*(_called_rates(text) for text in expressions))
    assert called, "the rules call rate()"
    assert called <= set(book.rates), f"rules call rates the file lacks: {sorted(called - set(book.rates))}"


@pytest.mark.parametrize("cloud", CLOUDS)
def test_the_catalog_names_where_its_prices_are_published(cloud: str) -> None:
    sources = catalog_sources()
    for kind in load_catalog():
        assert sources[kind][cloud].startswith("https://")  # type: ignore[index]


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("stack", STACKS)
def test_the_stacks_commitments_have_a_discount(stack: str, cloud: str) -> None:
    config = load(stack_values(stack, cloud), stack)
    book = price_book(config.cloud)
    for commitment in config.budget.commitments:
        assert book.commitment(commitment.term_years, commitment.payment) is not None


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("stack", STACKS)
def test_every_resource_of_the_plan_is_priced_or_declared_free(stack: str, cloud: str) -> None:
    recording = run_stack(stack, cloud)
    cost = estimate(recording, load(stack_values(stack, cloud), stack))
    assert cost.unpriced == [], (
        f"add a rule (or a free entry) for these types to bettafish/data/prices/{cloud}.yaml: {cost.unpriced}"
    )
    billed = {r.type for r in recording.resources if r.custom and needs_price(r.type)}
    declared = set(price_book(cloud).free) | {rule.type for rule in price_book(cloud).rules}
    assert billed <= declared


def test_a_type_no_rule_prices_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    book = price_book("aws")
    trimmed = book.model_copy(update={"free": [t for t in book.free if t != "aws:ec2/subnet:Subnet"]})
    monkeypatch.setattr("bettafish.cost.estimate.price_book", lambda cloud: trimmed)
    cost = estimate(run_stack("staging", "aws"), load(stack_values("staging", "aws"), "staging"))
    assert cost.unpriced == ["aws:ec2/subnet:Subnet"]


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_type_a_price_file_names_is_registered_by_the_installed_sdk(cloud: str) -> None:
    # A rule keyed on a token the SDK does not emit (an old module, a typo) would never match.
    book = price_book(cloud)
    for token in sorted({rule.type for rule in book.rules} | set(book.free)):
        if token in CUSTOM_RESOURCES:
            continue
        assert token.split(":")[0] in PACKAGES, token
        assert f"'{token}'" in inspect.getsource(_sdk_class(token)), token
