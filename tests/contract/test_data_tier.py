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


def vpc(config: StackConfig, context: DeployContext) -> Vpc:
    net_keys = implementation(config.cloud, Keys)("dep-net-keys", keys_args(config, context))
    return implementation(config.cloud, Vpc)("dep-net", VpcArgs(network=config.network, keys=net_keys, context=context))


def keys_args(config: StackConfig, context: DeployContext) -> KeysArgs:
    dr_region = config.database.cross_region_copy.target(config.cloud)
    return KeysArgs(encryption=config.encryption, dr_region=dr_region, context=context)


def keys(config: StackConfig, context: DeployContext) -> Keys:
    return implementation(config.cloud, Keys)("dep-keys", keys_args(config, context))


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
        return PostgresClusterArgs(
            database=config.database,
            vpc=vpc(config, context),
            keys=keys(config, context),
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
        return CacheClusterArgs(
            cache=config.cache,
            auth_token=pulumi.Output.secret(CONTRACT_TOKEN),
            vpc=vpc(config, context),
            keys=keys(config, context),
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
        return ObjectStoreArgs(
            storage=config.storage, vpc=vpc(config, context), keys=keys(config, context), context=context
        )
