"""GCP implementations (pulumi-gcp)."""

from components import CacheCluster, Keys, KubeCluster, NeutralComponent, ObjectStore, PostgresCluster, Vpc
from providers.gcp.cache import GcpCacheCluster
from providers.gcp.keys import GcpKeys
from providers.gcp.kubernetes import GcpKubeCluster
from providers.gcp.object_store import GcpObjectStore
from providers.gcp.postgres import GcpPostgresCluster
from providers.gcp.vpc import GcpVpc

IMPLEMENTATIONS: dict[type[NeutralComponent], type[NeutralComponent]] = {
    Vpc: GcpVpc,
    Keys: GcpKeys,
    PostgresCluster: GcpPostgresCluster,
    CacheCluster: GcpCacheCluster,
    ObjectStore: GcpObjectStore,
    KubeCluster: GcpKubeCluster,
}
