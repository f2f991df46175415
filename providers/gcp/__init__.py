"""GCP implementations (pulumi-gcp)."""

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
from providers.gcp.cache import GcpCacheCluster
from providers.gcp.dns import GcpDns
from providers.gcp.edge import GcpCdn
from providers.gcp.keys import GcpKeys
from providers.gcp.kubernetes import GcpKubeCluster
from providers.gcp.object_store import GcpObjectStore
from providers.gcp.operations import GcpOperations
from providers.gcp.postgres import GcpPostgresCluster
from providers.gcp.vpc import GcpVpc
from providers.gcp.workloads import GcpWorkloads

IMPLEMENTATIONS: dict[type[NeutralComponent], type[NeutralComponent]] = {
    Vpc: GcpVpc,
    Keys: GcpKeys,
    PostgresCluster: GcpPostgresCluster,
    CacheCluster: GcpCacheCluster,
    ObjectStore: GcpObjectStore,
    KubeCluster: GcpKubeCluster,
    Dns: GcpDns,
    Workloads: GcpWorkloads,
    Cdn: GcpCdn,
    Operations: GcpOperations,
}
