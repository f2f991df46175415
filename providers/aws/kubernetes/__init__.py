"""AWS KubeCluster: EKS with a private endpoint, encrypted Secrets, managed node groups with spot
companions, pod addresses from a secondary VPC range, managed add-ons, the cluster autoscaler and
the AWS Load Balancer Controller, everything that calls AWS on its own Pod Identity role."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.base import sibling
from components.kube_cluster import KubeCluster, KubeClusterArgs
from providers.aws.keys import AwsKeys
from providers.aws.kubernetes.access import admin_access, kubeconfig
from providers.aws.kubernetes.addons import Addons
from providers.aws.kubernetes.autoscaler import cluster_autoscaler
from providers.aws.kubernetes.control_plane import (
    cluster_role,
    control_plane_log_group,
    eks_cluster,
    private_endpoint_access,
)
from providers.aws.kubernetes.load_balancer_controller import load_balancer_controller
from providers.aws.kubernetes.node_groups import launch_template, node_groups, node_role
from providers.aws.kubernetes.pod_network import eni_configs, pod_subnets
from providers.aws.vpc import AwsVpc

__all__ = ["AwsKubeCluster"]


class AwsKubeCluster(KubeCluster):
    """Children, in the order a first deploy creates them:

    1. the control-plane log group, the cluster role, the ``eks.Cluster``; HTTPS to its private
       endpoint from inside the network; access entries (deployer, ``admins.aws``);
    2. the pod range (``VpcIpv4CidrBlockAssociation``), a pod subnet per zone;
    3. add-ons a node needs to join: Pod Identity agent, kube-proxy, VPC CNI (own role);
    4. the Kubernetes provider (once the deployer's access is in place) and an ``ENIConfig`` per zone;
    5. the node role, the launch template, a managed node group per pool and spot companion;
    6. CoreDNS, the EBS CSI driver and metrics-server; the ``encrypted`` StorageClass;
    7. the cluster autoscaler and the load balancer controller (Helm), each with its own role.

    Extra attributes for sibling AWS components: ``cluster``, ``cluster_security_group_id``,
    ``node_role``, ``node_groups`` (pool name -> node group), ``pod_subnets``, ``addons``,
    ``releases`` (what must run before workloads: add-ons and controllers). Workload identities use
    ``identity.PodRole`` (EKS Pod Identity): no IAM OIDC provider exists.
    """

    def __init__(self, name: str, args: KubeClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        k8s, ctx = args.kubernetes, args.context
        vpc, keys = sibling(args.vpc, AwsVpc), sibling(args.keys, AwsKeys)
        tags = ctx.tags("kubernetes")
        region = ctx.provider.region
        account = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        kubernetes_key = keys.keys["kubernetes"]

        log_group = control_plane_log_group(self, name, args.log_retention_days, keys.keys["logs"], tags)
        role, grants = cluster_role(self, name, kubernetes_key, tags)
        self.cluster = eks_cluster(
            self,
            name,
            k8s,
            role=role,
            grants=grants,
            log_group=log_group,
            subnets=vpc.subnets["private"],
            kubernetes_key=kubernetes_key,
            tags=tags,
        )
        self.cluster_security_group_id: pulumi.Output[str] = self.cluster.vpc_config.cluster_security_group_id
        private_endpoint_access(self, name, self.cluster, vpc.vpc, tags)
        access = admin_access(self, name, self.cluster, k8s.admins.aws, tags)

        self.pod_subnets = pod_subnets(self, name, k8s.pod_cidr, vpc, tags)
        addons = Addons(self, name, self.cluster, k8s.version, tags)
        self.addons = addons.before_nodes()
        config = kubeconfig(self.cluster, region)
        provider = self._kubernetes_provider(self.cluster.name, config, self.cluster.endpoint, depends_on=list(access))
        member_groups = [self.cluster_security_group_id, vpc.security_groups["application"].id]
        zone_configs = eni_configs(self, name, self.pod_subnets, member_groups, provider, self.addons["vpc-cni"])

        self.node_role, node_grants = node_role(self, name, tags)
        template = launch_template(self, name, member_groups, kubernetes_key, tags)
        self.node_groups = node_groups(
            self,
            name,
            k8s,
            cluster=self.cluster,
            role=self.node_role,
            template=template,
            private_subnets=vpc.subnets["private"],
            depends_on=[*node_grants, *zone_configs, *self.addons.values()],
            tags=tags,
        )
        nodes: list[pulumi.Resource] = list(self.node_groups.values())
        self.addons.update(
            addons.after_nodes(
                nodes,
                block_storage=kubernetes_key if "blockStorageCsi" in k8s.addons else None,
                metrics="metricsServer" in k8s.addons,
            )
        )
        self._default_storage_class(
            "ebs.csi.aws.com", {"type": "gp3", "encrypted": "true", "kmsKeyId": kubernetes_key.arn}
        )

        running = [*nodes, self.addons["coredns"]]
        self.releases: list[pulumi.Resource] = []
        if "clusterAutoscaler" in k8s.addons:
            self.releases.append(
                cluster_autoscaler(
                    self,
                    name,
                    k8s,
                    cluster=self.cluster,
                    region=region,
                    account=account,
                    provider=provider,
                    depends_on=running,
                    tags=tags,
                )
            )
        if "loadBalancerController" in k8s.addons:
            self.releases.append(
                load_balancer_controller(
                    self,
                    name,
                    cluster=self.cluster,
                    vpc=vpc.vpc,
                    region=region,
                    account=account,
                    provider=provider,
                    depends_on=running,
                    tags=tags,
                )
            )

        self._publish(
            cluster_name=self.cluster.name,
            endpoint=self.cluster.endpoint,
            certificate_authority=self.cluster.certificate_authority.data,
            kubeconfig=config,
            oidc_issuer_url=self.cluster.identities.apply(lambda ids: ids[0].oidcs[0].issuer),
            node_pool_names=pulumi.Output.from_input(list(self.node_groups)),
        )
