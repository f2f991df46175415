"""The components a later component builds on, each built as ``bettafish.platform`` builds it,
for contract suites of components that need the whole platform below them."""

from __future__ import annotations

from dataclasses import dataclass

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
    KubeCluster,
    KubeClusterArgs,
    ObjectStore,
    ObjectStoreArgs,
    OperationsArgs,
    PostgresCluster,
    PostgresClusterArgs,
    Vpc,
    Workloads,
    WorkloadsArgs,
)
from providers import implementation
from tests.contract.test_data_tier import CONTRACT_TOKEN, keys, vpc


@dataclass(frozen=True)
class Platform:
    keys: Keys
    vpc: Vpc
    cluster: KubeCluster
    database: PostgresCluster
    cache: CacheCluster
    store: ObjectStore
    dns: Dns


def platform(config: StackConfig, context: DeployContext) -> Platform:
    cloud, stack_keys = config.cloud, keys(config, context)
    network = vpc(config, context, stack_keys)
    retention = config.monitoring.log_retention
    return Platform(
        keys=stack_keys,
        vpc=network,
        cluster=implementation(cloud, KubeCluster)(
            "dep-k8s", KubeClusterArgs(config.kubernetes, network, stack_keys, retention.application_days, context)
        ),
        database=implementation(cloud, PostgresCluster)(
            "dep-db", PostgresClusterArgs(config.database, network, stack_keys, retention.database_days, context)
        ),
        cache=implementation(cloud, CacheCluster)(
            "dep-cache",
            CacheClusterArgs(
                config.cache,
                pulumi.Output.secret(CONTRACT_TOKEN),
                network,
                stack_keys,
                retention.database_days,
                context,
            ),
        ),
        store=implementation(cloud, ObjectStore)(
            "dep-store", ObjectStoreArgs(config.storage, network, stack_keys, context)
        ),
        dns=implementation(cloud, Dns)(
            "dep-dns",
            DnsArgs(
                dns=config.edge.dns,
                key_deletion_window_days=config.encryption.key_deletion_window_days,
                context=context,
            ),
        ),
    )


def workloads_args(config: StackConfig, context: DeployContext, below: Platform) -> WorkloadsArgs:
    return WorkloadsArgs(
        services=config.services,
        kubernetes=config.kubernetes,
        network=config.network,
        cache_config=config.cache,
        edge=config.edge,
        cluster=below.cluster,
        vpc=below.vpc,
        keys=below.keys,
        database=below.database,
        cache=below.cache,
        store=below.store,
        dns=below.dns,
        context=context,
        registry=config.registry,
    )


def workloads(config: StackConfig, context: DeployContext, below: Platform) -> Workloads:
    # Workloads declares its cloud hooks abstract; implementation() returns the concrete class.
    cls = implementation(config.cloud, Workloads)  # type: ignore[type-abstract]
    return cls("dep-apps", workloads_args(config, context, below))


def cdn_args(config: StackConfig, context: DeployContext, below: Platform) -> CdnArgs:
    return CdnArgs(
        edge=config.edge,
        dns=below.dns,
        workloads=workloads(config, context, below),
        health_check=config.services.api_gateway.health_check,
        keys=below.keys,
        store=below.store,
        log_retention_days=config.monitoring.log_retention.load_balancer_days,
        context=context,
    )


def operations_args(config: StackConfig, context: DeployContext) -> OperationsArgs:
    """Operations over the whole platform below it, the cloud's own Cdn included."""
    below = platform(config, context)
    edge_args = cdn_args(config, context, below)
    return OperationsArgs(
        monitoring=config.monitoring,
        budget=config.budget,
        disaster_recovery=config.disaster_recovery,
        dr_region=config.database.cross_region_copy.target(config.cloud),
        vpc=below.vpc,
        keys=below.keys,
        cluster=below.cluster,
        database=below.database,
        cache=below.cache,
        store=below.store,
        workloads=edge_args.workloads,
        cdn=implementation(config.cloud, Cdn)("dep-edge", edge_args),
        context=context,
    )
