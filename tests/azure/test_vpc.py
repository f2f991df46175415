"""Azure Vpc: the exact virtual network, subnets, zonal NAT gateways, NSG rules per tier and the VNet
flow log with its locked-down storage account, as recorded from the real program run offline on Azure."""

from __future__ import annotations

from functools import cache
from itertools import pairwise
from typing import Any

import pulumi
import pytest

from bettafish.plan import FakeCloud, RecordedResource, Recording
from bettafish.plan.fake_cloud import SUBSCRIPTION_ID
from tests.mocks import physical_name, run_stack

STACKS = ("prod", "staging")
PREFIX = {"prod": "bettafish-prod-net", "staging": "bettafish-staging-net"}
NET = {"prod": "10.0", "staging": "10.1"}
"""The first two octets of each stack's address plan."""
LOCATION = "eastus"
ZONES = ["1", "2", "3"]
NAT_ZONES = {"prod": ["1", "2", "3"], "staging": ["1"]}
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
ANYWHERE = {"Internet", "*", "0.0.0.0/0", "Any"}
SUBNETS_IN_ORDER = ["public", "private-1", "private-2", "private-3", "database", "cache"]
NSG_OF_SUBNET = {"public": "public", "private": "private", "database": "database", "cache": "database"}

VPC = "bettafish:network:Vpc"
RESOURCE_GROUP = "azure-native:resources:ResourceGroup"
VNET = "azure-native:network:VirtualNetwork"
SUBNET = "azure-native:network:Subnet"
PUBLIC_IP = "azure-native:network:PublicIPAddress"
NAT_GATEWAY = "azure-native:network:NatGateway"
NSG = "azure-native:network:NetworkSecurityGroup"
RULE = "azure-native:network:SecurityRule"
STORAGE_ACCOUNT = "azure-native:storage:StorageAccount"
IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
FLOW_LOG = "azure-native:network:FlowLog"
ZONE = "azure-native:privatedns:PrivateZone"
ZONE_LINK = "azure-native:privatedns:VirtualNetworkLink"
ENDPOINT = "azure-native:network:PrivateEndpoint"
ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"
LOCK = "azure-native:authorization:ManagementLockByScope"

RULES_BY_TIER = {
    "public": ["allow-internet-to-lb", "public-gateway-manager", "public-azure-lb", "public-deny-all"],
    "private": [
        "allow-lb-to-app",
        "allow-ssh-from-network",
        "private-node-to-node",
        "private-azure-lb",
        "private-deny-all",
    ],
    "database": [
        "allow-app-to-db",
        "allow-app-to-cache",
        "database-replication",
        "database-redis-shards",
        "database-private-endpoints",
        "database-deny-all",
    ],
}
"""Every inbound rule of each tier's NSG, in the order it is written (and in priority order)."""
FLOWS_IN_ORDER = ["internet-to-lb", "lb-to-app", "ssh-from-network", "app-to-db", "app-to-cache"]
"""The configured flows, in the order of the stack file."""
WIRING = {"resourceGroupName", "networkSecurityGroupName", "description"}
"""Rule inputs that place a rule rather than say what it lets through."""


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "azure")


def one(stack: str, type_token: str) -> RecordedResource:
    """The Vpc's only child of ``type_token`` (the data tier brings its own groups, accounts, identities)."""
    vpc = plan(stack).one(VPC)
    (resource,) = [r for r in plan(stack).children_of(vpc.urn) if r.type == type_token]
    return resource


def own(stack: str, type_token: str) -> list[RecordedResource]:
    """The Vpc's children of ``type_token`` (the cluster adds its API server subnet and NSG rules)."""
    vpc = plan(stack).one(VPC)
    return [r for r in plan(stack).children_of(vpc.urn) if r.type == type_token]


def by_name(stack: str, suffix: str) -> RecordedResource:
    return plan(stack).named(f"{PREFIX[stack]}-{suffix}")


def typed(stack: str, type_token: str, suffix: str) -> RecordedResource:
    """The Vpc's child of ``type_token`` named ``suffix`` (an identity and its grant share a name)."""
    (resource,) = [r for r in plan(stack).of_type(type_token) if r.name == f"{PREFIX[stack]}-{suffix}"]
    return resource


def network_cidr(stack: str) -> str:
    return f"{NET[stack]}.0.0/16"


def public_range(stack: str) -> str:
    return f"{NET[stack]}.0.0/22"


def private_cidrs(stack: str) -> list[str]:
    return [f"{NET[stack]}.{third}.0/24" for third in (11, 12, 13)]


def postgres_range(stack: str) -> str:
    """The lower half of the database tier, delegated to PostgreSQL flexible servers."""
    return f"{NET[stack]}.20.0/23"


def cache_range(stack: str) -> str:
    """The upper half of the database tier, for the cache's private endpoints."""
    return f"{NET[stack]}.22.0/23"


def rules(stack: str) -> dict[str, RecordedResource]:
    """Security rules by role (the logical name without the network prefix)."""
    return {r.name.removeprefix(f"{PREFIX[stack]}-"): r for r in own(stack, RULE)}


def rule_effect(rule: RecordedResource) -> dict[str, Any]:
    """What a rule lets through or blocks: its inputs without the placement and the description."""
    return {key: value for key, value in rule.inputs.items() if key not in WIRING}


def ports(rule: dict[str, Any]) -> set[int]:
    """Destination ports a rule names: "80", "65200-65535", "*" (all)."""
    out: set[int] = set()
    for text in rule.get("destinationPortRanges") or [rule["destinationPortRange"]]:
        if text == "*":
            return set(range(65536))
        low, _, high = str(text).partition("-")
        out |= set(range(int(low), int(high or low) + 1))
    return out


def sources(rule: dict[str, Any]) -> set[str]:
    return {rule.get("sourceAddressPrefix"), *rule.get("sourceAddressPrefixes", [])} - {None}


def tags(stack: str) -> dict[str, str]:
    return {"project": "bettafish", "stack": stack, "component": "network", "managed-by": "pulumi"}


@pytest.mark.parametrize("stack", STACKS)
def test_vpc_has_exactly_the_expected_children(stack: str) -> None:
    vpc = plan(stack).one(VPC)
    children = sorted((r.type, r.name.removeprefix(f"{PREFIX[stack]}-")) for r in plan(stack).children_of(vpc.urn))
    nats = [(NAT_GATEWAY, f"nat-{zone}") for zone in NAT_ZONES[stack]]
    ips = [(PUBLIC_IP, f"nat-{zone}-ip") for zone in NAT_ZONES[stack]]
    expected = [
        (RESOURCE_GROUP, "rg"),
        (VNET, "vnet"),
        *[(SUBNET, subnet) for subnet in SUBNETS_IN_ORDER],
        *nats,
        *ips,
        *[(NSG, f"{tier}-nsg") for tier in RULES_BY_TIER],
        *[(RULE, role) for roles in RULES_BY_TIER.values() for role in roles],
        (STORAGE_ACCOUNT, "flowlogs"),
        (IDENTITY, "flowlogs-cmk"),
        (ROLE_ASSIGNMENT, "flowlogs-cmk"),
        (IDENTITY, "flowlogs-writer"),
        (ROLE_ASSIGNMENT, "flowlogs-writer"),
        (FLOW_LOG, "flow-log"),
        *([(LOCK, "flowlogs-lock")] if stack == "prod" else []),
        (ZONE, "vault-dns"),
        (ZONE_LINK, "vault-dns-link"),
        (ENDPOINT, "vault-endpoint"),
        (ZONE_GROUP, "vault-endpoint-dns"),
    ]
    assert children == sorted(expected)
    assert len(children) == {"prod": 43, "staging": 38}[stack]


@pytest.mark.parametrize("stack", STACKS)
def test_no_network_watcher_is_created_and_only_the_flow_log_lands_in_its_group(stack: str) -> None:
    # The regional Network Watcher is Azure's own: creating a second one fails, owning it would
    # delete it (and every other flow log of the region) on destroy.
    resources = plan(stack).resources
    assert not [r for r in resources if r.type == "azure-native:network:NetworkWatcher"]
    in_watcher_group = [r.type for r in resources if r.inputs.get("resourceGroupName") == "NetworkWatcherRG"]
    assert in_watcher_group == [FLOW_LOG]


@pytest.mark.parametrize("stack", STACKS)
def test_vnet_has_the_stack_address_space_in_eastus_and_no_inline_subnets(stack: str) -> None:
    vnet = one(stack, VNET)
    group = one(stack, RESOURCE_GROUP)
    assert vnet.inputs["addressSpace"] == {"addressPrefixes": [network_cidr(stack)]}
    assert vnet.inputs["location"] == group.inputs["location"] == LOCATION
    assert vnet.inputs["resourceGroupName"] == physical_name(group)
    # Inline subnets would fight the Subnet resources on every update of the VNet.
    assert "subnets" not in vnet.inputs
    outputs = plan(stack).outputs
    assert outputs["networkId"] == vnet.id
    assert outputs["networkCidr"] == network_cidr(stack)
    assert outputs["zones"] == ZONES


@pytest.mark.parametrize("stack", STACKS)
def test_vnet_carries_the_standard_tags(stack: str) -> None:
    assert one(stack, VNET).inputs["tags"] == tags(stack)


@pytest.mark.parametrize("stack", STACKS)
def test_exactly_six_subnets_with_the_tier_ranges(stack: str) -> None:
    assert {s.name.removeprefix(f"{PREFIX[stack]}-"): s.inputs["addressPrefix"] for s in own(stack, SUBNET)} == {
        "public": public_range(stack),
        "private-1": private_cidrs(stack)[0],
        "private-2": private_cidrs(stack)[1],
        "private-3": private_cidrs(stack)[2],
        "database": postgres_range(stack),
        "cache": cache_range(stack),
    }


@pytest.mark.parametrize("stack", STACKS)
def test_only_the_postgres_subnet_is_delegated_to_postgres_flexible_servers(stack: str) -> None:
    delegations = {s.name.removeprefix(f"{PREFIX[stack]}-"): s.inputs.get("delegations") for s in own(stack, SUBNET)}
    assert delegations.pop("database") == [
        {"name": "postgres", "serviceName": "Microsoft.DBforPostgreSQL/flexibleServers"}
    ]
    assert not any(delegations.values())


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("subnet", SUBNETS_IN_ORDER)
def test_every_subnet_is_private_with_endpoint_policies_behind_its_tiers_nsg(stack: str, subnet: str) -> None:
    inputs = by_name(stack, subnet).inputs
    tier = NSG_OF_SUBNET[subnet.split("-")[0]]
    assert inputs["defaultOutboundAccess"] is False
    assert inputs["privateEndpointNetworkPolicies"] == "Enabled"
    assert inputs["networkSecurityGroup"] == {"id": by_name(stack, f"{tier}-nsg").id}
    assert inputs["virtualNetworkName"] == physical_name(one(stack, VNET))
    assert inputs["resourceGroupName"] == physical_name(one(stack, RESOURCE_GROUP))


@pytest.mark.parametrize("stack", STACKS)
def test_subnets_are_created_one_after_another(stack: str) -> None:
    # Azure rejects concurrent subnet writes on one VNet (AnotherOperationInProgress).
    subnets = [by_name(stack, subnet) for subnet in SUBNETS_IN_ORDER]
    subnet_urns = {s.urn for s in subnets}
    assert not subnet_urns & set(subnets[0].dependencies)
    for previous, current in pairwise(subnets):
        assert subnet_urns & set(current.dependencies) == {previous.urn}, current.name


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("subnet", SUBNETS_IN_ORDER)
def test_a_subnet_waits_for_its_nsgs_last_rule(stack: str, subnet: str) -> None:
    # Never attached to a half-built NSG: the tier's deny-all is the last rule written to it.
    tier = NSG_OF_SUBNET[subnet.split("-")[0]]
    assert by_name(stack, f"{tier}-deny-all").urn in by_name(stack, subnet).dependencies


@pytest.mark.parametrize("stack", STACKS)
def test_subnet_outputs_are_the_tier_subnets_in_zone_order(stack: str) -> None:
    outputs = plan(stack).outputs
    assert outputs["publicSubnetIds"] == [by_name(stack, "public").id]
    assert outputs["privateSubnetIds"] == [by_name(stack, f"private-{zone}").id for zone in ZONES]
    assert outputs["databaseSubnetIds"] == [by_name(stack, "database").id, by_name(stack, "cache").id]


@pytest.mark.parametrize("stack", STACKS)
def test_nat_gateways_are_zonal_each_with_its_own_standard_static_zonal_ip(stack: str) -> None:
    assert len(plan(stack).of_type(NAT_GATEWAY)) == len(plan(stack).of_type(PUBLIC_IP)) == len(NAT_ZONES[stack])
    for zone in NAT_ZONES[stack]:
        nat = by_name(stack, f"nat-{zone}").inputs
        ip = by_name(stack, f"nat-{zone}-ip")
        assert nat["zones"] == [zone]
        assert nat["sku"] == {"name": "Standard"}
        assert nat["location"] == LOCATION
        assert nat["publicIpAddresses"] == [{"id": ip.id}]
        assert ip.inputs["zones"] == [zone]
        assert ip.inputs["sku"] == {"name": "Standard"}
        assert ip.inputs["publicIPAllocationMethod"] == "Static"
        assert ip.inputs["location"] == LOCATION


@pytest.mark.parametrize(
    ("stack", "nat_of_zone"),
    [
        ("prod", {"1": "nat-1", "2": "nat-2", "3": "nat-3"}),
        ("staging", {"1": "nat-1", "2": "nat-1", "3": "nat-1"}),
    ],
)
def test_each_private_subnet_egresses_through_its_nat(stack: str, nat_of_zone: dict[str, str]) -> None:
    for zone, nat in nat_of_zone.items():
        assert by_name(stack, f"private-{zone}").inputs["natGateway"] == {"id": by_name(stack, nat).id}


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("subnet", ["public", "database", "cache"])
def test_public_and_database_subnets_have_no_nat(stack: str, subnet: str) -> None:
    assert "natGateway" not in by_name(stack, subnet).inputs


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("tier", list(RULES_BY_TIER))
def test_each_nsg_holds_exactly_its_tiers_inbound_rules(stack: str, tier: str) -> None:
    nsg = by_name(stack, f"{tier}-nsg")
    assert nsg.inputs["location"] == LOCATION
    in_this_nsg = {
        role for role, r in rules(stack).items() if r.inputs["networkSecurityGroupName"] == physical_name(nsg)
    }
    assert in_this_nsg == set(RULES_BY_TIER[tier])
    assert all(rules(stack)[role].inputs["direction"] == "Inbound" for role in in_this_nsg)


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("tier", list(RULES_BY_TIER))
def test_rules_of_each_nsg_are_written_one_after_another(stack: str, tier: str) -> None:
    # Azure rejects concurrent writes to one NSG (AnotherOperationInProgress).
    chain = [rules(stack)[role] for role in RULES_BY_TIER[tier]]
    rule_urns = {r.urn for r in rules(stack).values()}
    assert not rule_urns & set(chain[0].dependencies)
    for previous, current in pairwise(chain):
        assert rule_urns & set(current.dependencies) == {previous.urn}, current.name


def flow_rules(stack: str) -> dict[str, dict[str, Any]]:
    """The expected effect of each configured flow: NSGs filter by address, so a flow's source and
    destination are the CIDRs of the tiers its groups live in."""
    common = {"access": "Allow", "direction": "Inbound", "protocol": "Tcp", "sourcePortRange": "*"}
    return {
        "internet-to-lb": {
            **common,
            "priority": 100,
            "sourceAddressPrefix": "Internet",
            "destinationAddressPrefix": public_range(stack),
            "destinationPortRanges": ["80", "443"],
        },
        "lb-to-app": {
            **common,
            "priority": 110,
            "sourceAddressPrefix": public_range(stack),
            "destinationAddressPrefixes": private_cidrs(stack),
            "destinationPortRanges": ["8000"],
        },
        "ssh-from-network": {
            **common,
            "priority": 120,
            "sourceAddressPrefix": network_cidr(stack),
            "destinationAddressPrefixes": private_cidrs(stack),
            "destinationPortRanges": ["22"],
        },
        "app-to-db": {
            **common,
            "priority": 130,
            "sourceAddressPrefixes": private_cidrs(stack),
            "destinationAddressPrefix": postgres_range(stack),
            "destinationPortRanges": ["5432"],
        },
        "app-to-cache": {
            **common,
            "priority": 140,
            "sourceAddressPrefixes": private_cidrs(stack),
            "destinationAddressPrefix": cache_range(stack),
            "destinationPortRanges": ["10000"],
        },
    }


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("flow", FLOWS_IN_ORDER)
def test_each_configured_flow_is_one_exact_allow_rule(stack: str, flow: str) -> None:
    assert rule_effect(rules(stack)[f"allow-{flow}"]) == flow_rules(stack)[flow]


@pytest.mark.parametrize("stack", STACKS)
def test_flow_priorities_are_100_to_140_in_flow_order(stack: str) -> None:
    assert [rules(stack)[f"allow-{flow}"].inputs["priority"] for flow in FLOWS_IN_ORDER] == [100, 110, 120, 130, 140]


def platform_rules(stack: str) -> dict[str, dict[str, Any]]:
    """The rules Azure services need, above the flows and below the deny-all."""
    common = {"access": "Allow", "direction": "Inbound", "sourcePortRange": "*"}
    return {
        "public-gateway-manager": {
            **common,
            "priority": 4000,
            "protocol": "Tcp",
            "sourceAddressPrefix": "GatewayManager",
            "destinationAddressPrefix": "*",
            "destinationPortRange": "65200-65535",
        },
        "public-azure-lb": {
            **common,
            "priority": 4010,
            "protocol": "*",
            "sourceAddressPrefix": "AzureLoadBalancer",
            "destinationAddressPrefix": public_range(stack),
            "destinationPortRange": "*",
        },
        "private-node-to-node": {
            **common,
            "priority": 4000,
            "protocol": "*",
            "sourceAddressPrefixes": private_cidrs(stack),
            "destinationAddressPrefixes": private_cidrs(stack),
            "destinationPortRange": "*",
        },
        "private-azure-lb": {
            **common,
            "priority": 4010,
            "protocol": "*",
            "sourceAddressPrefix": "AzureLoadBalancer",
            "destinationAddressPrefixes": private_cidrs(stack),
            "destinationPortRange": "*",
        },
        "database-replication": {
            **common,
            "priority": 4000,
            "protocol": "Tcp",
            "sourceAddressPrefix": postgres_range(stack),
            "destinationAddressPrefix": postgres_range(stack),
            "destinationPortRange": "5432",
        },
        # Azure Managed Redis in OSS cluster mode redirects clients to per-shard ports.
        "database-redis-shards": {
            **common,
            "priority": 4010,
            "protocol": "Tcp",
            "sourceAddressPrefixes": private_cidrs(stack),
            "destinationAddressPrefix": cache_range(stack),
            "destinationPortRange": "8500-8599",
        },
    }


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize(
    "role",
    [
        "public-gateway-manager",
        "public-azure-lb",
        "private-node-to-node",
        "private-azure-lb",
        "database-replication",
        "database-redis-shards",
    ],
)
def test_each_platform_rule_is_exact(stack: str, role: str) -> None:
    assert rule_effect(rules(stack)[role]) == platform_rules(stack)[role]


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("tier", list(RULES_BY_TIER))
def test_each_nsg_ends_with_an_explicit_deny_all_at_4096(stack: str, tier: str) -> None:
    # Without it Azure's default AllowVnetInBound (65000) lets the whole VNet in.
    deny = rules(stack)[f"{tier}-deny-all"]
    assert rule_effect(deny) == {
        "access": "Deny",
        "direction": "Inbound",
        "priority": 4096,
        "protocol": "*",
        "sourceAddressPrefix": "*",
        "sourcePortRange": "*",
        "destinationAddressPrefix": "*",
        "destinationPortRange": "*",
    }
    others = [rules(stack)[role].inputs["priority"] for role in RULES_BY_TIER[tier] if role != f"{tier}-deny-all"]
    assert max(others) < 4096
    assert len(set(others)) == len(others), "Azure rejects two rules with one priority in an NSG"


@pytest.mark.parametrize("stack", STACKS)
def test_no_allow_rule_opens_ssh_postgres_or_redis_to_anywhere(stack: str) -> None:
    allows = [r.inputs for r in rules(stack).values() if r.inputs["access"] == "Allow"]
    open_to_anywhere = [rule for rule in allows if sources(rule) & ANYWHERE]
    assert all(not ports(rule) & {22, 5432, 6379} for rule in open_to_anywhere)
    # The only rule open to everyone is the load balancer's 80/443.
    assert [ports(rule) for rule in open_to_anywhere] == [{80, 443}]


@pytest.mark.parametrize("stack", STACKS)
def test_flow_log_storage_account_is_locked_down(stack: str) -> None:
    stored = one(stack, STORAGE_ACCOUNT)
    assert stored.protect is (stack == "prod")
    locks = [r for r in plan(stack).resources if r.type == LOCK and r.inputs["scope"] == stored.id]
    assert [lock.inputs["level"] for lock in locks] == (["CanNotDelete"] if stack == "prod" else [])
    account = stored.inputs
    assert account["kind"] == "StorageV2"
    assert account["sku"] == {"name": "Standard_ZRS"}
    assert account["enableHttpsTrafficOnly"] is True
    assert account["minimumTlsVersion"] == "TLS1_2"
    assert account["allowBlobPublicAccess"] is False
    assert account["allowSharedKeyAccess"] is False
    assert account["networkRuleSet"] == {"defaultAction": "Deny", "bypass": "AzureServices"}
    assert account["location"] == LOCATION
    assert account["resourceGroupName"] == physical_name(one(stack, RESOURCE_GROUP))
    name = account["accountName"]
    assert 3 <= len(name) <= 24
    assert name.isalnum()
    assert name.islower()


@pytest.mark.parametrize(("stack", "days"), [("prod", 90), ("staging", 14)])
def test_flow_log_covers_the_vnet_into_that_account_with_the_configured_retention(stack: str, days: int) -> None:
    flow_log = one(stack, FLOW_LOG).inputs
    assert flow_log["targetResourceId"] == one(stack, VNET).id
    assert flow_log["storageId"] == one(stack, STORAGE_ACCOUNT).id
    assert flow_log["enabled"] is True
    assert flow_log["retentionPolicy"] == {"days": days, "enabled": True}
    assert flow_log["format"] == {"type": "JSON", "version": 2}
    assert flow_log["location"] == LOCATION


@pytest.mark.parametrize("stack", STACKS)
def test_flow_log_attaches_to_azures_own_network_watcher(stack: str) -> None:
    flow_log = one(stack, FLOW_LOG).inputs
    assert flow_log["resourceGroupName"] == "NetworkWatcherRG"
    assert flow_log["networkWatcherName"] == f"NetworkWatcher_{LOCATION}"


@pytest.mark.parametrize("stack", STACKS)
def test_flow_log_writes_as_the_user_assigned_identity_once_it_holds_the_role(stack: str) -> None:
    flow_log = one(stack, FLOW_LOG)
    assert flow_log.inputs["identity"] == {
        "type": "UserAssigned",
        "userAssignedIdentities": [typed(stack, IDENTITY, "flowlogs-writer").id],
    }
    assert typed(stack, ROLE_ASSIGNMENT, "flowlogs-writer").urn in flow_log.dependencies


def principal_id(identity: RecordedResource) -> str:
    """The principal id the fake cloud gave this identity (an output, so not on the record)."""
    args = pulumi.runtime.MockResourceArgs(identity.type, identity.name, identity.inputs, custom=True)
    _, outputs = FakeCloud().new_resource(args)
    return str(outputs["principalId"])


@pytest.mark.parametrize("stack", STACKS)
def test_role_assignment_grants_blob_data_contributor_to_the_writer_on_the_account(stack: str) -> None:
    identity = typed(stack, IDENTITY, "flowlogs-writer")
    grant = typed(stack, ROLE_ASSIGNMENT, "flowlogs-writer")
    assert grant.inputs["roleDefinitionId"] == (
        f"/subscriptions/{SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/{STORAGE_BLOB_DATA_CONTRIBUTOR}"
    )
    assert grant.inputs["principalId"] == principal_id(identity)
    assert grant.inputs["principalType"] == "ServicePrincipal"
    assert grant.inputs["scope"] == one(stack, STORAGE_ACCOUNT).id
    assert identity.inputs["location"] == LOCATION
