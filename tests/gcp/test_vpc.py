"""GCP Vpc: the exact network, subnetworks, the database tier split into private services access
(Cloud SQL) and the cache subnetwork (Memorystore PSC endpoints), Cloud NAT and the APIs, as
recorded from the real program run offline on GCP (firewall rules and flow logs: their own modules)."""

from __future__ import annotations

import pytest

from tests.gcp.network import (
    BUCKET,
    CONNECTION,
    EXCLUSION,
    FIREWALL,
    GLOBAL_ADDRESS,
    NET,
    NETWORK,
    PREFIX,
    RANDOM_ID,
    REGION,
    ROUTER,
    ROUTER_NAT,
    SERVICE,
    SINK,
    STACKS,
    SUBNETWORK,
    by_name,
    plan,
)
from tests.mocks import load, physical_name, stack_values


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
            (RANDOM_ID, "flow-logs-id"),
            (SERVICE, "compute-api"),
            (SERVICE, "servicenetworking-api"),
        ]
    )


@pytest.mark.parametrize("stack", STACKS)
def test_a_fresh_project_gets_the_apis_the_network_calls(stack: str) -> None:
    apis = {r.inputs["service"]: r for r in plan(stack).of_type(SERVICE) if r.name.startswith(PREFIX[stack])}
    assert set(apis) == {"compute.googleapis.com", "servicenetworking.googleapis.com"}
    assert all(api.inputs["disableOnDestroy"] is False for api in apis.values())
    assert apis["compute.googleapis.com"].urn in plan(stack).one(NETWORK).dependencies
    assert apis["servicenetworking.googleapis.com"].urn in plan(stack).one(CONNECTION).dependencies


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
    address = by_name(stack, "database-range")
    assert address.inputs["purpose"] == "VPC_PEERING"
    assert address.inputs["addressType"] == "INTERNAL"
    # Cloud SQL needs a /24 or more of it per region.
    assert (address.inputs["address"], address.inputs["prefixLength"]) == (f"{NET[stack]}.20.0", 23)
    assert address.inputs["network"] == plan(stack).one(NETWORK).id


@pytest.mark.parametrize("stack", STACKS)
def test_database_subnet_ids_are_the_access_range_and_the_cache_subnetwork(stack: str) -> None:
    ids = [by_name(stack, "database-range").id, by_name(stack, "cache").id]
    assert plan(stack).outputs["databaseSubnetIds"] == ids


@pytest.mark.parametrize("stack", STACKS)
def test_service_networking_peers_the_database_range(stack: str) -> None:
    connection = plan(stack).one(CONNECTION).inputs
    assert connection["reservedPeeringRanges"] == [physical_name(by_name(stack, "database-range"))]
    assert connection["service"] == "servicenetworking.googleapis.com"
    assert connection["updateOnCreationFail"] is True


@pytest.mark.parametrize(
    ("stack", "policy", "protected"), [("prod", "ABANDON", True), ("staging", "REMOVE_PEERING", False)]
)
def test_staging_destroy_removes_the_peering_and_prod_never_does(stack: str, policy: str, protected: bool) -> None:
    """Cloud SQL holds the connection for days after its instances are gone: deleting it fails, and an
    abandoned peering blocks the network's deletion. Staging removes the peering; prod keeps it."""
    connection = plan(stack).one(CONNECTION)
    assert connection.inputs["deletionPolicy"] == policy
    assert connection.protect is protected


@pytest.mark.parametrize("stack", STACKS)
def test_rule_37_the_application_subnetwork_reaches_google_apis_privately(stack: str) -> None:
    """Private Google Access on the subnetwork where the application runs, through the default
    internet gateway route the network keeps (Private Google Access needs it)."""
    private = by_name(stack, "private").inputs
    assert private["privateIpGoogleAccess"] is True
    assert "externalIpv6Prefix" not in private
    assert plan(stack).one(NETWORK).inputs["deleteDefaultRoutesOnCreate"] is False


@pytest.mark.parametrize("stack", STACKS)
def test_database_range_carries_the_standard_labels(stack: str) -> None:
    assert by_name(stack, "database-range").inputs["labels"] == {
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
