"""EKS registrations the real API refuses: one small program per constraint id."""

from __future__ import annotations

import json
from collections.abc import Callable

import pulumi
import pulumi_aws as aws

CNI_CUSTOM = json.dumps({"env": {"AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG": "true"}})


def _network(cidr: str = "10.0.0.0/16") -> tuple[aws.ec2.Vpc, list[aws.ec2.Subnet]]:
    vpc = aws.ec2.Vpc("vpc", cidr_block=cidr)
    subnets = [
        aws.ec2.Subnet(f"s{i}", vpc_id=vpc.id, cidr_block=f"10.0.{i}.0/24", availability_zone=f"us-east-1{zone}")
        for i, zone in enumerate("ab", start=1)
    ]
    return vpc, subnets


def _cluster(subnets: list[aws.ec2.Subnet], **extra: object) -> aws.eks.Cluster:
    settings: dict[str, object] = {
        "access_config": {"authentication_mode": "API"},
        "bootstrap_self_managed_addons": False,
        **extra,
    }
    return aws.eks.Cluster(
        "c",
        name="c",
        role_arn="arn:aws:iam::123456789012:role/c",
        vpc_config={"subnet_ids": [s.id for s in subnets]},
        version="1.35",
        **settings,
    )


def _ready_node_group(
    cluster: aws.eks.Cluster, subnets: list[aws.ec2.Subnet], *, custom_networking: bool = False, **extra: object
) -> aws.eks.NodeGroup:
    """A node group with everything it needs, except what ``extra`` breaks."""
    cni = aws.eks.Addon(
        "cni",
        cluster_name=cluster.name,
        addon_name="vpc-cni",
        configuration_values=CNI_CUSTOM if custom_networking else None,
    )
    proxy = aws.eks.Addon(
        "proxy", cluster_name=cluster.name, addon_name="kube-proxy", addon_version="v1.35.0-eksbuild.2"
    )
    settings: dict[str, object] = {
        "scaling_config": {"min_size": 1, "desired_size": 1, "max_size": 2},
        "ami_type": "AL2023_x86_64_STANDARD",
        **extra,
    }
    return aws.eks.NodeGroup(
        "ng",
        cluster_name=cluster.name,
        node_role_arn="arn:aws:iam::123456789012:role/n",
        subnet_ids=[s.id for s in subnets],
        opts=pulumi.ResourceOptions(depends_on=[cni, proxy]),
        **settings,
    )


def cluster_log_group_not_first() -> None:
    _, subnets = _network()
    aws.cloudwatch.LogGroup("logs", name="/aws/eks/c/cluster", retention_in_days=30)
    _cluster(subnets, enabled_cluster_log_types=["api", "audit"])


def cluster_in_one_zone() -> None:
    _, subnets = _network()
    _cluster(subnets[:1])


def access_entry_on_config_map_cluster() -> None:
    _, subnets = _network()
    cluster = _cluster(subnets, access_config={"authentication_mode": "CONFIG_MAP"})
    aws.eks.AccessEntry("admin", cluster_name=cluster.name, principal_arn="arn:aws:iam::123456789012:role/admin")


def access_policy_without_entry() -> None:
    _, subnets = _network()
    cluster = _cluster(subnets)
    aws.eks.AccessPolicyAssociation(
        "admin",
        cluster_name=cluster.name,
        principal_arn="arn:aws:iam::123456789012:role/admin",
        policy_arn="arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        access_scope={"type": "cluster"},
    )


def node_group_in_another_vpc() -> None:
    _, subnets = _network()
    cluster = _cluster(subnets)
    other = aws.ec2.Vpc("other", cidr_block="10.9.0.0/16")
    elsewhere = aws.ec2.Subnet("elsewhere", vpc_id=other.id, cidr_block="10.9.1.0/24", availability_zone="us-east-1a")
    _ready_node_group(cluster, [elsewhere])


def instance_type_in_template_and_group() -> None:
    _, subnets = _network()
    cluster = _cluster(subnets)
    template = aws.ec2.LaunchTemplate("lt", instance_type="m5.large")
    _ready_node_group(
        cluster, subnets, instance_types=["m5.large"], launch_template={"id": template.id, "version": "1"}
    )


def instance_profile_in_template() -> None:
    _, subnets = _network()
    cluster = _cluster(subnets)
    template = aws.ec2.LaunchTemplate("lt", iam_instance_profile={"name": "nodes"})
    _ready_node_group(cluster, subnets, launch_template={"id": template.id, "version": "1"})


def al2_nodes_on_135() -> None:
    _, subnets = _network()
    cluster = _cluster(subnets)
    _ready_node_group(cluster, subnets, ami_type="AL2_x86_64", version="1.35")


def desired_below_minimum() -> None:
    _, subnets = _network()
    cluster = _cluster(subnets)
    _ready_node_group(cluster, subnets, scaling_config={"min_size": 2, "desired_size": 1, "max_size": 3})


def nodes_before_their_eniconfig() -> None:
    _, subnets = _network()
    cluster = _cluster(subnets)
    _ready_node_group(cluster, subnets, custom_networking=True)


def kube_proxy_of_another_version() -> None:
    _, subnets = _network()
    cluster = _cluster(subnets)
    aws.eks.Addon("proxy", cluster_name=cluster.name, addon_name="kube-proxy", addon_version="v1.33.0-eksbuild.2")


def coredns_before_nodes() -> None:
    _, subnets = _network()
    cluster = _cluster(subnets)
    aws.eks.Addon("dns", cluster_name=cluster.name, addon_name="coredns", addon_version="v1.13.2-eksbuild.1")


def restricted_secondary_range() -> None:
    vpc, _ = _network()
    aws.ec2.VpcIpv4CidrBlockAssociation("pods", vpc_id=vpc.id, cidr_block="192.168.0.0/16")


def subnet_before_its_range() -> None:
    vpc, _ = _network()
    aws.ec2.VpcIpv4CidrBlockAssociation("pods", vpc_id=vpc.id, cidr_block="100.64.0.0/16")
    aws.ec2.Subnet("pods-a", vpc_id=vpc.id, cidr_block="100.64.0.0/18", availability_zone="us-east-1a")


VIOLATIONS: dict[str, Callable[[], None]] = {
    "eks-cluster-log-group-first": cluster_log_group_not_first,
    "eks-cluster-two-zones": cluster_in_one_zone,
    "eks-access-entry-needs-api-mode": access_entry_on_config_map_cluster,
    "eks-access-policy-needs-entry": access_policy_without_entry,
    "eks-nodegroup-subnets-in-cluster-vpc": node_group_in_another_vpc,
    "eks-nodegroup-instance-type-once": instance_type_in_template_and_group,
    "eks-launch-template-prohibited": instance_profile_in_template,
    "eks-al2-ami-retired": al2_nodes_on_135,
    "eks-nodegroup-scaling-bounds": desired_below_minimum,
    "eks-nodegroup-needs-cni": nodes_before_their_eniconfig,
    "eks-kube-proxy-version": kube_proxy_of_another_version,
    "eks-addon-needs-nodes": coredns_before_nodes,
    "aws-vpc-secondary-range-restricted": restricted_secondary_range,
    "aws-subnet-outside-vpc-ranges": subnet_before_its_range,
}
