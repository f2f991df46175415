"""Rules 9-14: Redis on ElastiCache, Memorystore (instance or cluster) and Azure (Managed Redis /
Enterprise, or the classic Azure Cache for Redis)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bettafish.policy.model import Finding, Hit, Resource, Stack, is_set, number
from bettafish.policy.rule import Rule, Setting
from bettafish.policy.rules.common import days, public_subnets
from bettafish.policy.tokens import EC, EC_SUBNETS, MR, MR_CLUSTER, RE, RE_DATABASE, RED, SUBNET

AT_REST = Rule(9, "cache-encrypted-at-rest", "Cache encrypted at rest")


@AT_REST.on(EC)
def _ec_at_rest(cache: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    # Memorystore and Azure encrypt at rest always; ElastiCache only when asked, at creation.
    if cache.get("atRestEncryptionEnabled") is not True:
        yield Finding("atRestEncryptionEnabled", "must be true")
    if not is_set(cache.get("kmsKeyId")):
        yield Finding("kmsKeyId", "must name the stack's customer-managed KMS key")


IN_TRANSIT = Rule(10, "cache-tls", "Cache TLS in transit")


@IN_TRANSIT.on(EC, MR, MR_CLUSTER, RED, RE, RE_DATABASE)
def _cache_tls(cache: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if cache.type == EC:
        if cache.get("transitEncryptionEnabled") is not True:
            yield Finding("transitEncryptionEnabled", "must be true")
        if cache.get("transitEncryptionMode", "required") != "required":
            yield Finding("transitEncryptionMode", 'must be "required" (not "preferred")')
    elif cache.type == MR and cache.get("transitEncryptionMode") != "SERVER_AUTHENTICATION":
        yield Finding("transitEncryptionMode", 'must be "SERVER_AUTHENTICATION"')
    elif (
        cache.type == MR_CLUSTER
        and cache.get("transitEncryptionMode") != "TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION"
    ):
        yield Finding("transitEncryptionMode", 'must be "TRANSIT_ENCRYPTION_MODE_SERVER_AUTHENTICATION"')
    elif cache.type == RED:
        if cache.get("enableNonSslPort") is not False:
            yield Finding("enableNonSslPort", "must be false")
        if cache.get("minimumTlsVersion") != "1.2":
            yield Finding("minimumTlsVersion", 'must be "1.2"')
    elif cache.type == RE and cache.get("minimumTlsVersion") not in ("1.2", "1.3"):
        yield Finding("minimumTlsVersion", 'must be "1.2" or newer')
    elif cache.type == RE_DATABASE and cache.get("clientProtocol") != "Encrypted":
        yield Finding("clientProtocol", 'must be "Encrypted"')


AUTH = Rule(11, "cache-requires-auth", "Cache requires AUTH")


@AUTH.on(EC, MR, MR_CLUSTER, RED, RE_DATABASE)
def _cache_auth(cache: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if cache.type == EC and not (is_set(cache.get("authToken")) or is_set(cache.get("userGroupIds"))):
        yield Finding("authToken", "must be set (a secret AUTH token, or RBAC user groups)")
    elif cache.type == MR and cache.get("authEnabled") is not True:
        yield Finding("authEnabled", "must be true")
    elif cache.type == MR_CLUSTER and cache.get("authorizationMode") != "AUTH_MODE_IAM_AUTH":
        yield Finding("authorizationMode", 'must be "AUTH_MODE_IAM_AUTH"')
    elif cache.type == RED and str(cache.get("redisConfiguration.authnotrequired", "")).lower() in ("true", "yes"):
        yield Finding("redisConfiguration.authnotrequired", "must not turn authentication off")
    elif cache.type == RE_DATABASE and cache.get("accessKeysAuthentication") not in ("Enabled", "Disabled"):
        # Disabled leaves Microsoft Entra authentication only: still authenticated, but say which.
        yield Finding("accessKeysAuthentication", "must be set explicitly (access keys, or Entra ID only)")


PRIVATE = Rule(12, "cache-private", "Cache reached privately only")


@PRIVATE.across(EC, MR, MR_CLUSTER, RED, RE)
def _cache_private(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    public = public_subnets(stack)
    for cache in stack.of_type(EC):
        groups = stack.referenced(cache, "subnetGroupName", EC_SUBNETS)
        if not groups:
            yield Hit(cache, "subnetGroupName", "must name a subnet group of private subnets")
            continue
        for subnet in stack.referenced(groups[0], "subnetIds", SUBNET):
            if subnet.urn in public:
                yield Hit(cache, "subnetGroupName", f"subnet {subnet.name} routes to an internet gateway")
    for cache in stack.of_type(MR):
        if cache.get("connectMode") != "PRIVATE_SERVICE_ACCESS":
            yield Hit(cache, "connectMode", 'must be "PRIVATE_SERVICE_ACCESS"')
    for cache in stack.of_type(MR_CLUSTER):
        if not is_set(cache.get("pscConfigs")):
            yield Hit(cache, "pscConfigs", "must reach the cluster through Private Service Connect")
    for cache in stack.of_type(RED, RE):
        if cache.get("publicNetworkAccess") != "Disabled":
            yield Hit(cache, "publicNetworkAccess", 'must be "Disabled"')


RESILIENT = Rule(
    13,
    "cache-ha-snapshots",
    "Cache HA across zones, with snapshots",
    settings={"minimumSnapshotDays": Setting(7, "days of snapshots kept where the cloud keeps a history (spec: 7)")},
)


@RESILIENT.on(EC, MR, MR_CLUSTER, RED, RE, RE_DATABASE)
def _cache_resilient(cache: Resource, config: Mapping[str, Any]) -> Iterator[Finding]:
    keep = config["minimumSnapshotDays"]
    if cache.type == EC:
        for key in ("automaticFailoverEnabled", "multiAzEnabled"):
            if cache.get(key) is not True:
                yield Finding(key, "must be true")
        kept = number(cache.get("snapshotRetentionLimit"))
        if kept is None or kept < keep:
            yield Finding("snapshotRetentionLimit", f"must be at least {keep} days (got {kept})")
    elif cache.type == MR:
        if cache.get("tier") != "STANDARD_HA":
            yield Finding("tier", 'must be "STANDARD_HA"')
        if cache.get("persistenceConfig.persistenceMode") not in ("RDB", "AOF"):
            yield Finding("persistenceConfig.persistenceMode", "must be RDB or AOF")
    elif cache.type == MR_CLUSTER:
        if (number(cache.get("replicaCount")) or 0) < 1:
            yield Finding("replicaCount", "must be at least 1")
        if cache.get("zoneDistributionConfig.mode") != "MULTI_ZONE":
            yield Finding("zoneDistributionConfig.mode", 'must be "MULTI_ZONE"')
        kept = days(cache.get("automatedBackupConfig.retention"))
        if kept is None or kept < keep:
            yield Finding("automatedBackupConfig.retention", f"must keep backups at least {keep} days")
    elif cache.type == RED:
        if cache.get("sku.name") != "Premium":
            yield Finding("sku.name", 'must be "Premium" (replication, zones, persistence)')
        if len(cache.get("zones") or []) < 2:
            yield Finding("zones", "must span at least two zones")
    elif cache.type == RE and cache.get("highAvailability") != "Enabled":
        yield Finding("highAvailability", 'must be "Enabled" (a replica in another zone)')
    elif cache.type == RE_DATABASE and not (
        cache.get("persistence.rdbEnabled") is True or cache.get("persistence.aofEnabled") is True
    ):
        # Azure Managed Redis keeps no snapshot history: persistence is what survives a restart.
        yield Finding("persistence", "RDB or AOF persistence must be on")


REDIS_7 = Rule(14, "redis-7", "Redis 7")


@REDIS_7.on(EC, MR, RED)
def _redis_7(cache: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    # Memorystore for Redis Cluster and Azure Managed Redis run Redis 7.x only: nothing to check.
    if cache.type == EC and not str(cache.get("engineVersion", "")).startswith("7"):
        yield Finding("engineVersion", f"must be 7.x (got {cache.get('engineVersion') or 'unset'})")
    elif cache.type == MR and not str(cache.get("redisVersion", "")).startswith("REDIS_7"):
        yield Finding("redisVersion", "must be REDIS_7_*")
    elif cache.type == RED:
        yield Finding(
            "redisVersion", "Azure Cache for Redis offers Redis 6 only: use Azure Managed Redis (redisenterprise)"
        )


RULES = (AT_REST, IN_TRANSIT, AUTH, PRIVATE, RESILIENT, REDIS_7)
