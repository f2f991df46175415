"""Azure CacheCluster: Azure Managed Redis per security rules 9-14 and 32, sized to hold the whole
configured cluster, reachable only through its private endpoint, as recorded from the real program
run offline on Azure."""

from __future__ import annotations

import json

import pytest

from bettafish.config.catalog import load_catalog
from bettafish.plan import RecordedResource
from tests.azure.stacks import (
    CRYPTO_SERVICE_ENCRYPTION_USER,
    ENDPOINT,
    GRANT,
    IDENTITY,
    LOCATION,
    LOCK,
    REDIS,
    REDIS_DATABASE,
    RESOURCE_GROUP,
    STACKS,
    VNET,
    ZONE,
    ZONE_GROUP,
    ZONE_LINK,
    children,
    computed,
    config,
    group_name,
    inventory,
    named,
    plan,
    role,
    snake_case_keys,
)
from tests.mocks import physical_name, run_program, stack_values

TOKEN = "azure-cache-test-token-3c9d"


def cluster(stack: str) -> RecordedResource:
    return named(stack, "cache", "redis")


def database(stack: str) -> RecordedResource:
    return named(stack, "cache", "database")


def tags(stack: str) -> dict[str, str]:
    return {"project": "bettafish", "stack": stack, "component": "cache", "managed-by": "pulumi"}


@pytest.mark.parametrize("stack", STACKS)
def test_cache_has_exactly_the_expected_children(stack: str) -> None:
    expected = [
        (RESOURCE_GROUP, "rg"),
        (IDENTITY, "cmk"),
        (GRANT, "cmk-grant"),
        (REDIS, "redis"),
        (REDIS_DATABASE, "database"),
        (ZONE, "dns"),
        (ZONE_LINK, "dns-link"),
        (ENDPOINT, "endpoint"),
        (ZONE_GROUP, "endpoint-dns"),
    ]
    if stack == "prod":
        expected.append((LOCK, "redis-lock"))
    assert inventory(stack, "cache") == sorted(expected)


# Sizing: Azure sets the shard count from the SKU, which must hold shards x the node size.


@pytest.mark.parametrize(("stack", "sku"), [("prod", "MemoryOptimized_M50"), ("staging", "Balanced_B5")])
def test_the_sku_holds_every_shard_of_the_configured_cluster(stack: str, sku: str) -> None:
    cache = config(stack).cache
    assert cluster(stack).inputs["sku"] == {"name": sku}
    (row,) = [r for r in load_catalog()["cache"]["azure"] if r.type == sku]
    assert row.memory_gib >= cache.shards * cache.size.memory_gib
    assert row.vcpus >= cache.shards * cache.size.vcpus


# Rule 9: encrypted at rest with the cache key.


@pytest.mark.parametrize("stack", STACKS)
def test_disks_are_encrypted_with_the_pinned_cache_key_version_through_the_identity(stack: str) -> None:
    key, identity = named(stack, "keys", "cache"), named(stack, "cache", "cmk")
    assert cluster(stack).inputs["encryption"] == {
        "customerManagedKeyEncryption": {
            # Azure Managed Redis takes versioned key URLs only.
            "keyEncryptionKeyUrl": computed(key)["keyUriWithVersion"],
            "keyEncryptionKeyIdentity": {
                "identityType": "userAssignedIdentity",
                "userAssignedIdentityResourceId": identity.id,
            },
        }
    }
    assert cluster(stack).inputs["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [identity.id]}


@pytest.mark.parametrize("stack", STACKS)
def test_a_rotated_cache_key_is_no_change_for_pulumi_up(stack: str) -> None:
    # Finding 8: Azure Managed Redis takes versioned key URLs only, and Key Vault makes a new version
    # every keyRotationDays; without this, every `up` after a rotation would want to change the cache.
    options = cluster(stack).options
    assert options["ignoreChanges"] == ["encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl"]
    # ... while the version it stays on never expires.
    policy = named(stack, "keys", "cache").inputs["properties"]["rotationPolicy"]
    assert "attributes" not in policy
    assert "attributes" not in named(stack, "keys", "cache").inputs["properties"]


@pytest.mark.parametrize("stack", STACKS)
def test_the_identity_holds_crypto_service_encryption_user_on_the_cache_key_before_the_cache(stack: str) -> None:
    grant, identity = named(stack, "cache", "cmk-grant"), named(stack, "cache", "cmk")
    assert grant.inputs["roleDefinitionId"] == role(CRYPTO_SERVICE_ENCRYPTION_USER)
    assert grant.inputs["scope"] == named(stack, "keys", "cache").id
    assert grant.inputs["principalId"] == computed(identity)["principalId"]
    assert grant.inputs["principalType"] == "ServicePrincipal"
    assert grant.urn in cluster(stack).dependencies


# Rule 10: TLS in transit.


@pytest.mark.parametrize("stack", STACKS)
def test_clients_must_use_tls_1_2_or_later(stack: str) -> None:
    assert cluster(stack).inputs["minimumTlsVersion"] == "1.2"
    assert database(stack).inputs["clientProtocol"] == "Encrypted"


# Rule 11: AUTH required (Microsoft Entra only: the services' identities hold access policy
# assignments, tests/azure/test_workloads.py; no access key exists).


@pytest.mark.parametrize("stack", STACKS)
def test_clients_authenticate_with_entra_and_no_access_key_exists(stack: str) -> None:
    assert database(stack).inputs["accessKeysAuthentication"] == "Disabled"


@pytest.mark.parametrize("stack", STACKS)
def test_the_aws_redis_token_never_reaches_azure_nor_appears_in_plain_text(stack: str) -> None:
    values = stack_values(stack, "azure") | {"bettafish:redisAuthToken": TOKEN}
    recording = run_program(values, stack, ["bettafish:redisAuthToken"])
    assert len(recording.of_type(REDIS)) == 1
    assert TOKEN not in repr(recording.resources)
    assert TOKEN not in json.dumps(recording.outputs)


# Rule 12: private.


@pytest.mark.parametrize("stack", STACKS)
def test_the_cache_takes_no_public_traffic(stack: str) -> None:
    assert cluster(stack).inputs["publicNetworkAccess"] == "Disabled"


@pytest.mark.parametrize("stack", STACKS)
def test_the_private_endpoint_sits_in_the_cache_subnet_and_connects_to_the_cache(stack: str) -> None:
    endpoint = named(stack, "cache", "endpoint")
    assert endpoint.inputs["subnet"] == {"id": plan(stack).named(f"bettafish-{stack}-net-cache").id}
    assert endpoint.inputs["privateLinkServiceConnections"] == [
        {
            "name": f"bettafish-{stack}-cache-endpoint",
            "privateLinkServiceId": cluster(stack).id,
            "groupIds": ["redisEnterprise"],
        }
    ]
    assert endpoint.inputs["location"] == LOCATION


@pytest.mark.parametrize("stack", STACKS)
def test_the_vnet_resolves_the_cache_host_to_the_private_endpoint(stack: str) -> None:
    zone, link, group = (named(stack, "cache", s) for s in ("dns", "dns-link", "endpoint-dns"))
    assert zone.inputs["privateZoneName"] == "privatelink.redis.azure.net"
    assert link.inputs["virtualNetwork"] == {"id": plan(stack).one(VNET).id}
    assert link.inputs["privateZoneName"] == physical_name(zone)
    assert link.inputs["registrationEnabled"] is False
    assert group.inputs["privateEndpointName"] == physical_name(named(stack, "cache", "endpoint"))
    assert group.inputs["privateDnsZoneConfigs"] == [{"name": "redisEnterprise", "privateDnsZoneId": zone.id}]


# Rule 13: HA and persistence.


@pytest.mark.parametrize(("stack", "ha"), [("prod", "Enabled"), ("staging", "Disabled")])
def test_every_shard_has_a_replica_when_the_config_asks_for_one(stack: str, ha: str) -> None:
    # Azure spreads an HA cache's nodes over the region's zones by itself.
    assert cluster(stack).inputs["highAvailability"] == ha
    assert (config(stack).cache.replicas_per_shard >= 1) is (ha == "Enabled")
    assert "zones" not in cluster(stack).inputs


@pytest.mark.parametrize("stack", STACKS)
def test_the_data_set_is_persisted_as_hourly_rdb_snapshots(stack: str) -> None:
    assert database(stack).inputs["persistence"] == {"rdbEnabled": True, "rdbFrequency": "1h", "aofEnabled": False}


# Rule 14: Redis 7 needs Azure Managed Redis (Redis Enterprise); Azure Cache for Redis stops at 6.


@pytest.mark.parametrize("stack", STACKS)
def test_the_cache_is_azure_managed_redis(stack: str) -> None:
    assert not [r for r in plan(stack).resources if r.type.startswith("azure-native:redis:")]
    assert len(plan(stack).of_type(REDIS)) == 1


# The database.


@pytest.mark.parametrize("stack", STACKS)
def test_the_database_is_the_default_oss_cluster_with_the_configured_eviction_and_port(stack: str) -> None:
    inputs = database(stack).inputs
    assert inputs["databaseName"] == "default"
    assert inputs["clusterName"] == physical_name(cluster(stack))
    assert inputs["clusteringPolicy"] == "OSSCluster"
    assert inputs["evictionPolicy"] == "AllKeysLRU"
    assert inputs["port"] == config(stack).cache.port


# Rule 32.


@pytest.mark.parametrize("stack", STACKS)
def test_the_cache_and_its_database_are_protected_in_prod_only(stack: str) -> None:
    stateful = [r for r in children(stack, "cache") if r.type in (REDIS, REDIS_DATABASE)]
    assert len(stateful) == 2
    assert all(r.protect is (stack == "prod") for r in stateful)


def test_the_prod_cache_is_locked_against_deletion() -> None:
    lock = named("prod", "cache", "redis-lock")
    assert lock.inputs["level"] == "CanNotDelete"
    assert lock.inputs["scope"] == cluster("prod").id


@pytest.mark.parametrize("stack", STACKS)
def test_the_cache_lives_in_its_own_group_in_the_stack_region(stack: str) -> None:
    assert cluster(stack).inputs["resourceGroupName"] == group_name(stack, "cache")
    assert cluster(stack).inputs["location"] == LOCATION
    assert cluster(stack).inputs["tags"] == tags(stack)


@pytest.mark.parametrize("stack", STACKS)
def test_outputs_are_the_host_name_the_port_and_tls(stack: str) -> None:
    outputs = plan(stack).outputs
    host = computed(cluster(stack))["hostName"]
    assert host.endswith(f".{LOCATION}.redis.azure.net")
    assert outputs["cacheEndpoints"] == [host]
    assert outputs["cachePort"] == config(stack).cache.port
    assert outputs["cacheTlsEnabled"] is True


@pytest.mark.parametrize("stack", STACKS)
def test_every_input_uses_the_api_names(stack: str) -> None:
    for resource in children(stack, "cache"):
        assert not snake_case_keys(resource.inputs), resource.name
