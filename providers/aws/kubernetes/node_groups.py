"""Managed node groups: one per pool over its zones' private subnets, plus a tainted spot companion,
all launched from one hardened launch template and running as a node role with only what nodes need."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from bettafish.config.base import MachineSize
from bettafish.config.catalog import load_catalog, resolve
from bettafish.config.checks.kubernetes_aws import is_arm
from bettafish.config.kubernetes import Kubernetes, NodePool
from components.base import NeutralComponent
from components.kube_cluster import CAPACITY_LABEL, POOL_LABEL, SPOT_TAINT_KEY, spot_pool_name
from providers.aws.iam import service_role
from providers.aws.kubernetes.identity import MANAGED_POLICY

AMI_TYPE = "AL2023_x86_64_STANDARD"
"""Amazon Linux 2023, the EKS-optimized AMI (EKS publishes no Amazon Linux 2 AMIs from 1.33 on)."""
ROOT_DEVICE = "/dev/xvda"
"""The root device of the EKS-optimized Amazon Linux AMIs: mapping it overrides the root volume."""
NODE_POLICIES = ("AmazonEKSWorkerNodePolicy", "AmazonEC2ContainerRegistryPullOnly")
"""All a node needs: join the cluster (and serve Pod Identity credentials) and pull images. The VPC
CNI runs with its own Pod Identity role, so ``AmazonEKS_CNI_Policy`` is not here."""
MAX_SPOT_TYPES = 20
"""EKS takes at most 20 instance types per node group."""


def node_role(parent: NeutralComponent, name: str, tags: dict[str, str]) -> tuple[aws.iam.Role, list[pulumi.Resource]]:
    """The nodes' role and its two managed policies; node groups wait for both."""
    role = service_role(parent, f"{name}-node", "ec2.amazonaws.com", f"EKS nodes of {name}", tags, source_account=False)
    attachments: list[pulumi.Resource] = [
        aws.iam.RolePolicyAttachment(
            f"{name}-node-{policy}", role=role.name, policy_arn=MANAGED_POLICY.format(policy), opts=parent.child()
        )
        for policy in NODE_POLICIES
    ]
    return role, attachments


def launch_template(
    parent: NeutralComponent,
    name: str,
    security_groups: list[pulumi.Input[str]],
    kubernetes_key: aws.kms.Key,
    tags: dict[str, str],
) -> aws.ec2.LaunchTemplate:
    """What every node boots with.

    - IMDSv2 only, hop limit 1 (security rule 36): a pod's packets cross one more hop than the node,
      so only the node itself and host-network agents reach the metadata service; pods get their
      credentials from Pod Identity, never the node role.
    - Root volume gp3, encrypted with the ``kubernetes`` key (size: the AMI's).
    - One network interface with no public address, carrying the cluster security group (EKS adds
      it only when a launch template names no security groups) and the network's ``application``
      group, so the flows the network allows to the database and cache apply to nodes.
    - No instance type, subnet or instance profile: EKS refuses those in a node group's template.
    """
    return aws.ec2.LaunchTemplate(
        f"{name}-nodes",
        description=f"EKS nodes of {name}: IMDSv2 hop 1, encrypted gp3 root, no public IP",
        update_default_version=True,
        metadata_options=aws.ec2.LaunchTemplateMetadataOptionsArgs(
            http_endpoint="enabled",
            http_tokens="required",
            http_put_response_hop_limit=1,
            instance_metadata_tags="disabled",
        ),
        block_device_mappings=[
            aws.ec2.LaunchTemplateBlockDeviceMappingArgs(
                device_name=ROOT_DEVICE,
                ebs=aws.ec2.LaunchTemplateBlockDeviceMappingEbsArgs(
                    volume_type="gp3", encrypted="true", kms_key_id=kubernetes_key.arn, delete_on_termination="true"
                ),
            )
        ],
        network_interfaces=[
            aws.ec2.LaunchTemplateNetworkInterfaceArgs(
                device_index=0,
                associate_public_ip_address="false",
                delete_on_termination="true",
                security_groups=security_groups,
            )
        ],
        tag_specifications=[
            aws.ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags=tags)
            for kind in ("instance", "volume", "network-interface")
        ],
        tags=tags,
        opts=parent.child(),
    )


def spot_instance_types(size: MachineSize) -> list[str]:
    """The pool's type first, then every other x86_64 catalog type of exactly its vCPUs and memory
    (and a family it may take), so that spot capacity comes from several pools of the same shape: the
    autoscaler needs one shape per group, the AMI one architecture."""
    chosen = resolve("compute", "aws", size)
    families = {chosen.family, "general", "burstable"} if chosen.family in ("general", "burstable") else {chosen.family}
    same = [
        row.type
        for row in load_catalog()["compute"]["aws"]
        if row.type != chosen.type
        and not is_arm(row.type)
        and row.family in families
        and (row.vcpus, row.memory_gib) == (chosen.vcpus, chosen.memory_gib)
    ]
    return [chosen.type, *same][:MAX_SPOT_TYPES]


def node_groups(
    parent: NeutralComponent,
    name: str,
    k8s: Kubernetes,
    *,
    cluster: aws.eks.Cluster,
    role: aws.iam.Role,
    template: aws.ec2.LaunchTemplate,
    private_subnets: list[aws.ec2.Subnet],
    depends_on: list[pulumi.Resource],
    tags: dict[str, str],
) -> dict[str, aws.eks.NodeGroup]:
    """Pool name -> node group, in config order, each pool followed by its spot companion."""
    groups: dict[str, aws.eks.NodeGroup] = {}
    for pool_name, pool in k8s.node_pools.items():
        common = _common(cluster, role, template, private_subnets, pool, k8s.version, tags)
        groups[pool_name] = aws.eks.NodeGroup(
            f"{name}-{pool_name}",
            capacity_type="ON_DEMAND",
            instance_types=[resolve("compute", "aws", pool.size).type],
            scaling_config=aws.eks.NodeGroupScalingConfigArgs(
                min_size=pool.min_count, max_size=pool.max_count, desired_size=pool.count
            ),
            labels={POOL_LABEL: pool_name, CAPACITY_LABEL: "on-demand"},
            opts=_scaled_by_autoscaler(parent, depends_on),
            **common,
        )
        spot_max = k8s.spot_max(pool)
        if spot_max:
            spot = spot_pool_name(pool_name)
            groups[spot] = aws.eks.NodeGroup(
                f"{name}-{spot}",
                capacity_type="SPOT",
                instance_types=spot_instance_types(pool.size),
                scaling_config=aws.eks.NodeGroupScalingConfigArgs(min_size=0, max_size=spot_max, desired_size=0),
                labels={POOL_LABEL: pool_name, CAPACITY_LABEL: "spot"},
                taints=[aws.eks.NodeGroupTaintArgs(key=SPOT_TAINT_KEY, value="true", effect="NO_SCHEDULE")],
                opts=_scaled_by_autoscaler(parent, depends_on),
                **common,
            )
    return groups


def _common(
    cluster: aws.eks.Cluster,
    role: aws.iam.Role,
    template: aws.ec2.LaunchTemplate,
    private_subnets: list[aws.ec2.Subnet],
    pool: NodePool,
    version: str,
    tags: dict[str, str],
) -> dict[str, object]:
    """What a pool and its spot companion share: its zones' private subnets (rule 23), the AMI and
    version, the launch template's current version, one node at a time during updates, auto repair."""
    return {
        "cluster_name": cluster.name,
        "node_role_arn": role.arn,
        "subnet_ids": [private_subnets[zone - 1].id for zone in pool.zones],
        "ami_type": AMI_TYPE,
        "version": version,
        "launch_template": aws.eks.NodeGroupLaunchTemplateArgs(
            id=template.id, version=template.latest_version.apply(str)
        ),
        "update_config": aws.eks.NodeGroupUpdateConfigArgs(max_unavailable=1),
        "node_repair_config": aws.eks.NodeGroupNodeRepairConfigArgs(enabled=True),
        "tags": tags,
    }


def _scaled_by_autoscaler(parent: NeutralComponent, depends_on: list[pulumi.Resource]) -> pulumi.ResourceOptions:
    """The cluster autoscaler owns the current size once the group exists: a later ``pulumi up``
    leaves ``desiredSize`` alone instead of resetting it to the initial count."""
    return parent.child(depends_on=depends_on, ignore_changes=["scalingConfig.desiredSize"])
