"""GCP CacheCluster: Memorystore for Redis Cluster behind Private Service Connect endpoints in the
cache subnetwork, IAM-authenticated, TLS in transit, encrypted at rest with the cache key."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_gcp as gcp

from bettafish.config.cache import Cache
from bettafish.config.catalog import resolve
from components.base import sibling
from components.cache_cluster import CacheCluster, CacheClusterArgs
from providers.gcp.agents import grant_key_use, service_identity
from providers.gcp.keys import GcpKeys, duration
from providers.gcp.project import (
    NETWORK_CONNECTIVITY,
    REDIS,
    SERVICE_CONSUMER_MANAGEMENT,
    enable_apis,
    require_project,
)
from providers.gcp.vpc import GcpVpc

SERVICE_CLASS = "gcp-memorystore-redis"
"""The service class Memorystore for Redis Cluster connects through (service connection policy)."""

RDB_SNAPSHOT_PERIOD = "ONE_HOUR"
"""RDB persistence snapshots, the shortest period Memorystore offers: a node restart loses at most
an hour of writes. The daily backups (``snapshots``) are separate and kept for days."""

_DAYS = {
    "mon": "MONDAY",
    "tue": "TUESDAY",
    "wed": "WEDNESDAY",
    "thu": "THURSDAY",
    "fri": "FRIDAY",
    "sat": "SATURDAY",
    "sun": "SUNDAY",
}


class GcpCacheCluster(CacheCluster):
    """Children: the Memorystore for Redis, Network Connectivity and Service Consumer Management
    APIs; a ``networkconnectivity.ServiceConnectionPolicy`` for the Memorystore service class on
    the Vpc's cache subnetwork (Memorystore creates its PSC endpoints there, not in the private
    services access range); the Memorystore agent (``projects.ServiceIdentity``: a fresh project
    has none until it is created) and its grant on the cache key; the ``redis.Cluster``.

    Clients reach the endpoints on 6379 and the nodes' ports 11000-13047, which the Vpc's egress
    rule of every flow to the cache opens (``providers.gcp.firewall``).

    The cluster: ``shards`` shards of the catalog's node type with ``replicasPerShard`` replicas
    each, spread over the region's zones when ``multiAz`` (failover to a replica is automatic),
    IAM authentication (clients present an access token as the AUTH password; no static token
    exists, so ``auth_token`` is not used on GCP), TLS with server authentication, the configured
    ``maxmemory-policy``, RDB persistence, automated backups kept ``snapshots.retentionDays`` days
    starting at the snapshot window's hour, the weekly maintenance window, deletion protection in
    protected stacks. Memorystore reserves part of each node for overhead itself and takes no
    ``reservedMemoryPercent``.

    Extra attributes: ``cluster``, ``connection_policy``.
    """

    def __init__(self, name: str, args: CacheClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        cache, ctx = args.cache, args.context
        project, region, labels = require_project(ctx), ctx.provider.region, ctx.tags("cache")
        vpc, key = sibling(args.vpc, GcpVpc), sibling(args.keys, GcpKeys).keys["cache"]
        apis = enable_apis(self, name, project, REDIS, NETWORK_CONNECTIVITY, SERVICE_CONSUMER_MANAGEMENT)

        self.connection_policy = gcp.networkconnectivity.ServiceConnectionPolicy(
            f"{name}-psc-policy",
            project=project,
            location=region,
            service_class=SERVICE_CLASS,
            network=vpc.network.id,
            psc_config={"subnetworks": [vpc.subnetworks["cache"].id]},
            description="Memorystore for Redis Cluster endpoints go to the cache subnetwork",
            labels=labels,
            opts=self.child(depends_on=[apis[NETWORK_CONNECTIVITY]]),
        )
        agent = service_identity(self, f"{name}-redis-agent", project, REDIS, apis[REDIS])
        key_grant = grant_key_use(self, f"{name}-redis-key-user", key, agent)
        zones = args.vpc.zones
        self.cluster = gcp.redis.Cluster(
            f"{name}-redis",
            project=project,
            region=region,
            shard_count=cache.shards,
            replica_count=cache.replicas_per_shard,
            node_type=resolve("cache", "gcp", cache.size).type,
            zone_distribution_config=(
                {"mode": "MULTI_ZONE"}
                if cache.multi_az
                else {"mode": "SINGLE_ZONE", "zone": zones.apply(lambda names: names[0])}
            ),
            authorization_mode="AUTH_MODE_IAM_AUTH",
            transit_encryption_mode="TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION",
            psc_configs=[{"network": vpc.network.id}],
            redis_configs={"maxmemory-policy": cache.max_memory_policy},
            persistence_config={"mode": "RDB", "rdb_config": {"rdb_snapshot_period": RDB_SNAPSHOT_PERIOD}},
            automated_backup_config=automated_backups(cache),
            maintenance_policy=maintenance_policy(cache.maintenance_window),
            kms_key=key.id,
            deletion_protection_enabled=ctx.protect_stateful,
            labels=labels,
            opts=self.child(
                stateful=True,
                # The firewall rules its clients need exist before the cluster is handed out.
                depends_on=[
                    self.connection_policy,
                    key_grant,
                    apis[REDIS],
                    apis[SERVICE_CONSUMER_MANAGEMENT],
                    *vpc.firewalls,
                ],
            ),
        )

        self._publish(
            endpoints=self.cluster.discovery_endpoints.apply(lambda found: [e.address for e in found or []]),
            port=pulumi.Output.from_input(cache.port),
            tls_enabled=pulumi.Output.from_input(True),
        )


def automated_backups(cache: Cache) -> dict[str, Any] | None:
    """Daily backups at the snapshot window's start hour, kept ``retentionDays``; none for 0."""
    days = cache.snapshots.retention_days
    if days == 0:
        return None
    hour = int(cache.snapshots.window.split(":")[0])
    return {"retention": duration(days), "fixed_frequency_schedule": {"start_time": {"hours": hour}}}


def maintenance_policy(weekly: str) -> dict[str, Any]:
    """``sun:06:00-sun:07:00`` -> Sunday 06:00 UTC; Memorystore's window always lasts one hour."""
    day, hours, minutes = weekly.split("-")[0].split(":")
    return {
        "weekly_maintenance_windows": [
            {"day": _DAYS[day], "start_time": {"hours": int(hours), "minutes": int(minutes)}}
        ]
    }
