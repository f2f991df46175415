"""Security rule 37 on Azure (finding 4): the workloads in the application subnets reach every data
service privately. Blob storage and Key Vault deny public networks, so each bucket account and the
stack's vault have a private endpoint in the endpoint subnet, registered in the one
``privatelink.*`` zone of its service linked to the VNet, and the database tier's NSG admits the
application subnets on 443; PostgreSQL sits in its delegated subnet and Redis behind its endpoint."""

from __future__ import annotations

import pytest

from bettafish.plan import RecordedResource
from tests.azure.stacks import (
    ACCOUNT,
    ENDPOINT,
    SERVER,
    STACKS,
    VAULT,
    VNET,
    ZONE,
    ZONE_GROUP,
    ZONE_LINK,
    named,
    plan,
)
from tests.azure.test_vpc import private_cidrs, rule_effect, rules
from tests.mocks import physical_name

BUCKETS = {"mediaContent": "media-content", "reports": "reports", "logs": "logs"}


def endpoint_subnet(stack: str) -> RecordedResource:
    return plan(stack).named(f"bettafish-{stack}-net-cache")


def assert_private_path(
    stack: str, endpoint: RecordedResource, group: RecordedResource, target: RecordedResource, sub: str
) -> RecordedResource:
    """The endpoint takes an address in the endpoint subnet, connects to ``target``'s ``sub``
    resource and registers in a zone; returns that zone."""
    assert endpoint.inputs["subnet"] == {"id": endpoint_subnet(stack).id}
    (connection,) = endpoint.inputs["privateLinkServiceConnections"]
    assert connection["privateLinkServiceId"] == target.id
    assert connection["groupIds"] == [sub]
    assert group.inputs["privateEndpointName"] == physical_name(endpoint)
    ((config),) = group.inputs["privateDnsZoneConfigs"]
    (zone,) = [z for z in plan(stack).of_type(ZONE) if z.id == config["privateDnsZoneId"]]
    return zone


def assert_linked_to_the_vnet(stack: str, zone: RecordedResource) -> None:
    (link,) = [link for link in plan(stack).of_type(ZONE_LINK) if link.inputs["privateZoneName"] == physical_name(zone)]
    assert link.inputs["virtualNetwork"] == {"id": plan(stack).one(VNET).id}
    assert link.inputs["registrationEnabled"] is False
    assert zone.inputs["location"] == "global"


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("bucket", BUCKETS)
def test_each_bucket_account_has_a_blob_endpoint_resolved_in_the_vnet(stack: str, bucket: str) -> None:
    container = BUCKETS[bucket]
    account = named(stack, "store", container)
    endpoint, group = named(stack, "store", f"{container}-endpoint"), named(stack, "store", f"{container}-endpoint-dns")
    zone = assert_private_path(stack, endpoint, group, account, "blob")
    assert zone.inputs["privateZoneName"] == "privatelink.blob.core.windows.net"
    assert_linked_to_the_vnet(stack, zone)
    # Nothing else reaches the data.
    assert account.inputs["publicNetworkAccess"] == "Disabled"


@pytest.mark.parametrize("stack", STACKS)
def test_the_vault_holding_the_database_credentials_has_a_private_endpoint(stack: str) -> None:
    vault = named(stack, "keys", "vault")
    endpoint, group = named(stack, "net", "vault-endpoint"), named(stack, "net", "vault-endpoint-dns")
    zone = assert_private_path(stack, endpoint, group, vault, "vault")
    assert zone.inputs["privateZoneName"] == "privatelink.vaultcore.azure.net"
    assert_linked_to_the_vnet(stack, zone)
    # databaseCredentialsRef is a secret of this vault, which denies public networks.
    assert plan(stack).outputs["databaseCredentialsRef"].startswith(f"https://{physical_name(vault)}.vault.azure.net/")
    assert vault.inputs["properties"]["networkAcls"]["defaultAction"] == "Deny"


def test_the_dr_vault_needs_no_endpoint() -> None:
    # It holds the geo-backup key only, which PostgreSQL reaches as a trusted service.
    dr_vault = named("prod", "keys", "dr-vault").id
    targets = [
        c["privateLinkServiceId"]
        for e in plan("prod").of_type(ENDPOINT)
        for c in e.inputs["privateLinkServiceConnections"]
    ]
    assert dr_vault not in targets
    assert named("prod", "keys", "vault").id in targets


@pytest.mark.parametrize("stack", STACKS)
def test_each_privatelink_zone_exists_once_per_stack(stack: str) -> None:
    # A VNet links to only one zone of a name: every endpoint of a service registers in the same zone.
    names = [
        z.inputs["privateZoneName"]
        for z in plan(stack).of_type(ZONE)
        if z.inputs["privateZoneName"].startswith("privatelink.")
    ]
    assert sorted(names) == [
        "privatelink.azurecr.io",
        "privatelink.blob.core.windows.net",
        "privatelink.redis.azure.net",
        "privatelink.vaultcore.azure.net",
    ]
    groups = plan(stack).of_type(ZONE_GROUP)
    assert len(groups) == len(plan(stack).of_type(ENDPOINT)) == 6, "three buckets, the vault, the cache, the registry"


@pytest.mark.parametrize("stack", STACKS)
def test_the_application_subnets_reach_the_endpoints_on_443_through_the_database_tier_nsg(stack: str) -> None:
    # Private endpoint network policies are on (every subnet), so the database tier's NSG filters the
    # endpoints and its deny-all at 4096 would answer HTTPS from the application subnets.
    assert endpoint_subnet(stack).inputs["privateEndpointNetworkPolicies"] == "Enabled"
    rule = rules(stack)["database-private-endpoints"]
    assert rule_effect(rule) == {
        "access": "Allow",
        "direction": "Inbound",
        "priority": 4020,
        "protocol": "Tcp",
        "sourceAddressPrefixes": private_cidrs(stack),
        "sourcePortRange": "*",
        "destinationAddressPrefix": endpoint_subnet(stack).inputs["addressPrefix"],
        "destinationPortRange": "443",
    }
    assert rule.inputs["priority"] < rules(stack)["database-deny-all"].inputs["priority"]
    nsg = plan(stack).named(f"bettafish-{stack}-net-database-nsg")
    assert endpoint_subnet(stack).inputs["networkSecurityGroup"] == {"id": nsg.id}
    assert rule.inputs["networkSecurityGroupName"] == physical_name(nsg)


@pytest.mark.parametrize("stack", STACKS)
def test_postgres_is_reached_in_its_delegated_subnet_and_redis_through_its_endpoint(stack: str) -> None:
    # Pinned: the other two data services' private paths.
    delegated = plan(stack).named(f"bettafish-{stack}-net-database")
    for server in plan(stack).of_type(SERVER):
        assert server.inputs["network"]["delegatedSubnetResourceId"] == delegated.id
        assert server.inputs["network"]["publicNetworkAccess"] == "Disabled"
    cache = named(stack, "cache", "redis")
    assert cache.inputs["publicNetworkAccess"] == "Disabled"
    zone = assert_private_path(
        stack, named(stack, "cache", "endpoint"), named(stack, "cache", "endpoint-dns"), cache, "redisEnterprise"
    )
    assert zone.inputs["privateZoneName"] == "privatelink.redis.azure.net"
    assert_linked_to_the_vnet(stack, zone)


@pytest.mark.parametrize("stack", STACKS)
def test_the_log_accounts_take_only_trusted_azure_services(stack: str) -> None:
    # Network Watcher and Azure Monitor write as trusted services; no workload reads these accounts.
    for account in (named(stack, "net", "flowlogs"), named(stack, "store", "access-logs")):
        assert account.inputs["networkRuleSet"] == {"defaultAction": "Deny", "bypass": "AzureServices"}
        assert "publicNetworkAccess" not in account.inputs
    assert len(plan(stack).of_type(ACCOUNT)) == 5
    assert len(plan(stack).of_type(VAULT)) == {"prod": 2, "staging": 1}[stack]
