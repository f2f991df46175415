"""Per-cloud overrides: merged for the chosen cloud only, by key and by flow name, and checked."""

from __future__ import annotations

import json

import pytest

from bettafish.config.overrides import OVERRIDES_KEY, apply_overrides
from tests.config.test_loader import problems
from tests.mocks import load, stack_values


def with_overrides(cloud: str, overrides: object) -> dict[str, str]:
    """Prod with ``overrides`` as its only overrides, the stack file's own ones for ``cloud`` already
    merged into the sections they change (what that cloud cannot hold stays honest)."""
    values = stack_values("prod", cloud)
    own = json.loads(values["bettafish:cloudOverrides"]).get(cloud, {})
    for section, patch in own.items():
        merged, _ = apply_overrides(
            {section: json.loads(values[f"bettafish:{section}"]), OVERRIDES_KEY: {cloud: {section: patch}}}, cloud
        )
        values[f"bettafish:{section}"] = json.dumps(merged[section])
    return {**values, "bettafish:cloudOverrides": json.dumps(overrides)}


def test_the_chosen_clouds_overrides_win() -> None:
    config = load(stack_values("prod", "azure"))
    assert (config.cache.port, config.cache.snapshots.retention_days) == (10000, 0)
    assert (config.database.storage.iops, config.database.storage.throughput_mbps) == (6400, 145)
    assert config.database.storage.size_gb == 1000, "mappings merge by key: the rest of storage stays"
    assert (config.database.backup.retention_days, config.database.snapshots.retention_days) == (30, 90)


@pytest.mark.parametrize("cloud", ["aws", "gcp"])
def test_other_clouds_keep_the_stack_numbers(cloud: str) -> None:
    config = load(stack_values("prod", cloud))
    assert (config.cache.port, config.cache.snapshots.retention_days) == (6379, 7)
    assert config.database.snapshots.retention_days == 90


def test_flows_merge_by_name() -> None:
    flows = {f.name: f for f in load(stack_values("prod", "azure")).network.flows}
    assert flows["app-to-cache"].ports == [10000]
    assert flows["app-to-cache"].source == "application"
    assert flows["app-to-db"].ports == [5432]
    assert len(flows) == 5


def test_an_override_of_a_missing_flow_is_an_error() -> None:
    values = with_overrides("aws", {"aws": {"network": {"flows": [{"name": "nope", "ports": [1]}]}}})
    assert problems(values) == ["bettafish:cloudOverrides.aws: network.flows: no item named 'nope' to override"]


def test_overrides_are_validated_like_the_rest() -> None:
    values = with_overrides("aws", {"aws": {"cache": {"shards": 0}}})
    assert problems(values) == ["bettafish:cache.shards: Input should be greater than or equal to 1"]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"oracle": {}}, "bettafish:cloudOverrides: must map aws, gcp, azure to settings, got ['oracle']"),
        ({"aws": [1]}, "bettafish:cloudOverrides.aws: must be a mapping of settings"),
    ],
)
def test_malformed_overrides_name_the_key(overrides: object, expected: str) -> None:
    assert problems(with_overrides("aws", overrides)) == [expected]
