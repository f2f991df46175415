"""GCP Vpc: the exact network, subnetworks, the database tier split into private services access
(Cloud SQL) and the cache subnetwork (Memorystore PSC endpoints), Cloud NAT, firewall rules and
flow-log retention, as recorded from the real program run offline on GCP."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from bettafish.plan import RecordedResource, Recording
from tests.mocks import load, physical_name, run_stack, stack_values

STACKS = ("prod", "staging")
PREFIX = {"prod": "bettafish-prod-net", "staging": "bettafish-staging-net"}
NET = {"prod": "10.0", "staging": "10.1"}
"""The first two octets of each stack's address plan."""
REGION = "us-east1"
GOOGLE_FRONT_ENDS = ["130.211.0.0/22", "35.191.0.0/16"]
FLOW_LOG_FILTER = 'resource.type="gce_subnetwork" AND log_id("compute.googleapis.com/vpc_flows")'

NETWORK = "gcp:compute/network:Network"
SUBNETWORK = "gcp:compute/subnetwork:Subnetwork"
GLOBAL_ADDRESS = "gcp:compute/globalAddress:GlobalAddress"
CONNECTION = "gcp:servicenetworking/connection:Connection"
ROUTER = "gcp:compute/router:Router"
ROUTER_NAT = "gcp:compute/routerNat:RouterNat"
FIREWALL = "gcp:compute/firewall:Firewall"
BUCKET = "gcp:logging/projectBucketConfig:ProjectBucketConfig"
SINK = "gcp:logging/projectSink:ProjectSink"
EXCLUSION = "gcp:logging/projectExclusion:ProjectExclusion"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "gcp")


def by_name(stack: str, suffix: str) -> RecordedResource:
    return plan(stack).named(f"{PREFIX[stack]}-{suffix}")


def flow_logs(stack: str, type_token: str) -> RecordedResource:
    """The Vpc's flow-log bucket, sink or exclusion (the cluster has its own)."""
    (found,) = [r for r in plan(stack).of_type(type_token) if r.name == f"{PREFIX[stack]}-flow-logs"]
    return found


def app_tag(stack: str) -> str:
    return f"{PREFIX[stack]}-app"


def database_range(stack: str) -> str:
    """The database tier's covering range."""
    return f"{NET[stack]}.20.0/22"


HALF = {"app-to-db": "20.0/23", "app-to-cache": "22.0/23"}
"""The half of the database tier each managed service is reached in: Cloud SQL's private services
access range (lower), Memorystore's PSC endpoints in the cache subnetwork (upper)."""


def firewalls(stack: str) -> dict[str, dict[str, Any]]:
    """Firewall inputs by role (the logical name without the network prefix)."""
    return {f.name.removeprefix(f"{PREFIX[stack]}-"): f.inputs for f in plan(stack).of_type(FIREWALL)}


@pytest.mark.parametrize("stack", STACKS)
def test_vpc_has_exactly_the_expected_children(stack: str) -> None:
    (vpc,) = plan(stack).of_type("bettafish:network:Vpc")
    children = sorted((r.type, r.name.removeprefix(f"{PREFIX[stack]}-")) for r in plan(stack).children_of(vpc.urn))
    assert children == sorted(
        [
            (NETWORK, "vpc"),
            (SUBNETWORK, "public"),
            (SUBNETWORK, "private"),
            (SUBNETWORK, "cache"),
            (GLOBAL_ADDRESS, "database-range"),
            (CONNECTION, "psa"),
            (ROUTER, "router"),
            (ROUTER_NAT, "nat"),
            (FIREWALL, "lb-to-app"),
            (FIREWALL, "ssh-from-network"),
            (FIREWALL, "app-to-db"),
            (FIREWALL, "app-to-cache"),
            (FIREWALL, "deny-services-egress"),
            (FIREWALL, "deny-all-ingress"),
            (BUCKET, "flow-logs"),
            (SINK, "flow-logs"),
            (EXCLUSION, "flow-logs"),
        ]
    )


@pytest.mark.parametrize("stack", STACKS)
def test_network_is_custom_mode_with_regional_routing(stack: str) -> None:
    network = plan(stack).one(NETWORK).inputs
    assert network["autoCreateSubnetworks"] is False
    assert network["routingMode"] == "REGIONAL"
    assert network["project"] == f"bettafish-{stack}"
    assert plan(stack).outputs["networkId"] == plan(stack).one(NETWORK).id


@pytest.mark.parametrize("stack", STACKS)
def test_every_child_attaches_to_this_network(stack: str) -> None:
    network_id = plan(stack).one(NETWORK).id
    (vpc,) = plan(stack).of_type("bettafish:network:Vpc")
    attached = [r for r in plan(stack).children_of(vpc.urn) if "network" in r.inputs]
    assert {r.type for r in attached} == {SUBNETWORK, GLOBAL_ADDRESS, CONNECTION, ROUTER, FIREWALL}
    assert all(r.inputs["network"] == network_id for r in attached)


@pytest.mark.parametrize(
    ("stack", "public", "private", "cache", "interval"),
    [
        ("prod", "10.0.0.0/22", "10.0.8.0/21", "10.0.22.0/23", "INTERVAL_1_MIN"),
        ("staging", "10.1.0.0/22", "10.1.8.0/21", "10.1.22.0/23", "INTERVAL_1_MIN"),
    ],
)
def test_exactly_three_flow_logged_subnetworks_with_private_google_access(
    stack: str, public: str, private: str, cache: str, interval: str
) -> None:
    subnetworks = plan(stack).of_type(SUBNETWORK)
    assert {s.name: s.inputs["ipCidrRange"] for s in subnetworks} == {
        f"{PREFIX[stack]}-public": public,
        f"{PREFIX[stack]}-private": private,
        f"{PREFIX[stack]}-cache": cache,
    }
    for subnetwork in subnetworks:
        assert subnetwork.inputs["region"] == REGION
        assert subnetwork.inputs["privateIpGoogleAccess"] is True
        assert subnetwork.inputs["logConfig"] == {
            "aggregationInterval": interval,
            "flowSampling": 1,
            "metadata": "INCLUDE_ALL_METADATA",
        }


@pytest.mark.parametrize("stack", STACKS)
def test_subnet_outputs_are_the_tier_subnetworks(stack: str) -> None:
    outputs = plan(stack).outputs
    assert outputs["publicSubnetIds"] == [by_name(stack, "public").id]
    assert outputs["privateSubnetIds"] == [by_name(stack, "private").id]


@pytest.mark.parametrize("stack", STACKS)
def test_lower_half_of_the_database_tier_is_the_private_services_access_range(stack: str) -> None:
    address = plan(stack).one(GLOBAL_ADDRESS)
    assert address.inputs["purpose"] == "VPC_PEERING"
    assert address.inputs["addressType"] == "INTERNAL"
    # Cloud SQL needs a /24 or more of it per region.
    assert (address.inputs["address"], address.inputs["prefixLength"]) == (f"{NET[stack]}.20.0", 23)
    assert address.inputs["network"] == plan(stack).one(NETWORK).id


@pytest.mark.parametrize("stack", STACKS)
def test_database_subnet_ids_are_the_access_range_and_the_cache_subnetwork(stack: str) -> None:
    ids = [plan(stack).one(GLOBAL_ADDRESS).id, by_name(stack, "cache").id]
    assert plan(stack).outputs["databaseSubnetIds"] == ids


@pytest.mark.parametrize("stack", STACKS)
def test_service_networking_peers_the_database_range(stack: str) -> None:
    connection = plan(stack).one(CONNECTION).inputs
    assert connection["reservedPeeringRanges"] == [physical_name(plan(stack).one(GLOBAL_ADDRESS))]
    assert connection["service"] == "servicenetworking.googleapis.com"
    assert connection["deletionPolicy"] == "ABANDON"


@pytest.mark.parametrize("stack", STACKS)
def test_database_range_carries_the_standard_labels(stack: str) -> None:
    assert plan(stack).one(GLOBAL_ADDRESS).inputs["labels"] == {
        "project": "bettafish",
        "stack": stack,
        "component": "network",
        "managed-by": "pulumi",
    }


@pytest.mark.parametrize(("stack", "nat_gateways"), [("prod", "perZone"), ("staging", "single")])
def test_one_cloud_nat_whatever_the_nat_gateway_setting(stack: str, nat_gateways: str) -> None:
    assert load(stack_values(stack, "gcp"), stack).network.nat_gateways == nat_gateways
    router = plan(stack).one(ROUTER)
    nat = plan(stack).one(ROUTER_NAT).inputs
    assert router.inputs["region"] == nat["region"] == REGION
    assert nat["router"] == physical_name(router)


@pytest.mark.parametrize("stack", STACKS)
def test_nat_serves_only_the_private_subnetwork_and_logs(stack: str) -> None:
    nat = plan(stack).one(ROUTER_NAT).inputs
    assert nat["sourceSubnetworkIpRangesToNat"] == "LIST_OF_SUBNETWORKS"
    assert nat["subnetworks"] == [{"name": by_name(stack, "private").id, "sourceIpRangesToNats": ["ALL_IP_RANGES"]}]
    assert nat["logConfig"]["enable"] is True


@pytest.mark.parametrize("stack", STACKS)
def test_one_firewall_per_vpc_flow_and_two_denies_but_none_for_internet_to_lb(stack: str) -> None:
    # internet-to-lb is opened by the global load balancer's forwarding rule, outside the VPC.
    assert set(firewalls(stack)) == {
        "lb-to-app",
        "ssh-from-network",
        "app-to-db",
        "app-to-cache",
        "deny-services-egress",
        "deny-all-ingress",
    }


@pytest.mark.parametrize("stack", STACKS)
def test_only_google_front_ends_reach_the_app_port(stack: str) -> None:
    rule = firewalls(stack)["lb-to-app"]
    assert rule["direction"] == "INGRESS"
    assert rule["allows"] == [{"protocol": "tcp", "ports": ["8000"]}]
    assert sorted(rule["sourceRanges"]) == sorted(GOOGLE_FRONT_ENDS)
    assert rule["targetTags"] == [app_tag(stack)]
    assert "sourceTags" not in rule


@pytest.mark.parametrize("stack", STACKS)
def test_ssh_reaches_the_app_only_from_inside_the_network(stack: str) -> None:
    rule = firewalls(stack)["ssh-from-network"]
    assert rule["direction"] == "INGRESS"
    assert rule["allows"] == [{"protocol": "tcp", "ports": ["22"]}]
    assert rule["sourceRanges"] == [f"{NET[stack]}.0.0/16"]
    assert rule["targetTags"] == [app_tag(stack)]


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize(("role", "port"), [("app-to-db", "5432"), ("app-to-cache", "6379")])
def test_app_reaches_each_managed_service_in_its_half_by_egress_rules(stack: str, role: str, port: str) -> None:
    rule = firewalls(stack)[role]
    assert rule["direction"] == "EGRESS"
    assert rule["allows"] == [{"protocol": "tcp", "ports": [port]}]
    assert rule["targetTags"] == [app_tag(stack)]
    assert rule["destinationRanges"] == [f"{NET[stack]}.{HALF[role]}"]


@pytest.mark.parametrize("stack", STACKS)
def test_everything_else_is_denied_egress_to_the_database_range(stack: str) -> None:
    rules = firewalls(stack)
    deny = rules["deny-services-egress"]
    assert deny["direction"] == "EGRESS"
    assert deny["denies"] == [{"protocol": "all"}]
    assert deny["destinationRanges"] == [database_range(stack)]
    assert "targetTags" not in deny
    assert "allows" not in deny
    # Lower precedence is a higher number: the two allows must be evaluated first.
    assert all(rules[role]["priority"] < deny["priority"] for role in ("app-to-db", "app-to-cache"))


@pytest.mark.parametrize("stack", STACKS)
def test_explicit_logged_deny_all_ingress_just_above_the_implied_rule(stack: str) -> None:
    deny = firewalls(stack)["deny-all-ingress"]
    assert deny["direction"] == "INGRESS"
    assert deny["denies"] == [{"protocol": "all"}]
    assert deny["sourceRanges"] == ["0.0.0.0/0"]
    assert deny["priority"] == 65534
    assert "targetTags" not in deny
    assert "allows" not in deny


@pytest.mark.parametrize("stack", STACKS)
def test_no_allow_rule_is_open_to_the_internet(stack: str) -> None:
    allows = [rule for rule in firewalls(stack).values() if "allows" in rule]
    assert len(allows) == 4
    assert all("0.0.0.0/0" not in rule.get("sourceRanges", []) for rule in allows)
    assert all("denies" not in rule for rule in allows)


@pytest.mark.parametrize("stack", STACKS)
def test_every_firewall_rule_logs_with_metadata(stack: str) -> None:
    assert all(rule["logConfig"] == {"metadata": "INCLUDE_ALL_METADATA"} for rule in firewalls(stack).values())


@pytest.mark.parametrize(("stack", "days"), [("prod", 90), ("staging", 14)])
def test_flow_logs_are_kept_in_a_bucket_for_the_configured_days(stack: str, days: int) -> None:
    bucket = flow_logs(stack, BUCKET)
    assert bucket.inputs["retentionDays"] == days
    assert bucket.inputs["location"] == REGION
    assert bucket.inputs["project"] == f"bettafish-{stack}"


@pytest.mark.parametrize("stack", STACKS)
def test_flow_log_sink_routes_vpc_flows_into_that_bucket(stack: str) -> None:
    sink = flow_logs(stack, SINK).inputs
    assert sink["destination"] == "logging.googleapis.com/" + flow_logs(stack, BUCKET).id
    assert sink["filter"] == this_networks_flows(stack)
    assert sink["uniqueWriterIdentity"] is True
    assert sink["project"] == f"bettafish-{stack}"


def this_networks_flows(stack: str) -> str:
    names = [physical_name(by_name(stack, role)) for role in ("public", "private", "cache")]
    return f'{FLOW_LOG_FILTER} AND resource.labels.subnetwork_name=("{names[0]}" OR "{names[1]}" OR "{names[2]}")'


@pytest.mark.parametrize("stack", STACKS)
def test_flow_logs_are_kept_out_of_the_default_bucket(stack: str) -> None:
    exclusion = flow_logs(stack, EXCLUSION).inputs
    assert exclusion["filter"] == this_networks_flows(stack)
    assert exclusion["project"] == f"bettafish-{stack}"
    assert not exclusion.get("disabled")
