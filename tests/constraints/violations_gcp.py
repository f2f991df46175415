"""GCP registrations the real API refuses: one small program per constraint id.

Each program satisfies every constraint listed before the one it violates (the table is checked in
order), so it is refused with exactly that id.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import pulumi
import pulumi_gcp as gcp

from bettafish.plan.fake_cloud.constraints.gcp import API_OF

REGION = "us-east1"
KEY_HERE = f"projects/p/locations/{REGION}/keyRings/ring/cryptoKeys/key"
KEY_ELSEWHERE = "projects/p/locations/us-west1/keyRings/ring/cryptoKeys/key"
NETWORK = "projects/p/global/networks/net"
ENCRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"


def enabled(*apis: str, after: list[pulumi.Resource] | None = None) -> pulumi.ResourceOptions:
    """Options that wait for ``apis`` (and ``after``)."""
    services = [gcp.projects.Service(f"api-{api.split('.')[0]}", service=api) for api in apis]
    return pulumi.ResourceOptions(depends_on=[*services, *(after or [])])


def granted(key: str) -> list[pulumi.Resource]:
    return [gcp.kms.CryptoKeyIAMMember("grant", crypto_key_id=key, role=ENCRYPTER, member="serviceAccount:agent")]


# A resource of each type that calls its API first, without enabling it.
WITHOUT_API: dict[str, Callable[[], object]] = {
    "gcp:compute/network:Network": lambda: gcp.compute.Network("net", auto_create_subnetworks=False),
    "gcp:servicenetworking/connection:Connection": lambda: gcp.servicenetworking.Connection(
        "psa", network=NETWORK, service="servicenetworking.googleapis.com", reserved_peering_ranges=["range"]
    ),
    "gcp:kms/keyRing:KeyRing": lambda: gcp.kms.KeyRing("ring", location=REGION),
    "gcp:sql/databaseInstance:DatabaseInstance": lambda: gcp.sql.DatabaseInstance(
        "db", region=REGION, database_version="POSTGRES_15", settings={"tier": "db-custom-2-7680"}
    ),
    "gcp:secretmanager/secret:Secret": lambda: gcp.secretmanager.Secret(
        "secret", secret_id="secret", replication={"auto": {}}
    ),
    "gcp:redis/cluster:Cluster": lambda: gcp.redis.Cluster("redis", region=REGION, shard_count=1),
    "gcp:networkconnectivity/serviceConnectionPolicy:ServiceConnectionPolicy": lambda: (
        gcp.networkconnectivity.ServiceConnectionPolicy(
            "policy", location=REGION, service_class="gcp-memorystore-redis", network=NETWORK
        )
    ),
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": lambda: gcp.logging.ProjectBucketConfig(
        "logs", project="p", location=REGION, bucket_id="logs"
    ),
    "gcp:storage/bucket:Bucket": lambda: gcp.storage.Bucket("bucket", location="US-EAST1"),
}


def without_api(type_token: str) -> None:
    WITHOUT_API[type_token]()


def _sql(key: str, opts: pulumi.ResourceOptions) -> None:
    settings = {"tier": "db-custom-2-7680", "edition": "ENTERPRISE"}
    gcp.sql.DatabaseInstance(
        "db", region=REGION, database_version="POSTGRES_15", encryption_key_name=key, settings=settings, opts=opts
    )


def _redis(key: str, opts: pulumi.ResourceOptions) -> None:
    gcp.redis.Cluster("redis", region=REGION, shard_count=1, kms_key=key, psc_configs=[{"network": NETWORK}], opts=opts)


def _bucket(key: str, opts: pulumi.ResourceOptions) -> None:
    gcp.storage.Bucket(
        "bucket", location="US-EAST1", encryption={"default_kms_key_name": key}, force_destroy=True, opts=opts
    )


def _log_bucket(key: str, opts: pulumi.ResourceOptions) -> None:
    gcp.logging.ProjectBucketConfig(
        "logs", project="p", location=REGION, bucket_id="logs", cmek_settings={"kms_key_name": key}, opts=opts
    )


def _secret(key: str, opts: pulumi.ResourceOptions) -> None:
    replica = {"location": REGION, "customer_managed_encryption": {"kms_key_name": key}}
    gcp.secretmanager.Secret("secret", secret_id="s", replication={"user_managed": {"replicas": [replica]}}, opts=opts)


CMEK: dict[str, tuple[str, Callable[[str, pulumi.ResourceOptions], None]]] = {
    "sql": ("sqladmin.googleapis.com", _sql),
    "redis-cluster": ("redis.googleapis.com", _redis),
    "storage-bucket": ("storage.googleapis.com", _bucket),
    "log-bucket": ("logging.googleapis.com", _log_bucket),
    "secret": ("secretmanager.googleapis.com", _secret),
}


def cmek_key_elsewhere(short: str) -> None:
    api, make = CMEK[short]
    make(KEY_ELSEWHERE, enabled(api, after=granted(KEY_ELSEWHERE)))


def cmek_key_not_granted(short: str) -> None:
    api, make = CMEK[short]
    make(KEY_HERE, enabled(api))


def sql_disk_size_fought() -> None:
    settings = {"tier": "db-custom-2-7680", "edition": "ENTERPRISE", "disk_size": 100, "disk_autoresize": True}
    gcp.sql.DatabaseInstance(
        "db", region=REGION, database_version="POSTGRES_15", settings=settings, opts=enabled("sqladmin.googleapis.com")
    )


def sql_replica_backups() -> None:
    settings = {"tier": "db-custom-2-7680", "edition": "ENTERPRISE", "backup_configuration": {"enabled": True}}
    gcp.sql.DatabaseInstance(
        "replica",
        region=REGION,
        database_version="POSTGRES_15",
        master_instance_name="primary",
        settings=settings,
        opts=enabled("sqladmin.googleapis.com"),
    )


def sql_tier_edition() -> None:
    settings = {"tier": "db-perf-optimized-N-4", "edition": "ENTERPRISE"}
    gcp.sql.DatabaseInstance(
        "db", region=REGION, database_version="POSTGRES_15", settings=settings, opts=enabled("sqladmin.googleapis.com")
    )


def sql_database_dropped() -> None:
    gcp.sql.Database("database", instance="db", name="app")


def _policy(
    name: str, opts: pulumi.ResourceOptions, subnetwork: pulumi.Input[str] | None = None
) -> gcp.networkconnectivity.ServiceConnectionPolicy:
    return gcp.networkconnectivity.ServiceConnectionPolicy(
        name,
        location=REGION,
        service_class="gcp-memorystore-redis",
        network=NETWORK,
        psc_config={"subnetworks": [subnetwork]} if subnetwork else None,
        opts=opts,
    )


def redis_node_ports_blocked() -> None:
    subnet = gcp.compute.Subnetwork("cache", region=REGION, network=NETWORK, ip_cidr_range="10.0.22.0/23")
    policy = _policy("policy", enabled("networkconnectivity.googleapis.com"), subnet.id)
    egress = {"network": NETWORK, "direction": "EGRESS", "destination_ranges": ["10.0.22.0/23"]}
    rules = [
        gcp.compute.Firewall("to-cache", priority=1000, allows=[{"protocol": "tcp", "ports": ["6379"]}], **egress),
        gcp.compute.Firewall("deny-rest", priority=65000, denies=[{"protocol": "all"}], **egress),
    ]
    gcp.redis.Cluster(
        "redis",
        region=REGION,
        shard_count=1,
        psc_configs=[{"network": NETWORK}],
        opts=enabled("redis.googleapis.com", after=[policy, *rules]),
    )


def redis_without_connection_policy() -> None:
    gcp.redis.Cluster(
        "redis", region=REGION, shard_count=1, psc_configs=[{"network": NETWORK}], opts=enabled("redis.googleapis.com")
    )


def second_connection_policy() -> None:
    first = _policy("first", enabled("networkconnectivity.googleapis.com"))
    _policy("second", pulumi.ResourceOptions(depends_on=[first]))


def log_bucket_id_reused() -> None:
    gcp.logging.ProjectBucketConfig(
        "logs", project="p", location=REGION, bucket_id="flow-logs", opts=enabled("logging.googleapis.com")
    )


def bucket_not_emptied() -> None:
    gcp.storage.Bucket("bucket", location="US-EAST1", force_destroy=False, opts=enabled("storage.googleapis.com"))


def peering_left_behind() -> None:
    gcp.servicenetworking.Connection(
        "psa",
        network=NETWORK,
        service="servicenetworking.googleapis.com",
        reserved_peering_ranges=["range"],
        deletion_policy="ABANDON",
        opts=enabled("servicenetworking.googleapis.com"),
    )


def _key(**durations: str) -> None:
    gcp.kms.CryptoKey("key", key_ring=f"projects/p/locations/{REGION}/keyRings/ring", **durations)


VIOLATIONS: dict[str, Callable[[], None]] = {
    **{f"gcp-api-{api.split('.')[0]}-enabled": partial(without_api, type_token) for type_token, api in API_OF.items()},
    **{f"gcp-{short}-cmek-key-location": partial(cmek_key_elsewhere, short) for short in CMEK},
    **{f"gcp-{short}-cmek-key-granted": partial(cmek_key_not_granted, short) for short in CMEK},
    "gcp-sql-disk-size-ignored": sql_disk_size_fought,
    "gcp-sql-replica-backups": sql_replica_backups,
    "gcp-sql-tier-edition": sql_tier_edition,
    "gcp-sql-database-abandoned": sql_database_dropped,
    "gcp-redis-cluster-node-ports": redis_node_ports_blocked,
    "gcp-redis-cluster-connection-policy": redis_without_connection_policy,
    "gcp-connection-policy-unique": second_connection_policy,
    "gcp-log-bucket-id-reserved": log_bucket_id_reused,
    "gcp-bucket-destroyable": bucket_not_emptied,
    "gcp-psa-connection-destroyable": peering_left_behind,
    "gcp-kms-rotation-period": partial(_key, rotation_period="3600s"),
    "gcp-kms-destroy-scheduled-duration": partial(_key, destroy_scheduled_duration="3600s"),
}
