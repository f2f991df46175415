"""AWS implementations (pulumi-aws)."""

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
from providers.aws.cache import AwsCacheCluster
from providers.aws.dns import AwsDns
from providers.aws.edge import AwsCdn
from providers.aws.keys import AwsKeys
from providers.aws.kubernetes import AwsKubeCluster
from providers.aws.object_store import AwsObjectStore
from providers.aws.operations import AwsOperations
from providers.aws.postgres import AwsPostgresCluster
from providers.aws.vpc import AwsVpc
from providers.aws.workloads import AwsWorkloads

IMPLEMENTATIONS: dict[type[NeutralComponent], type[NeutralComponent]] = {
    Vpc: AwsVpc,
    Keys: AwsKeys,
    PostgresCluster: AwsPostgresCluster,
    CacheCluster: AwsCacheCluster,
    ObjectStore: AwsObjectStore,
    KubeCluster: AwsKubeCluster,
    Dns: AwsDns,
    Workloads: AwsWorkloads,
    Cdn: AwsCdn,
    Operations: AwsOperations,
}
