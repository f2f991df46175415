"""Contract of the Kubernetes cluster on AWS, GCP and Azure: the neutral outputs, one explicit
Kubernetes provider that every Kubernetes object uses, node pools with their spot companions, and
Kubernetes objects valid for the cluster's version."""

from __future__ import annotations

from bettafish.config import StackConfig
from bettafish.plan import Recording
from components import DeployContext, KubeCluster, KubeClusterArgs
from components.kube_cluster import spot_pool_name
from tests.contract.suite import ComponentContract
from tests.contract.test_data_tier import keys, vpc
from tests.kubernetes_objects import kubernetes_objects, validate
from tests.mocks import load, stack_values

K8S_PROVIDER = "pulumi:providers:kubernetes"


class TestKubeClusterContract(ComponentContract):
    component = KubeCluster
    stateful = {
        "aws": frozenset({"aws:eks/cluster:Cluster"}),
        "gcp": frozenset({"gcp:container/cluster:Cluster"}),
        "azure": frozenset({"azure-native:containerservice:ManagedCluster"}),
    }

    @staticmethod
    def make_args(config: StackConfig, context: DeployContext) -> KubeClusterArgs:
        built_keys = keys(config, context)
        return KubeClusterArgs(
            kubernetes=config.kubernetes,
            vpc=vpc(config, context, built_keys),
            keys=built_keys,
            log_retention_days=config.monitoring.log_retention.application_days,
            context=context,
        )

    def test_kubeconfig_is_a_secret(self, built: Recording) -> None:
        assert built.outputs["kubeconfig"] == "[secret]"

    def test_node_pools_are_the_configured_ones_with_their_spot_companions(
        self, built: Recording, cloud: str, stack: str
    ) -> None:
        k8s = load(stack_values(stack, cloud), stack).kubernetes
        expected = []
        for name, pool in k8s.node_pools.items():
            expected.append(name)
            if k8s.spot_max(pool):
                expected.append(spot_pool_name(name))
        assert built.outputs["node_pool_names"] == expected

    def test_one_kubernetes_provider_with_a_cluster_identifier(self, built: Recording) -> None:
        (provider,) = built.of_type(K8S_PROVIDER)
        assert provider.inputs["kubeconfig"] == "[secret]"
        assert provider.inputs["clusterIdentifier"] not in ("", None, "(computed)")

    def test_every_kubernetes_object_uses_the_clusters_provider(self, built: Recording) -> None:
        (provider,) = built.of_type(K8S_PROVIDER)
        objects = [r for r in built.resources if r.custom and r.type.startswith("kubernetes:")]
        assert objects, "the cluster creates no Kubernetes object (the default StorageClass at least)"
        for resource in objects:
            assert resource.options.get("provider", "").startswith(f"{provider.urn}::"), resource.name

    def test_the_default_storage_class_encrypts_with_the_kubernetes_key(self, built: Recording) -> None:
        (storage_class,) = built.of_type("kubernetes:storage.k8s.io/v1:StorageClass")
        annotations = storage_class.inputs["metadata"]["annotations"]
        assert annotations["storageclass.kubernetes.io/is-default-class"] == "true"
        assert storage_class.inputs["volumeBindingMode"] == "WaitForFirstConsumer"
        assert storage_class.inputs["parameters"], "the StorageClass sets no encryption parameters"

    def test_every_kubernetes_object_is_valid_for_the_cluster_version(
        self, built: Recording, cloud: str, stack: str
    ) -> None:
        version = load(stack_values(stack, cloud), stack).kubernetes.version
        for resource in kubernetes_objects(built):
            validate(resource, version)
