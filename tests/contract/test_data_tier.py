"""Contract of the data tier on AWS, GCP and Azure: keys, PostgreSQL, Redis and object storage."""

from __future__ import annotations

import pulumi

from bettafish.config import StackConfig
from components import (
    CacheCluster,
    CacheClusterArgs,
    DeployContext,
    Keys,
    KeysArgs,
    ObjectStore,
    ObjectStoreArgs,
    PostgresCluster,
    PostgresClusterArgs,
    Vpc,
    VpcArgs,
)
from providers import implementation
from tests.contract.suite import ComponentContract

CONTRACT_TOKEN = "contract-test-redis-token-5f1e"


def keys_args(config: StackConfig, context: DeployContext) -> KeysArgs:
    dr_region = config.database.cross_region_copy.target(config.cloud)
    return KeysArgs(encryption=config.encryption, dr_region=dr_region, context=context)


def keys(config: StackConfig, context: DeployContext, name: str = "dep-keys") -> Keys:
    return implementation(config.cloud, Keys)(name, keys_args(config, context))


def vpc(config: StackConfig, context: DeployContext, built_keys: Keys) -> Vpc:
    """The network a component builds on, with the stack's keys."""
    args = VpcArgs(
        network=config.network,
        keys=built_keys,
        context=context,
        pod_cidr=config.kubernetes.pod_cidr,
        service_cidr=config.kubernetes.service_cidr,
    )
    return implementation(config.cloud, Vpc)("dep-net", args)


class TestKeysContract(ComponentContract):
    component = Keys
    stateful = {
        "aws": frozenset({"aws:kms/key:Key"}),
        "gcp": frozenset({"gcp:kms/keyRing:KeyRing", "gcp:kms/cryptoKey:CryptoKey"}),
        "azure": frozenset({"azure-native:keyvault:Vault", "azure-native:keyvault:Key"}),
    }

    @staticmethod
    def make_args(config: StackConfig, context: DeployContext) -> KeysArgs:
        return keys_args(config, context)


class TestPostgresClusterContract(ComponentContract):
    component = PostgresCluster
    stateful = {
        "aws": frozenset({"aws:rds/instance:Instance"}),
        "gcp": frozenset({"gcp:sql/databaseInstance:DatabaseInstance"}),
        "azure": frozenset({"azure-native:dbforpostgresql:Server"}),
    }

    @staticmethod
    def make_args(config: StackConfig, context: DeployContext) -> PostgresClusterArgs:
        built_keys = keys(config, context)
        return PostgresClusterArgs(
            database=config.database,
            vpc=vpc(config, context, built_keys),
            keys=built_keys,
            log_retention_days=config.monitoring.log_retention.database_days,
            context=context,
        )


class TestCacheClusterContract(ComponentContract):
    component = CacheCluster
    stateful = {
        "aws": frozenset({"aws:elasticache/replicationGroup:ReplicationGroup"}),
        "gcp": frozenset({"gcp:redis/cluster:Cluster"}),
        "azure": frozenset({"azure-native:redisenterprise:RedisEnterprise"}),
    }

    @staticmethod
    def make_args(config: StackConfig, context: DeployContext) -> CacheClusterArgs:
        built_keys = keys(config, context)
        return CacheClusterArgs(
            cache=config.cache,
            auth_token=pulumi.Output.secret(CONTRACT_TOKEN),
            vpc=vpc(config, context, built_keys),
            keys=built_keys,
            log_retention_days=config.monitoring.log_retention.database_days,
            context=context,
        )


class TestObjectStoreContract(ComponentContract):
    component = ObjectStore
    stateful = {
        "aws": frozenset({"aws:s3/bucket:Bucket"}),
        "gcp": frozenset({"gcp:storage/bucket:Bucket"}),
        "azure": frozenset({"azure-native:storage:StorageAccount"}),
    }

    @staticmethod
    def make_args(config: StackConfig, context: DeployContext) -> ObjectStoreArgs:
        stack_keys = keys(config, context)
        return ObjectStoreArgs(
            storage=config.storage, vpc=vpc(config, context, stack_keys), keys=stack_keys, context=context
        )
