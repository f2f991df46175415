"""Azure implementations (pulumi-azure-native)."""

from components import (
    CacheCluster,
    Cdn,
    Dns,
    Keys,
    KubeCluster,
    NeutralComponent,
    ObjectStore,
    Operations,
    PostgresCluster,
    Vpc,
    Workloads,
)
from providers.azure.cache_cluster import AzureCacheCluster
from providers.azure.dns import AzureDns
from providers.azure.edge import AzureCdn
from providers.azure.keys import AzureKeys
from providers.azure.kubernetes import AzureKubeCluster
from providers.azure.object_store import AzureObjectStore
from providers.azure.operations import AzureOperations
from providers.azure.postgres import AzurePostgresCluster
from providers.azure.vpc import AzureVpc
from providers.azure.workloads import AzureWorkloads

IMPLEMENTATIONS: dict[type[NeutralComponent], type[NeutralComponent]] = {
    Vpc: AzureVpc,
    Keys: AzureKeys,
    PostgresCluster: AzurePostgresCluster,
    CacheCluster: AzureCacheCluster,
    ObjectStore: AzureObjectStore,
    KubeCluster: AzureKubeCluster,
    Dns: AzureDns,
    Workloads: AzureWorkloads,
    Cdn: AzureCdn,
    Operations: AzureOperations,
}
