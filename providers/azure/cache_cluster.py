"""Azure CacheCluster: Azure Managed Redis (Redis 7.4 on Redis Enterprise), reachable only through a
private endpoint in the VNet's cache subnet, TLS only, encrypted at rest with the cache key.

Azure Managed Redis sets the shard count from its SKU, so the SKU is sized to hold the whole
configured cluster: ``shards`` x the node size (vCPUs and memory), resolved through the catalog.
HA (a replica of every shard, spread over the region's zones) follows ``replicasPerShard``.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import network, privatedns, redisenterprise, resources

from bettafish.config.catalog import resolve
from components.base import sibling
from components.cache_cluster import CacheCluster, CacheClusterArgs
from providers.azure.common import (
    KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
    delete_lock,
    grant,
    private_dns_zone,
    subscription_id,
    user_identity,
)
from providers.azure.keys import AzureKeys
from providers.azure.private_endpoints import REDIS_GROUP, REDIS_ZONE, private_endpoint
from providers.azure.vpc import AzureVpc

EVICTION_POLICIES = {
    "allkeys-lru": "AllKeysLRU",
    "allkeys-lfu": "AllKeysLFU",
    "allkeys-random": "AllKeysRandom",
    "volatile-lru": "VolatileLRU",
    "volatile-lfu": "VolatileLFU",
    "volatile-random": "VolatileRandom",
    "volatile-ttl": "VolatileTTL",
    "noeviction": "NoEviction",
}
DATABASE_NAME = "default"
"""Azure Managed Redis has exactly one database, which must be called ``default``."""
RDB_FREQUENCY = "1h"
"""The most frequent RDB snapshot Azure offers (1h, 6h, 12h) for persistence to the cache's own disk."""
KEY_URL_PATH = "encryption.customerManagedKeyEncryption.keyEncryptionKeyUrl"
"""Where the cluster names its (versioned) customer key."""


class AzureCacheCluster(CacheCluster):
    """Children: ResourceGroup; a user-assigned identity granted Key Vault Crypto Service Encryption
    User on the cache key; the ``redisenterprise.RedisEnterprise`` cluster (stateful, locked where
    stateful resources are protected) and its ``default`` database (stateful); a private endpoint in
    the cache subnet with the ``privatelink.redis.azure.net`` zone, its VNet link and zone group.

    Clients authenticate with Microsoft Entra only (security rule 11): each service's identity gets
    an access policy assignment on the database (``providers.azure.workloads.identity``), and the
    access keys are disabled, so no key exists to leak; the ``redisAuthToken`` secret is AWS's.

    Extra attributes: ``resource_group``, ``cluster``, ``database``, ``endpoint``, ``dns_zone``, ``identity``,
    ``settings`` (its ``bettafish:cache`` config).
    """

    def __init__(self, name: str, args: CacheClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        vpc, keys, cache = sibling(args.vpc, AzureVpc), sibling(args.keys, AzureKeys), args.cache
        self.settings = cache
        self.tags = args.context.tags("cache")
        self.location = args.context.provider.region
        self.resource_group = resources.ResourceGroup(
            f"{name}-rg", location=self.location, tags=self.tags, opts=self.child()
        )
        key = keys.keys["cache"]
        self.identity = user_identity(self, f"{name}-cmk", self.resource_group, self.location, self.tags)
        key_grant = grant(
            self,
            f"{name}-cmk-grant",
            principal_id=self.identity.principal_id,
            role=KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
            scope=key.id,
            subscription=subscription_id(self),
            description="Azure Managed Redis wraps its disk encryption key with this key",
        )
        self.cluster = redisenterprise.RedisEnterprise(
            f"{name}-redis",
            resource_group_name=self.resource_group.name,
            location=self.location,
            sku={"name": resolve("cache", "azure", cache.whole_cluster_size()).type},
            high_availability="Enabled" if cache.replicas_per_shard >= 1 else "Disabled",
            minimum_tls_version="1.2",
            public_network_access="Disabled",
            identity={"type": "UserAssigned", "user_assigned_identities": [self.identity.id]},
            encryption={
                "customer_managed_key_encryption": {
                    "key_encryption_key_identity": {
                        "identity_type": "userAssignedIdentity",
                        "user_assigned_identity_resource_id": self.identity.id,
                    },
                    # Azure Managed Redis takes versioned key URLs only ("versioned only" in its API):
                    # the cache stays on the version it was given, which never expires
                    # (keys.FOLLOWS_NEW_VERSIONS). Key Vault rotates the key every keyRotationDays;
                    # moving the cache to the new version is an operator step (docs/deploying.md),
                    # so a refreshed key URL is no change for `pulumi up` to make.
                    "key_encryption_key_url": key.key_uri_with_version,
                }
            },
            tags=self.tags,
            opts=self.child(stateful=True, depends_on=[key_grant], ignore_changes=[KEY_URL_PATH]),
        )
        delete_lock(self, f"{name}-redis-lock", self.cluster, self.cluster.id, "The platform's Redis cache")
        self.database = redisenterprise.Database(
            f"{name}-database",
            resource_group_name=self.resource_group.name,
            cluster_name=self.cluster.name,
            database_name=DATABASE_NAME,
            client_protocol="Encrypted",
            clustering_policy="OSSCluster",
            eviction_policy=EVICTION_POLICIES[cache.max_memory_policy],
            persistence={"rdb_enabled": True, "rdb_frequency": RDB_FREQUENCY, "aof_enabled": False},
            # Nothing uses keys: the services authenticate with their Entra identities.
            access_keys_authentication="Disabled",
            port=cache.port,
            opts=self.child(stateful=True),
        )
        self.dns_zone, self.endpoint = self._private_endpoint(name, vpc)

        self._publish(
            endpoints=pulumi.Output.all(self.cluster.host_name),
            port=self.database.port.apply(lambda port: port if port is not None else cache.port),
            tls_enabled=pulumi.Output.from_input(True),
        )

    def _private_endpoint(self, name: str, vpc: AzureVpc) -> tuple[privatedns.PrivateZone, network.PrivateEndpoint]:
        """The cache's only way in: a private endpoint in the endpoint subnet whose address the VNet
        resolves through the ``privatelink.redis.azure.net`` zone."""
        zone, _ = private_dns_zone(self, name, REDIS_ZONE, self.resource_group, vpc.vnet.id, self.tags)
        endpoint = private_endpoint(
            self,
            f"{name}-endpoint",
            subnet_id=vpc.endpoint_subnet_id,
            rg=self.resource_group,
            location=self.location,
            target_id=self.cluster.id,
            group=REDIS_GROUP,
            zone=zone,
            tags=self.tags,
        )
        return zone, endpoint
