"""GCP CacheCluster: Memorystore for Redis Cluster behind PSC endpoints in the cache subnetwork, per
security rules 9-13, as recorded from the real program run offline on GCP."""

from __future__ import annotations

import json
from functools import cache
from ipaddress import IPv4Address, IPv4Network
from typing import Any

import pytest

from bettafish.plan import RecordedResource, Recording
from tests.mocks import run_program, run_stack, stack_values

STACKS = ("prod", "staging")
PREFIX = {"prod": "bettafish-prod-cache", "staging": "bettafish-staging-cache"}
NET = {"prod": "10.0", "staging": "10.1"}
REDIS_AGENT = "serviceAccount:service-409871234567@cloud-redis.iam.gserviceaccount.com"

CLUSTER = "gcp:redis/cluster:Cluster"
POLICY = "gcp:networkconnectivity/serviceConnectionPolicy:ServiceConnectionPolicy"
GRANT = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
SERVICE = "gcp:projects/service:Service"
IDENTITY = "gcp:projects/serviceIdentity:ServiceIdentity"
APIS = ("redis.googleapis.com", "networkconnectivity.googleapis.com", "serviceconsumermanagement.googleapis.com")


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "gcp")


def by_name(stack: str, suffix: str) -> RecordedResource:
    return plan(stack).named(f"{PREFIX[stack]}-{suffix}")


def cluster(stack: str) -> dict[str, Any]:
    return plan(stack).one(CLUSTER).inputs


def network_id(stack: str) -> str:
    return plan(stack).one("gcp:compute/network:Network").id


@pytest.mark.parametrize("stack", STACKS)
def test_cache_has_exactly_the_expected_children(stack: str) -> None:
    (component,) = plan(stack).of_type("bettafish:cache:CacheCluster")
    found = sorted((r.type, r.name.removeprefix(f"{PREFIX[stack]}-")) for r in plan(stack).children_of(component.urn))
    assert found == sorted(
        [
            (SERVICE, "redis-api"),
            (SERVICE, "networkconnectivity-api"),
            (SERVICE, "serviceconsumermanagement-api"),
            (POLICY, "psc-policy"),
            (IDENTITY, "redis-agent"),
            (GRANT, "redis-key-user"),
            (CLUSTER, "redis"),
        ]
    )


@pytest.mark.parametrize("stack", STACKS)
def test_a_fresh_project_gets_the_apis_and_the_memorystore_agent(stack: str) -> None:
    """The agent is created (``services identity create``), not assumed: a fresh project has none."""
    apis = {r.inputs["service"]: r.urn for r in plan(stack).of_type(SERVICE) if r.name.startswith(PREFIX[stack])}
    assert set(apis) == set(APIS)
    agent = by_name(stack, "redis-agent")
    assert agent.inputs == {"project": f"bettafish-{stack}", "service": "redis.googleapis.com"}
    assert apis["redis.googleapis.com"] in agent.dependencies
    assert apis["networkconnectivity.googleapis.com"] in by_name(stack, "psc-policy").dependencies
    cluster_deps = plan(stack).one(CLUSTER).dependencies
    assert {apis["redis.googleapis.com"], apis["serviceconsumermanagement.googleapis.com"]} <= set(cluster_deps)


@pytest.mark.parametrize("stack", STACKS)
def test_the_cluster_comes_after_the_firewall_rules_its_clients_need(stack: str) -> None:
    rules = plan(stack).of_type("gcp:compute/firewall:Firewall")
    assert rules
    assert {r.urn for r in rules} <= set(plan(stack).one(CLUSTER).dependencies)


# Rule 9: at rest with the cache key, granted first.
@pytest.mark.parametrize("stack", STACKS)
def test_cluster_is_encrypted_with_the_cache_key_after_the_grant(stack: str) -> None:
    cache_key = plan(stack).named(f"bettafish-{stack}-keys-cache")
    grant = by_name(stack, "redis-key-user")
    assert cluster(stack)["kmsKey"] == cache_key.id
    assert grant.inputs == {
        "cryptoKeyId": cache_key.id,
        "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        "member": REDIS_AGENT,
    }
    assert grant.urn in plan(stack).one(CLUSTER).dependencies


# Rule 10: TLS in transit.
@pytest.mark.parametrize("stack", STACKS)
def test_clients_must_use_tls_with_server_authentication(stack: str) -> None:
    assert cluster(stack)["transitEncryptionMode"] == "TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION"
    assert plan(stack).outputs["cacheTlsEnabled"] is True


# Rule 11: AUTH.
@pytest.mark.parametrize("stack", STACKS)
def test_clients_must_authenticate_with_iam(stack: str) -> None:
    assert cluster(stack)["authorizationMode"] == "AUTH_MODE_IAM_AUTH"


# Rule 12: private.
@pytest.mark.parametrize("stack", STACKS)
def test_endpoints_are_psc_addresses_in_the_cache_subnetwork(stack: str) -> None:
    subnetwork = plan(stack).named(f"bettafish-{stack}-net-cache")
    policy = by_name(stack, "psc-policy")
    assert cluster(stack)["pscConfigs"] == [{"network": network_id(stack)}]
    assert policy.inputs["serviceClass"] == "gcp-memorystore-redis"
    assert policy.inputs["network"] == network_id(stack)
    assert policy.inputs["pscConfig"] == {"subnetworks": [subnetwork.id]}
    assert (policy.inputs["location"], cluster(stack)["region"]) == ("us-east1", "us-east1")
    assert policy.urn in plan(stack).one(CLUSTER).dependencies
    endpoints = plan(stack).outputs["cacheEndpoints"]
    assert len(endpoints) == 1
    assert IPv4Address(endpoints[0]) in IPv4Network(f"{NET[stack]}.22.0/23")
    assert plan(stack).outputs["cachePort"] == 6379


# Rule 13: HA and snapshots.
@pytest.mark.parametrize(
    ("stack", "shards", "replicas", "zones"),
    [
        ("prod", 3, 1, {"mode": "MULTI_ZONE"}),
        ("staging", 1, 0, {"mode": "SINGLE_ZONE", "zone": "us-east1-b"}),
    ],
)
def test_shards_replicas_and_zone_spread(stack: str, shards: int, replicas: int, zones: dict[str, str]) -> None:
    found = cluster(stack)
    assert (found["shardCount"], found["replicaCount"]) == (shards, replicas)
    assert found["zoneDistributionConfig"] == zones


@pytest.mark.parametrize(("stack", "retention"), [("prod", "604800s"), ("staging", "86400s")])
def test_daily_backups_in_the_snapshot_window_kept_the_configured_days(stack: str, retention: str) -> None:
    assert cluster(stack)["automatedBackupConfig"] == {
        "retention": retention,
        "fixedFrequencySchedule": {"startTime": {"hours": 5}},
    }


@pytest.mark.parametrize("stack", STACKS)
def test_rdb_persistence(stack: str) -> None:
    assert cluster(stack)["persistenceConfig"] == {"mode": "RDB", "rdbConfig": {"rdbSnapshotPeriod": "ONE_HOUR"}}


@pytest.mark.parametrize(
    ("stack", "node_type"), [("prod", "REDIS_HIGHMEM_MEDIUM"), ("staging", "REDIS_STANDARD_SMALL")]
)
def test_node_type_eviction_policy_and_maintenance(stack: str, node_type: str) -> None:
    found = cluster(stack)
    assert found["nodeType"] == node_type
    assert found["redisConfigs"] == {"maxmemory-policy": "allkeys-lru"}
    assert found["maintenancePolicy"] == {
        "weeklyMaintenanceWindows": [{"day": "SUNDAY", "startTime": {"hours": 6, "minutes": 0}}]
    }


# Rule 32 and the deletion guard.
@pytest.mark.parametrize(("stack", "protected"), [("prod", True), ("staging", False)])
def test_cluster_is_protected_and_deletion_guarded_in_prod_only(stack: str, protected: bool) -> None:
    assert plan(stack).one(CLUSTER).protect is protected
    assert cluster(stack)["deletionProtectionEnabled"] is protected


@pytest.mark.parametrize("stack", STACKS)
def test_cluster_and_policy_carry_the_standard_labels(stack: str) -> None:
    labels = {"project": "bettafish", "stack": stack, "component": "cache", "managed-by": "pulumi"}
    assert cluster(stack)["labels"] == labels
    assert by_name(stack, "psc-policy").inputs["labels"] == labels


@pytest.mark.parametrize("stack", STACKS)
def test_no_static_token_reaches_the_cluster(stack: str) -> None:
    """IAM auth issues short-lived tokens; the configured Redis token is an AWS setting. Neither the
    offline placeholder nor any secret is passed to Memorystore or exported."""
    assert "[secret]" not in json.dumps(cluster(stack))
    assert not any(key.lower().startswith("auth") and key != "authorizationMode" for key in cluster(stack))
    assert "[secret]" not in json.dumps({k: v for k, v in plan(stack).outputs.items() if k.startswith("cache")})


def test_a_configured_redis_token_never_appears_in_plain_text() -> None:
    token = "gcp-test-redis-token-7c41e9"
    values = {**stack_values("prod", "gcp"), "bettafish:redisAuthToken": token}
    recording = run_program(values, "prod", secret_keys=["bettafish:redisAuthToken"])
    assert recording.of_type(CLUSTER)
    assert token not in repr(recording.resources)
    assert token not in json.dumps(recording.outputs)


@pytest.mark.parametrize("stack", STACKS)
def test_cluster_and_policy_are_autonamed_for_a_staging_brought_up_again(stack: str) -> None:
    for resource in (plan(stack).one(CLUSTER), by_name(stack, "psc-policy")):
        assert "name" not in resource.inputs
