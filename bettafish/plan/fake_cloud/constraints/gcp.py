"""GCP: what the real API refuses that the SDK's types allow (see the package docstring), what a
second ``pulumi up`` would replace, and what ``destroy`` then ``up`` of an unprotected stack hits.
Customer-managed encryption is in ``gcp_cmek``."""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network
from typing import TYPE_CHECKING, Any

from bettafish.plan.fake_cloud.constraints import Constraint, gcp_cmek, ignores, registered, upstream, value, waits_for

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

SQL = "gcp:sql/databaseInstance:DatabaseInstance"
REDIS_CLUSTER = "gcp:redis/cluster:Cluster"
POLICY = "gcp:networkconnectivity/serviceConnectionPolicy:ServiceConnectionPolicy"
MEMORYSTORE_CLASS = "gcp-memorystore-redis"
REDIS_PORTS = (6379, range(11000, 13048))
"""The discovery port and the nodes' ports of Memorystore for Redis Cluster."""

API_OF: dict[str, str] = {
    "gcp:compute/network:Network": "compute.googleapis.com",
    "gcp:servicenetworking/connection:Connection": "servicenetworking.googleapis.com",
    "gcp:kms/keyRing:KeyRing": "cloudkms.googleapis.com",
    SQL: "sqladmin.googleapis.com",
    "gcp:secretmanager/secret:Secret": "secretmanager.googleapis.com",
    REDIS_CLUSTER: "redis.googleapis.com",
    POLICY: "networkconnectivity.googleapis.com",
    "gcp:logging/projectBucketConfig:ProjectBucketConfig": "logging.googleapis.com",
    "gcp:storage/bucket:Bucket": "storage.googleapis.com",
}
"""The first resource of each Google API the platform calls, and that API."""


def _api_disabled(api: str) -> Any:
    def refuses(resource: RecordedResource, before: Sequence[RecordedResource]) -> bool:
        return not any(
            r.type == "gcp:projects/service:Service" and r.inputs.get("service") == api
            for r in upstream(resource, before)
        )

    return refuses


def _disk_size_fought(sql: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    autoresize = value(sql.inputs, "settings.diskAutoresize", True)  # Cloud SQL's default is on
    return (
        bool(autoresize)
        and value(sql.inputs, "settings.diskSize") is not None
        and not ignores(sql, "settings.diskSize")
    )


def _replica_backups(sql: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return bool(sql.inputs.get("masterInstanceName")) and bool(
        value(sql.inputs, "settings.backupConfiguration.enabled")
    )


_EDITION_OF_SERIES = {"db-perf-optimized-": "ENTERPRISE_PLUS", "db-c4a-": "ENTERPRISE_PLUS", "db-custom-": "ENTERPRISE"}


def _tier_edition(sql: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    tier, edition = str(value(sql.inputs, "settings.tier", "")), value(sql.inputs, "settings.edition")
    wanted = next((e for series, e in _EDITION_OF_SERIES.items() if tier.startswith(series)), None)
    return wanted is not None and edition is not None and edition != wanted


def _ports(specs: list[Any]) -> set[int]:
    out: set[int] = set()
    for spec in specs:
        low, _, high = str(spec).partition("-")
        out |= set(range(int(low), int(high or low) + 1))
    return out


def _covers(rule: RecordedResource, subnet: IPv4Network) -> bool:
    return any(IPv4Network(r).overlaps(subnet) for r in rule.inputs.get("destinationRanges", []))


def _policy_subnets(cluster: RecordedResource, before: Sequence[RecordedResource]) -> list[IPv4Network]:
    """The cache subnetworks where the cluster's PSC endpoints go, by its connection policy."""
    network = value(cluster.inputs, "pscConfigs", [{}])[0].get("network")
    ids = [
        subnet
        for p in registered(before, POLICY)
        if p.inputs.get("network") == network and p.inputs.get("serviceClass") == MEMORYSTORE_CLASS
        for subnet in value(p.inputs, "pscConfig.subnetworks", [])
    ]
    subnets = registered(before, "gcp:compute/subnetwork:Subnetwork")
    return [IPv4Network(s.inputs["ipCidrRange"]) for s in subnets if s.id in ids]


def _node_ports_blocked(cluster: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """A client allowed to the discovery port by an egress rule is not allowed to the nodes' ports,
    and a deny egress rule keeps them closed."""
    network = value(cluster.inputs, "pscConfigs", [{}])[0].get("network")
    egress = [
        f
        for f in registered(before, "gcp:compute/firewall:Firewall")
        if f.inputs.get("network") == network and f.inputs.get("direction") == "EGRESS"
    ]
    needed = {REDIS_PORTS[0], *REDIS_PORTS[1]}
    for subnet in _policy_subnets(cluster, before):
        denies = [f for f in egress if f.inputs.get("denies") and _covers(f, subnet)]
        for allow in (f for f in egress if f.inputs.get("allows") and _covers(f, subnet)):
            opened = _ports([p for a in allow.inputs["allows"] for p in a.get("ports", [])])
            if REDIS_PORTS[0] in opened and not needed <= opened and denies:
                return True
    return False


def _no_connection_policy(cluster: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    network = value(cluster.inputs, "pscConfigs", [{}])[0].get("network")
    waited = waits_for(cluster, before)
    return not any(
        p.urn in waited
        and p.inputs.get("network") == network
        and p.inputs.get("location") == cluster.inputs.get("region")
        and p.inputs.get("serviceClass") == MEMORYSTORE_CLASS
        for p in registered(before, POLICY)
    )


def _second_policy(policy: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    triple = ("network", "location", "serviceClass")
    return any(all(p.inputs.get(k) == policy.inputs.get(k) for k in triple) for p in registered(before, POLICY))


def _log_bucket_id_reused(bucket: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """An unprotected log bucket whose id does not come from a random suffix made with it."""
    return not bucket.protect and not any("random:index/" in dep for dep in bucket.dependencies)


def _bucket_not_emptied(bucket: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return not bucket.protect and bucket.inputs.get("forceDestroy") is not True


def _peering_left_behind(connection: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return not connection.protect and connection.inputs.get("deletionPolicy") != "REMOVE_PEERING"


def _database_dropped(database: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return database.inputs.get("deletionPolicy") != "ABANDON"


def _seconds(duration: Any) -> int | None:
    text = str(duration or "")
    return int(float(text.removesuffix("s"))) if text.endswith("s") else None


def _rotation_too_short(key: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    seconds = _seconds(key.inputs.get("rotationPeriod"))
    return seconds is not None and seconds < 86400


def _destroy_delay_out_of_bounds(key: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    seconds = _seconds(key.inputs.get("destroyScheduledDuration"))
    return seconds is not None and not 86400 <= seconds <= 120 * 86400


def api_rows(api_of: dict[str, str]) -> tuple[Constraint, ...]:
    """One ``gcp-api-<api>-enabled`` row per (first resource type, Google API) of ``api_of``."""
    return tuple(
        Constraint(
            id=f"gcp-api-{api.split('.')[0]}-enabled",
            type=type_token,
            refuses=_api_disabled(api),
            error=f"SERVICE_DISABLED: {api} has not been used in project before or it is disabled (a fresh"
            f" project lacks it: the resource must depend on a projects.Service enabling {api})",
            doc="https://cloud.google.com/service-usage/docs/enable-disable",
        )
        for type_token, api in api_of.items()
    )


_API_ROWS = api_rows(API_OF)

CONSTRAINTS: tuple[Constraint, ...] = (
    *_API_ROWS,
    *gcp_cmek.CONSTRAINTS,
    Constraint(
        id="gcp-sql-disk-size-ignored",
        type=SQL,
        refuses=_disk_size_fought,
        error="with disk_autoresize, a fixed disk_size makes the next update shrink the grown disk, which the"
        " provider does by replacing the instance: ignore changes to settings.diskSize",
        doc="https://www.pulumi.com/registry/packages/gcp/api-docs/sql/databaseinstance/",
    ),
    Constraint(
        id="gcp-sql-replica-backups",
        type=SQL,
        refuses=_replica_backups,
        error="a read replica takes no backup configuration of its own: backups and point-in-time recovery"
        " belong to the primary",
        doc="https://cloud.google.com/sql/docs/postgres/replication",
    ),
    Constraint(
        id="gcp-sql-tier-edition",
        type=SQL,
        refuses=_tier_edition,
        error="Invalid Tier for the Edition: db-perf-optimized-N-* and C4A tiers exist only in ENTERPRISE_PLUS,"
        " db-custom-* tiers only in ENTERPRISE",
        doc="https://cloud.google.com/sql/docs/postgres/editions-intro",
    ),
    Constraint(
        id="gcp-sql-database-abandoned",
        type="gcp:sql/database:Database",
        refuses=_database_dropped,
        error="Error 400: Invalid request: failed to delete database. Detail: pq: database is being accessed by"
        " other users (the instance's deletion takes the database along: deletion_policy ABANDON)",
        doc="https://github.com/hashicorp/terraform-provider-google/issues/12968",
    ),
    Constraint(
        id="gcp-redis-cluster-node-ports",
        type=REDIS_CLUSTER,
        refuses=_node_ports_blocked,
        error="clients are redirected to the nodes' ports: for all of the cluster's Private Service Connect"
        " endpoints you must allow TCP port 6379, as well as TCP ports 11000 through 13047",
        doc="https://cloud.google.com/memorystore/docs/cluster/connect-cluster-instance",
    ),
    Constraint(
        id="gcp-redis-cluster-connection-policy",
        type=REDIS_CLUSTER,
        refuses=_no_connection_policy,
        error="the network used here must match the network of a service connection policy for"
        " gcp-memorystore-redis in the region, otherwise the create operation fails",
        doc="https://cloud.google.com/memorystore/docs/cluster/networking",
    ),
    Constraint(
        id="gcp-connection-policy-unique",
        type=POLICY,
        refuses=_second_policy,
        error="a network holds one service connection policy per region and service class",
        doc="https://cloud.google.com/vpc/docs/about-service-connection-policies",
    ),
    Constraint(
        id="gcp-log-bucket-id-reserved",
        type="gcp:logging/projectBucketConfig:ProjectBucketConfig",
        refuses=_log_bucket_id_reused,
        error="a deleted log bucket stays in DELETE_REQUESTED for 7 days and its id cannot be used meanwhile:"
        " destroy then up fails with 'bucket already exists' unless the id is unique per lifetime",
        doc="https://cloud.google.com/logging/docs/buckets#delete_bucket",
    ),
    Constraint(
        id="gcp-bucket-destroyable",
        type="gcp:storage/bucket:Bucket",
        refuses=_bucket_not_emptied,
        error="Error 409: The bucket you tried to delete is not empty (an unprotected bucket needs force_destroy"
        " for a destroy to go through)",
        doc="https://cloud.google.com/storage/docs/deleting-buckets",
    ),
    Constraint(
        id="gcp-psa-connection-destroyable",
        type="gcp:servicenetworking/connection:Connection",
        refuses=_peering_left_behind,
        error="Failed to delete connection; Producer services (e.g. CloudSQL, Cloud Memstore, etc.) are still"
        " using this connection; with ABANDON the peering stays and blocks the network's deletion"
        " (REMOVE_PEERING where nothing is protected)",
        doc="https://www.pulumi.com/registry/packages/gcp/api-docs/servicenetworking/connection/",
    ),
    Constraint(
        id="gcp-kms-rotation-period",
        type="gcp:kms/cryptoKey:CryptoKey",
        refuses=_rotation_too_short,
        error="rotation_period must be greater than a day (86400s)",
        doc="https://cloud.google.com/kms/docs/key-rotation",
    ),
    Constraint(
        id="gcp-kms-destroy-scheduled-duration",
        type="gcp:kms/cryptoKey:CryptoKey",
        refuses=_destroy_delay_out_of_bounds,
        error="destroy_scheduled_duration must be between 24 hours and 120 days",
        doc="https://cloud.google.com/kms/docs/destroy-restore",
    ),
)
