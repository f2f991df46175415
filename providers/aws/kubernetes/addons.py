"""EKS managed add-ons at the versions pinned for the cluster's Kubernetes version
(``data/eks-addons.yaml``), each with its own Pod Identity role where it calls AWS.

Order matters on a new cluster, which EKS creates without any add-on: the Pod Identity agent,
kube-proxy and the VPC CNI are DaemonSets that must be in place before nodes join (a node is
ready only once the CNI runs, and the CNI reaches the API through kube-proxy's service rules);
CoreDNS, the EBS CSI controller and metrics-server are Deployments that EKS reports healthy only
once nodes run them, so they come after the node groups."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from bettafish.config.eks_addons import ManagedAddon, eks_addons
from components.base import NeutralComponent
from providers.aws.kubernetes.identity import PodRole, key_use_policy
from providers.aws.kubernetes.pod_network import CNI_CONFIGURATION

SYSTEM_NAMESPACE = "kube-system"


class Addons:
    """Installs the managed add-ons of one cluster version; ``before_nodes`` and ``after_nodes``
    keep the order above."""

    def __init__(
        self, parent: NeutralComponent, name: str, cluster: aws.eks.Cluster, version: str, tags: dict[str, str]
    ) -> None:
        self.parent, self.name, self.cluster, self.tags = parent, name, cluster, tags
        self.versions = eks_addons().versions[version].addons

    def before_nodes(self) -> dict[ManagedAddon, aws.eks.Addon]:
        agent = self._addon("eks-pod-identity-agent", depends_on=[])
        kube_proxy = self._addon("kube-proxy", depends_on=[])
        cni_role = PodRole(
            self.parent,
            f"{self.name}-vpc-cni",
            cluster_name=self.name,
            namespace=SYSTEM_NAMESPACE,
            service_account="aws-node",
            description=f"VPC CNI of {self.name}: network interfaces and addresses for pods",
            managed_policies=["AmazonEKS_CNI_Policy"],
            tags=self.tags,
        )
        cni = self._addon("vpc-cni", depends_on=[agent], configuration=CNI_CONFIGURATION, identity=cni_role)
        return {"eks-pod-identity-agent": agent, "kube-proxy": kube_proxy, "vpc-cni": cni}

    def after_nodes(
        self, nodes: list[pulumi.Resource], *, block_storage: aws.kms.Key | None, metrics: bool
    ) -> dict[ManagedAddon, aws.eks.Addon]:
        """CoreDNS always; the EBS CSI driver (volumes encrypted with ``block_storage``) and
        metrics-server when the stack asks for them."""
        installed: dict[ManagedAddon, aws.eks.Addon] = {"coredns": self._addon("coredns", depends_on=nodes)}
        if block_storage is not None:
            csi_role = PodRole(
                self.parent,
                f"{self.name}-ebs-csi",
                cluster_name=self.name,
                namespace=SYSTEM_NAMESPACE,
                service_account="ebs-csi-controller-sa",
                description=f"EBS CSI controller of {self.name}: volumes encrypted with the kubernetes key",
                managed_policies=["service-role/AmazonEBSCSIDriverPolicy"],
                inline_policy=block_storage.arn.apply(
                    lambda arn: json.dumps(key_use_policy(arn, grants_for_aws_resources=True))
                ),
                tags=self.tags,
            )
            installed["aws-ebs-csi-driver"] = self._addon("aws-ebs-csi-driver", depends_on=nodes, identity=csi_role)
        if metrics:
            installed["metrics-server"] = self._addon("metrics-server", depends_on=nodes)
        return installed

    def _addon(
        self,
        addon: ManagedAddon,
        *,
        depends_on: list[pulumi.Resource],
        configuration: dict[str, object] | None = None,
        identity: PodRole | None = None,
    ) -> aws.eks.Addon:
        """``OVERWRITE`` on create and update: the add-on's fields are the ones declared here, and a
        ``pulumi up`` puts back what someone changed by hand instead of failing on the conflict."""
        return aws.eks.Addon(
            f"{self.name}-{addon}",
            cluster_name=self.cluster.name,
            addon_name=addon,
            addon_version=self.versions[addon],
            configuration_values=json.dumps(configuration, sort_keys=True) if configuration else None,
            pod_identity_associations=[identity.addon_association()] if identity else None,
            resolve_conflicts_on_create="OVERWRITE",
            resolve_conflicts_on_update="OVERWRITE",
            tags=self.tags,
            opts=self.parent.child(depends_on=[*depends_on, *(identity.grants if identity else [])]),
        )
