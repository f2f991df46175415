"""Pod addressing that does not run out: VPC CNI custom networking on a secondary VPC range.

The network's /24 private subnets hold about 250 addresses each, fewer than a full cluster's pods.
So ``podCidr`` (100.64.0.0/16 in prod) is added to the VPC, carved into one pod subnet per zone
(a /18 each), and the CNI gives pods addresses there (``ENIConfig`` per zone, chosen by the node's
zone label) in /28 prefixes (prefix delegation: 110 pods per node, a /25 budgeted per node in
``checks.kubernetes.POD_RANGE_PER_NODE``). Nodes keep their own address in the private subnet."""

from __future__ import annotations

from ipaddress import IPv4Network

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from bettafish.config.checks.kubernetes_aws import pod_subnet_cidrs
from components.base import NeutralComponent
from providers.aws.vpc import AwsVpc

ZONE_LABEL = "topology.kubernetes.io/zone"
CNI_CONFIGURATION: dict[str, object] = {
    "env": {
        "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG": "true",
        "ENI_CONFIG_LABEL_DEF": ZONE_LABEL,
        "ENABLE_PREFIX_DELEGATION": "true",
        "WARM_PREFIX_TARGET": "1",
    },
    # The CNI's network policy agent enforces NetworkPolicy objects (security rule 34).
    "enableNetworkPolicy": "true",
}
"""The ``vpc-cni`` add-on's configuration values (its documented JSON schema)."""


def pod_subnets(
    parent: NeutralComponent, name: str, pod_cidr: IPv4Network, vpc: AwsVpc, tags: dict[str, str]
) -> list[aws.ec2.Subnet]:
    """The secondary range and one pod subnet per zone, in zone order, each routed like the
    private subnet of its zone (its NAT gateway; pod traffic leaving the VPC is translated to the
    node's address anyway). The subnets wait for the range: before it, their CIDR is not the VPC's."""
    association = aws.ec2.VpcIpv4CidrBlockAssociation(
        f"{name}-pod-range", vpc_id=vpc.vpc.id, cidr_block=str(pod_cidr), opts=parent.child()
    )
    private = vpc.subnets["private"]
    subnets = []
    for position, (cidr, node_subnet, route_table) in enumerate(
        zip(pod_subnet_cidrs(pod_cidr, len(private)), private, vpc.private_route_tables, strict=True), start=1
    ):
        subnet = aws.ec2.Subnet(
            f"{name}-pods-{position}",
            vpc_id=vpc.vpc.id,
            cidr_block=str(cidr),
            availability_zone=node_subnet.availability_zone,
            map_public_ip_on_launch=False,
            tags={**tags, "Name": f"{name}-pods-{position}", "tier": "pods"},
            opts=parent.child(depends_on=[association]),
        )
        aws.ec2.RouteTableAssociation(
            f"{name}-pods-{position}-rta", route_table_id=route_table.id, subnet_id=subnet.id, opts=parent.child()
        )
        subnets.append(subnet)
    return subnets


def eni_configs(
    parent: NeutralComponent,
    name: str,
    subnets: list[aws.ec2.Subnet],
    security_groups: list[pulumi.Input[str]],
    provider: k8s.Provider,
    cni: aws.eks.Addon,
) -> list[k8s.apiextensions.CustomResource]:
    """One ``ENIConfig`` per zone, named after it: pod network interfaces go to that zone's pod
    subnet with the cluster and ``application`` security groups (pods reach the database and cache
    through the same flows as nodes). They need the CNI's CRD (the add-on) and must exist before any
    node joins: a node that starts without its zone's ENIConfig gets no pod addresses."""
    return [
        k8s.apiextensions.CustomResource(
            f"{name}-eniconfig-{position}",
            api_version="crd.k8s.amazonaws.com/v1alpha1",
            kind="ENIConfig",
            metadata={"name": subnet.availability_zone, "labels": {"app.kubernetes.io/managed-by": "pulumi"}},
            spec={"subnet": subnet.id, "securityGroups": security_groups},
            opts=parent.child(provider=provider, depends_on=[cni]),
        )
        for position, subnet in enumerate(subnets, start=1)
    ]
