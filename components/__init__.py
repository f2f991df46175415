"""Provider-neutral components: the contract every cloud implements."""

from components.base import DeployContext, NeutralComponent
from components.cache_cluster import CacheCluster, CacheClusterArgs
from components.cdn import Cdn, CdnArgs
from components.dns import Dns, DnsArgs
from components.keys import KEY_PURPOSES, KeyPurpose, Keys, KeysArgs
from components.kube_cluster import KubeCluster, KubeClusterArgs
from components.object_store import ObjectStore, ObjectStoreArgs
from components.operations import Operations, OperationsArgs
from components.postgres_cluster import PostgresCluster, PostgresClusterArgs
from components.vpc import Vpc, VpcArgs
from components.workloads import Workloads, WorkloadsArgs

ALL_COMPONENTS: tuple[type[NeutralComponent], ...] = (
    Vpc,
    Keys,
    KubeCluster,
    PostgresCluster,
    CacheCluster,
    ObjectStore,
    Dns,
    Workloads,
    Cdn,
    Operations,
)

__all__ = [
    "ALL_COMPONENTS",
    "KEY_PURPOSES",
    "CacheCluster",
    "CacheClusterArgs",
    "Cdn",
    "CdnArgs",
    "DeployContext",
    "Dns",
    "DnsArgs",
    "KeyPurpose",
    "Keys",
    "KeysArgs",
    "KubeCluster",
    "KubeClusterArgs",
    "NeutralComponent",
    "ObjectStore",
    "ObjectStoreArgs",
    "Operations",
    "OperationsArgs",
    "PostgresCluster",
    "PostgresClusterArgs",
    "Vpc",
    "VpcArgs",
    "Workloads",
    "WorkloadsArgs",
]
