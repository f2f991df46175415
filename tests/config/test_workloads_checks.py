"""Services that fit their pools, pinned images and access lists, checked before anything is registered."""

from __future__ import annotations

from typing import Any

import pytest

from bettafish.config.capacity import Resources, allocatable, nodes_needed, requests
from bettafish.config.catalog import resolve
from tests.config.test_loader import problems, set_path
from tests.mocks import CLOUDS, edited, load, stack_values


def test_a_node_offers_less_than_its_machine() -> None:
    node = resolve("compute", "aws", load(stack_values()).kubernetes.node_pools["general"].size)
    assert node.type == "t3.large"
    # 2 vCPU: 6% + 1% reserved, 250m for DaemonSets; 8 GiB: 25% of 4 + 20% of 4, eviction, DaemonSets.
    assert allocatable(node) == Resources(1680, 5736)


def test_a_replica_asks_for_its_size_capped_at_what_a_node_offers() -> None:
    config = load(stack_values())
    node = resolve("compute", "aws", config.kubernetes.node_pools["compute"].size)
    assert requests(config.services.get("queryEngine").size, node) == Resources(2000, 4096)
    assert requests(config.services.get("insightEngine").size, node) == allocatable(node)


def test_packing_fills_the_room_small_replicas_leave() -> None:
    node = resolve("compute", "aws", load(stack_values()).kubernetes.node_pools["compute"].size)
    media, query = Resources(4000, 8192), Resources(2000, 4096)
    # One media replica per node (two would need 8000m of 7660m); a query replica fits beside each.
    assert nodes_needed([media] * 4 + [query] * 4, node) == 4


@pytest.mark.parametrize("cloud", CLOUDS)
def test_the_stacks_pools_hold_their_services_at_max_replicas(cloud: str) -> None:
    load(stack_values("prod", cloud))


def test_a_pool_too_small_for_its_services_is_named_with_the_shortfall() -> None:
    values = edited(stack_values(), "bettafish:kubernetes", set_path(["nodePools", "compute", "maxCount"], 5))
    assert (
        "bettafish:kubernetes.nodePools.compute.maxCount: pool 'compute' needs 10 aws c5.2xlarge nodes for"
        " insightEngine x6, mediaEngine x4, queryEngine x4 at maxReplicas (requests capped at what a node"
        " offers), but maxCount is 5: short by 5"
    ) in problems(values)


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (["apiGateway", "image", "tag"], "latest", "tag 'latest' moves"),
        (["apiGateway", "image"], {"repository": "bettafish/api-gateway"}, "give exactly one of tag and digest"),
        (["apiGateway", "image", "digest"], "sha256:" + "a" * 64, "give exactly one of tag and digest"),
        (["apiGateway", "calls"], ["apiGateway"], "a service does not call itself"),
        (["queryEngine", "access", "buckets"], {"archive": "read"}, "Input should be 'mediaContent'"),
    ],
)
def test_services_are_validated(path: list[Any], value: Any, expected: str) -> None:
    found = problems(edited(stack_values(), "bettafish:services", set_path(path, value)))
    assert any(expected in p for p in found), found


def test_internal_records_belong_to_the_internal_zone() -> None:
    def rename(dns: Any) -> Any:
        dns["dns"]["records"][3]["name"] = "database"
        return dns

    assert "bettafish:edge.dns.records[3].name: records of the database and the cache are named" in " ".join(
        problems(edited(stack_values(), "bettafish:edge", rename))
    )


DATA_ACCESS_FIREWALLS = {"aws": "security groups", "gcp": "VPC firewall rules", "azure": "network security groups"}


@pytest.mark.parametrize("stack", ["prod", "staging"])
@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_service_reaches_the_cache_only_through_a_flow_that_opens_it(cloud: str, stack: str) -> None:
    def no_cache_flow(network: dict[str, Any]) -> dict[str, Any]:
        network["flows"] = [f for f in network["flows"] if f["to"] != "cache"]
        return network

    def no_cache_flow_override(overrides: dict[str, Any]) -> dict[str, Any]:
        for override in overrides.values():  # Azure's moves the flow to its cache's port
            network = override.get("network", {})
            network["flows"] = [f for f in network.get("flows", []) if f["name"] != "app-to-cache"]
        return overrides

    values = edited(stack_values(stack, cloud), "bettafish:network", no_cache_flow)
    values = edited(values, "bettafish:cloudOverrides", no_cache_flow_override)
    users = ["apiGateway", "insightEngine", "mediaEngine", "queryEngine"]
    assert problems(values) == [
        f"bettafish:services.{name}.access.cache: {cloud}: network.flows opens nothing from application to cache,"
        f" so neither the {DATA_ACCESS_FIREWALLS[cloud]} nor the network policy let the pods reach it"
        for name in users
    ]


@pytest.mark.parametrize("cloud", CLOUDS)
def test_a_service_reaches_the_database_only_through_a_flow_that_opens_it(cloud: str) -> None:
    def no_database_flow(network: dict[str, Any]) -> dict[str, Any]:
        network["flows"] = [f for f in network["flows"] if f["to"] != "database"]
        return network

    users = [n for n, s in load(stack_values("prod", cloud)).services.items() if s.access.database]
    found = problems(edited(stack_values("prod", cloud), "bettafish:network", no_database_flow))
    assert [p.split(":")[1] for p in found] == [f"services.{name}.access.database" for name in users]
    assert all(f" {cloud}: network.flows opens nothing from application to database" in p for p in found)


@pytest.mark.parametrize(
    ("cloud", "zone"),
    [
        ("aws", "a Route 53 public hosted zone"),
        ("gcp", "a public Cloud DNS zone"),
        ("azure", "a public Azure DNS zone"),
    ],
)
def test_a_private_zone_is_rejected_on_every_cloud(cloud: str, zone: str) -> None:
    values = edited(stack_values("prod", cloud), "bettafish:edge", set_path(["dns", "private"], True))
    (problem,) = problems(values)
    assert problem.startswith(f"bettafish:edge.dns.private: {cloud}: the zone must be public ({zone}): ")
    assert problem.endswith("and DNSSEC signs public zones only")
