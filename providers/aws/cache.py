"""AWS CacheCluster: an ElastiCache for Redis OSS replication group in the isolated database subnets,
encrypted at rest with the cache key and in transit (TLS required), behind an AUTH token."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from bettafish.config.cache import Cache
from bettafish.config.catalog import resolve
from components.base import sibling
from components.cache_cluster import CacheCluster, CacheClusterArgs
from providers.aws.keys import AwsKeys
from providers.aws.lifetime import final_snapshot_name
from providers.aws.postgres.credentials import RECOVERY_WINDOW_DAYS
from providers.aws.vpc import AwsVpc

AUTH_TOKEN_UPDATE_STRATEGIES = {"rotate": "ROTATE", "set": "SET"}
"""``cache.authTokenUpdate`` -> ``auth_token_update_strategy``. Rotation is two updates in place:
``rotate`` with a new token adds it beside the old one (clients move over), then ``set`` with the
same token drops the old one (the provider sends a changed strategy with the token). ElastiCache
never replaces the group for a new token; DELETE (AUTH off) is never offered."""


def clustered(cache: Cache) -> bool:
    """Cluster mode (sharded, configuration endpoint) unless the config is one shard without failover.

    ElastiCache refuses cluster mode without automatic failover, and failover needs a replica; a
    single shard without failover is therefore a plain primary (+ replicas) group.
    """
    return cache.shards > 1 or cache.automatic_failover


class AwsCacheCluster(CacheCluster):
    """Children: ``elasticache.SubnetGroup`` (database subnets), ``elasticache.ParameterGroup``
    (redis7: cluster mode, eviction policy, reserved memory), a ``cloudwatch.LogGroup`` for the
    slow log (encrypted with the logs key), the ``elasticache.ReplicationGroup``, the
    ``random.RandomId`` that makes its final snapshot's name unique per lifetime of the stack, and
    the AUTH token's ``secretsmanager.Secret`` (encrypted with the cache key) and ``SecretVersion``.

    The token is kept in Secrets Manager so that clients read it with their own identity: it never
    travels through a Kubernetes Secret. The secret is not protected: the stack config holds the
    token, and every ``up`` writes it again.

    Extra attributes: ``replication_group``, ``subnet_group``, ``parameter_group``, ``slow_log``,
    ``auth_token_secret`` (``{"authToken": …}``), ``node_ids`` (each node's cache cluster id).
    """

    def __init__(self, name: str, args: CacheClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        cache, ctx = args.cache, args.context
        if args.auth_token is None:
            raise ValueError(f"{name}: ElastiCache needs the Redis AUTH token (bettafish:redisAuthToken)")
        vpc, keys = sibling(args.vpc, AwsVpc), sibling(args.keys, AwsKeys)
        tags = ctx.tags("cache")
        cluster_mode = clustered(cache)
        major = cache.engine_version.split(".")[0]

        self.subnet_group = aws.elasticache.SubnetGroup(
            f"{name}-subnets",
            description=f"BettaFish {name}: the isolated database subnets",
            subnet_ids=[s.id for s in vpc.subnets["database"]],
            tags=tags,
            opts=self.child(),
        )
        self.parameter_group = aws.elasticache.ParameterGroup(
            f"{name}-params",
            family=f"redis{major}",
            description=f"BettaFish {name}: cluster mode, eviction and reserved memory",
            parameters=[
                aws.elasticache.ParameterGroupParameterArgs(
                    name="cluster-enabled", value="yes" if cluster_mode else "no"
                ),
                aws.elasticache.ParameterGroupParameterArgs(name="maxmemory-policy", value=cache.max_memory_policy),
                aws.elasticache.ParameterGroupParameterArgs(
                    name="reserved-memory-percent", value=str(cache.reserved_memory_percent)
                ),
            ],
            tags=tags,
            opts=self.child(),
        )
        self.slow_log = aws.cloudwatch.LogGroup(
            f"{name}-slow-log",
            name=f"/bettafish/{name}/redis-slow-log",
            retention_in_days=args.log_retention_days,
            kms_key_id=keys.keys["logs"].arn,
            tags=tags,
            opts=self.child(),
        )
        shape = (
            {"num_node_groups": cache.shards, "replicas_per_node_group": cache.replicas_per_shard}
            if cluster_mode
            else {"num_cache_clusters": 1 + cache.replicas_per_shard}
        )
        self.replication_group = aws.elasticache.ReplicationGroup(
            f"{name}-redis",
            description=f"BettaFish {name}: Redis {cache.engine_version}",
            engine="redis",
            engine_version=cache.engine_version,
            auto_minor_version_upgrade=True,
            node_type=resolve("cache", "aws", cache.size).type,
            cluster_mode="enabled" if cluster_mode else "disabled",
            **shape,
            port=cache.port,
            parameter_group_name=self.parameter_group.name,
            subnet_group_name=self.subnet_group.name,
            security_group_ids=[vpc.security_groups["cache"].id],
            automatic_failover_enabled=cache.automatic_failover,
            multi_az_enabled=cache.multi_az,
            at_rest_encryption_enabled=True,
            kms_key_id=keys.keys["cache"].arn,
            transit_encryption_enabled=True,
            transit_encryption_mode="required",
            auth_token=pulumi.Output.secret(args.auth_token),
            auth_token_update_strategy=AUTH_TOKEN_UPDATE_STRATEGIES[cache.auth_token_update],
            snapshot_retention_limit=cache.snapshots.retention_days,
            snapshot_window=cache.snapshots.window,
            maintenance_window=cache.maintenance_window,
            final_snapshot_identifier=final_snapshot_name(self, name),
            log_delivery_configurations=[
                aws.elasticache.ReplicationGroupLogDeliveryConfigurationArgs(
                    destination=self.slow_log.name,
                    destination_type="cloudwatch-logs",
                    log_format="json",
                    log_type="slow-log",
                )
            ],
            tags=tags,
            opts=self.child(stateful=True),
        )
        self.auth_token_secret = aws.secretsmanager.Secret(
            f"{name}-auth-token",
            description=f"BettaFish {name}: the Redis AUTH token",
            kms_key_id=keys.keys["cache"].arn,
            # Autonamed: a deleted secret's name stays taken for its recovery window.
            recovery_window_in_days=RECOVERY_WINDOW_DAYS if ctx.protect_stateful else 0,
            tags=tags,
            opts=self.child(),
        )
        token_document: pulumi.Output[str] = pulumi.Output.secret(
            pulumi.Output.from_input(args.auth_token).apply(lambda token: json.dumps({"authToken": token}))
        )
        aws.secretsmanager.SecretVersion(
            f"{name}-auth-token",
            secret_id=self.auth_token_secret.id,
            secret_string=token_document,
            opts=self.child(),
        )
        # ElastiCache names each node's cluster <group>-<shard 4 digits>-<node 3 digits> in cluster mode,
        # <group>-<node 3 digits> otherwise; per-node metrics (memory) carry that CacheClusterId.
        nodes = [
            (f"{shard:04d}-{node:03d}" if cluster_mode else f"{node:03d}")
            for shard in range(1, (cache.shards if cluster_mode else 1) + 1)
            for node in range(1, cache.replicas_per_shard + 2)
        ]
        self.node_ids: list[pulumi.Output[str]] = [
            self.replication_group.id.apply(lambda group, n=n: f"{group}-{n}") for n in nodes
        ]
        group = self.replication_group
        endpoint = group.configuration_endpoint_address if cluster_mode else group.primary_endpoint_address
        self._publish(
            endpoints=pulumi.Output.all(endpoint),
            port=group.port,
            tls_enabled=group.transit_encryption_enabled,
        )
