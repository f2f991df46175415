"""The one place that wires components together, in dependency order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi

from bettafish.config import StackConfig
from components import (
    CacheCluster,
    CacheClusterArgs,
    Cdn,
    CdnArgs,
    DeployContext,
    Dns,
    DnsArgs,
    Keys,
    KeysArgs,
    KubeCluster,
    KubeClusterArgs,
    ObjectStore,
    ObjectStoreArgs,
    Operations,
    OperationsArgs,
    PostgresCluster,
    PostgresClusterArgs,
    Vpc,
    VpcArgs,
    Workloads,
    WorkloadsArgs,
)
from providers import implementation


@dataclass(frozen=True)
class StackSecrets:
    """Secret config values, kept as Pulumi secrets end to end."""

    redis_auth_token: pulumi.Output[str] | None


def build_platform(config: StackConfig, secrets: StackSecrets) -> dict[str, Any]:
    """Create the platform for ``config.cloud`` and return the stack outputs to export."""
    context = DeployContext(
        identity=config.identity,
        cloud=config.cloud,
        provider=config.provider,
        protect_stateful=config.protect_stateful,
    )
    cloud, prefix = config.cloud, config.identity.prefix
    log_days = config.monitoring.log_retention.database_days
    keys = implementation(cloud, Keys)(
        f"{prefix}-keys",
        KeysArgs(
            encryption=config.encryption, dr_region=config.database.cross_region_copy.target(cloud), context=context
        ),
    )
    vpc = implementation(cloud, Vpc)(
        f"{prefix}-net",
        VpcArgs(
            network=config.network,
            keys=keys,
            context=context,
            pod_cidr=config.kubernetes.pod_cidr,
            service_cidr=config.kubernetes.service_cidr,
        ),
    )
    cluster = implementation(cloud, KubeCluster)(
        f"{prefix}-k8s",
        KubeClusterArgs(
            kubernetes=config.kubernetes,
            vpc=vpc,
            keys=keys,
            log_retention_days=config.monitoring.log_retention.application_days,
            context=context,
        ),
    )
    database = implementation(cloud, PostgresCluster)(
        f"{prefix}-db",
        PostgresClusterArgs(database=config.database, vpc=vpc, keys=keys, log_retention_days=log_days, context=context),
    )
    cache = implementation(cloud, CacheCluster)(
        f"{prefix}-cache",
        CacheClusterArgs(
            cache=config.cache,
            auth_token=secrets.redis_auth_token,
            vpc=vpc,
            keys=keys,
            log_retention_days=log_days,
            context=context,
        ),
    )
    store = implementation(cloud, ObjectStore)(
        f"{prefix}-store", ObjectStoreArgs(storage=config.storage, vpc=vpc, keys=keys, context=context)
    )
    dns = implementation(cloud, Dns)(
        f"{prefix}-dns",
        DnsArgs(
            dns=config.edge.dns,
            key_deletion_window_days=config.encryption.key_deletion_window_days,
            context=context,
        ),
    )
    # Workloads declares its cloud hooks abstract; implementation() returns the concrete class.
    workloads = implementation(cloud, Workloads)(  # type: ignore[type-abstract]
        f"{prefix}-apps",
        WorkloadsArgs(
            services=config.services,
            kubernetes=config.kubernetes,
            network=config.network,
            cache_config=config.cache,
            edge=config.edge,
            cluster=cluster,
            vpc=vpc,
            keys=keys,
            database=database,
            cache=cache,
            store=store,
            dns=dns,
            context=context,
            registry=config.registry,
        ),
    )
    outputs: dict[str, Any] = {
        "zoneNameServers": dns.name_servers,
        "originHost": workloads.origin_host,
        "registryUrl": workloads.registry_url,
        "internalZone": workloads.internal_zone,
    }
    cdn = implementation(cloud, Cdn)(
        f"{prefix}-edge",
        CdnArgs(
            edge=config.edge,
            dns=dns,
            workloads=workloads,
            health_check=config.services.api_gateway.health_check,
            keys=keys,
            store=store,
            log_retention_days=config.monitoring.log_retention.load_balancer_days,
            context=context,
        ),
    )
    outputs |= {
        "cdnEndpoint": cdn.endpoint,
        "cdnDistributionId": cdn.distribution_id,
        "wafPolicyId": cdn.waf_policy_id,
        "apiUrl": cdn.api_url,
    }
    operations = implementation(cloud, Operations)(
        f"{prefix}-ops",
        OperationsArgs(
            monitoring=config.monitoring,
            budget=config.budget,
            disaster_recovery=config.disaster_recovery,
            dr_region=config.database.cross_region_copy.target(cloud),
            vpc=vpc,
            keys=keys,
            cluster=cluster,
            database=database,
            cache=cache,
            store=store,
            workloads=workloads,
            cdn=cdn,
            context=context,
        ),
    )
    outputs |= {
        "notificationTarget": operations.notification_target,
        "alarmNames": operations.alarm_names,
        "dashboard": operations.dashboard,
        "budgetName": operations.budget_name,
    }
    return {
        "cloud": cloud,
        "networkId": vpc.network_id,
        "networkCidr": vpc.cidr,
        "zones": vpc.zones,
        "publicSubnetIds": vpc.public_subnet_ids,
        "privateSubnetIds": vpc.private_subnet_ids,
        "databaseSubnetIds": vpc.database_subnet_ids,
        "keyIds": keys.key_ids,
        "databaseWriterEndpoint": database.writer_endpoint,
        "databaseReaderEndpoints": database.reader_endpoints,
        "databasePort": database.port,
        "databaseName": database.database_name,
        "databaseCredentialsRef": database.credentials_ref,
        "cacheEndpoints": cache.endpoints,
        "cachePort": cache.port,
        "cacheTlsEnabled": cache.tls_enabled,
        "bucketNames": store.bucket_names,
        "bucketUrls": store.bucket_urls,
        "clusterName": cluster.cluster_name,
        "clusterEndpoint": cluster.endpoint,
        "kubeconfig": cluster.kubeconfig,
        "oidcIssuerUrl": cluster.oidc_issuer_url,
        "nodePoolNames": cluster.node_pool_names,
        **outputs,
    }
