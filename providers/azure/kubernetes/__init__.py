"""Azure KubeCluster: AKS, private, encrypted with the stack's ``kubernetes`` key, autoscaled over
zonal agent pools in the Vpc's private subnets. The parts:

- ``network``: the API server's delegated subnet and NSG; pod and API-server rules on the private NSG;
- ``identity``: the control-plane identity and the disk encryption set, with their grants;
- ``plan`` and ``pools``: one agent pool per configured pool and zone, spot companions, the System pool;
- ``cluster``: the managed cluster and its maintenance windows; ``logs``: control-plane logs;
- ``access``: administrators, the kubeconfig and the autoscaler's priority expander.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import authorization, resources

from components.base import sibling
from components.kube_cluster import KubeCluster, KubeClusterArgs, spot_pool_name
from providers.azure.common import subscription_id
from providers.azure.keys import AzureKeys
from providers.azure.kubernetes import access
from providers.azure.kubernetes.cluster import maintenance_windows, managed_cluster
from providers.azure.kubernetes.identity import cluster_identity
from providers.azure.kubernetes.logs import container_logs, control_plane_logs, monitoring_addon
from providers.azure.kubernetes.network import cluster_network
from providers.azure.kubernetes.plan import zonal_pools
from providers.azure.kubernetes.pools import agent_pools, inline_profile
from providers.azure.log_analytics import log_workspace
from providers.azure.vpc import AzureVpc

DISK_CSI = "disk.csi.azure.com"
DISK_SKU = "Premium_ZRS"
"""Zone-redundant disks: a volume follows its pod to another zone (zonal pools, WaitForFirstConsumer)."""


class AzureKubeCluster(KubeCluster):
    """Children: ResourceGroup, the API server Subnet with its NSG and rules, two rules on the Vpc's
    private NSG, a UserAssignedIdentity and a DiskEncryptionSet with their RoleAssignments, the
    ManagedCluster (Standard tier) with its inline System pool, one AgentPool per further pool and zone,
    two MaintenanceConfigurations, a Log Analytics Workspace with a DiagnosticSetting (control plane) and a
    DataCollectionRule with its association (Container Insights, the monitoring add-on's container logs), admin
    RoleAssignments, the Kubernetes Provider, the default StorageClass and the priority expander ConfigMap.

    Extra attributes for sibling Azure components: ``resource_group``, ``cluster``, ``identity`` (the
    control plane's), ``disk_encryption_set``, ``agent_pools`` (by AKS name), ``workspace``.
    """

    def __init__(self, name: str, args: KubeClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        k8s, ctx = args.kubernetes, args.context
        assert k8s.azure is not None, "checked at config time (kubernetes.azure)"
        vpc, keys = sibling(args.vpc, AzureVpc), sibling(args.keys, AzureKeys)
        tags, location = ctx.tags("kubernetes"), ctx.provider.region
        subscription = subscription_id(self)
        autoscale = "clusterAutoscaler" in k8s.addons
        private = k8s.control_plane.private_endpoint

        self.resource_group = resources.ResourceGroup(f"{name}-rg", location=location, tags=tags, opts=self.child())
        net = cluster_network(self, name, k8s, vpc, self.resource_group, location, tags)
        ids = cluster_identity(self, name, self.resource_group, location, tags, subscription, vpc, keys)
        self.identity, self.disk_encryption_set = ids.identity, ids.disk_encryption_set

        planned = zonal_pools(k8s)
        settings = {
            "version": k8s.version,
            "max_pods": k8s.azure.max_pods_per_node,
            "autoscale": autoscale,
            "tags": tags,
        }
        first, rest = planned[0], planned[1:]
        self.workspace = log_workspace(
            self, f"{name}-logs", args.log_retention_days, self.resource_group, location, tags
        )
        self.cluster = managed_cluster(
            self,
            name,
            k8s,
            self.resource_group,
            location,
            tags,
            identity_id=self.identity.id,
            disk_encryption_set_id=self.disk_encryption_set.id,
            key=keys.keys["kubernetes"],
            vault=keys.vault,
            api_server_subnet_id=net.api_server_subnet.id,
            system_pool=inline_profile(first, vpc, **settings),
            autoscale=autoscale,
            addons=monitoring_addon(self.workspace),
            depends_on=[*net.ready, *ids.grants],
        )
        pools = agent_pools(self, name, rest, self.cluster, self.resource_group, vpc, **settings)
        self.agent_pools = {pool.name: resource for pool, resource in zip(rest, pools, strict=True)}
        maintenance_windows(self, name, k8s.azure.maintenance_window, self.cluster, self.resource_group, pools[-1:])
        control_plane_logs(self, name, self.cluster, self.workspace, k8s.control_plane.logs)
        container_logs(self, name, self.cluster, self.workspace, self.resource_group, location, tags)

        deployer = authorization.get_client_config_output(opts=pulumi.InvokeOutputOptions(parent=self)).object_id
        admins = access.admin_grants(
            self,
            name,
            self.cluster,
            k8s.admins.of("azure"),
            (deployer, k8s.azure.deployer_principal_type),
            subscription,
        )
        endpoint = access.endpoint(self.cluster, private)
        ca = access.certificate_authority(self, self.cluster, self.resource_group)
        kubeconfig = access.kubeconfig(self.cluster.name, endpoint, ca)
        provider = self._kubernetes_provider(self.cluster.name, kubeconfig, endpoint, depends_on=[*pools, *admins])
        self._default_storage_class(
            DISK_CSI,
            {
                "skuName": DISK_SKU,
                "diskEncryptionSetID": self.disk_encryption_set.id,
                "diskEncryptionType": "EncryptionAtRestWithCustomerKey",
            },
        )
        if autoscale:
            access.priority_expander(self, name, planned, provider)

        pool_names = []
        for pool_name, pool in k8s.node_pools.items():
            pool_names.append(pool_name)
            if k8s.spot_max(pool):
                pool_names.append(spot_pool_name(pool_name))
        self._publish(
            cluster_name=self.cluster.name,
            endpoint=endpoint,
            certificate_authority=ca,
            kubeconfig=kubeconfig,
            oidc_issuer_url=self.cluster.oidc_issuer_profile.apply(lambda p: p.issuer_url if p else ""),
            node_pool_names=pulumi.Output.from_input(pool_names),
        )
