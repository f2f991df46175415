"""The cluster autoscaler (Helm chart, pinned), with a Pod Identity role that may only resize this
cluster's node groups, and spot-first scaling with on-demand fallback (priority expander)."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from bettafish.config.eks_addons import eks_addons
from bettafish.config.kubernetes import Kubernetes
from components.base import NeutralComponent
from components.kube_cluster import spot_pool_name
from providers.aws.kubernetes.addons import SYSTEM_NAMESPACE
from providers.aws.kubernetes.identity import PodRole
from providers.aws.kubernetes.releases import CONTAINER_SECURITY, POD_SECURITY, helm_release

NAME = SERVICE_ACCOUNT = "cluster-autoscaler"
"""The release, its objects (``fullnameOverride``, else ``<release>-aws-cluster-autoscaler``) and its service account."""
SPOT_FIRST, EVERYTHING_ELSE = 50, 10
"""Priority expander weights: spot companions first; once a spot group cannot grow (no capacity,
backed off), the autoscaler takes the next priority, the on-demand pools."""


def autoscaler_policy(name: str, region: str, account: str) -> dict[str, object]:
    """The Kubernetes autoscaler's AWS provider needs (its README), scoped: it resizes and
    terminates only auto scaling groups EKS tagged as this cluster's, and reads node groups of this
    cluster (labels and taints of groups at zero). The describe calls take no resource."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ResizeThisClustersGroups",
                "Effect": "Allow",
                "Action": ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"],
                "Resource": [f"arn:aws:autoscaling:{region}:{account}:autoScalingGroup:*:autoScalingGroupName/*"],
                "Condition": {"StringEquals": {f"aws:ResourceTag/k8s.io/cluster-autoscaler/{name}": "owned"}},
            },
            {
                "Sid": "ReadThisClustersNodeGroups",
                "Effect": "Allow",
                "Action": ["eks:DescribeNodegroup"],
                "Resource": [f"arn:aws:eks:{region}:{account}:nodegroup/{name}/*/*"],
            },
            {
                "Sid": "DescribeOnly",
                "Effect": "Allow",
                "Action": [
                    "autoscaling:DescribeAutoScalingGroups",
                    "autoscaling:DescribeAutoScalingInstances",
                    "autoscaling:DescribeLaunchConfigurations",
                    "autoscaling:DescribeScalingActivities",
                    "autoscaling:DescribeTags",
                    "ec2:DescribeImages",
                    "ec2:DescribeInstanceTypes",
                    "ec2:DescribeLaunchTemplateVersions",
                    "ec2:GetInstanceTypesFromInstanceRequirements",
                ],
                "Resource": "*",
            },
        ],
    }


def expander_priorities(name: str, k8s_config: Kubernetes) -> dict[str, list[str]]:
    """Regexes over auto scaling group names, which EKS forms as ``eks-<node group name>-<id>``
    (node group names are ``<component>-<pool>-<suffix>``)."""
    spot = [
        f"^eks-{name}-{spot_pool_name(pool_name)}-.*"
        for pool_name, pool in k8s_config.node_pools.items()
        if k8s_config.spot_max(pool)
    ]
    return {str(SPOT_FIRST): spot, str(EVERYTHING_ELSE): [".*"]} if spot else {}


def cluster_autoscaler(
    parent: NeutralComponent,
    name: str,
    k8s_config: Kubernetes,
    *,
    cluster: aws.eks.Cluster,
    region: str,
    account: pulumi.Output[str],
    provider: k8s.Provider,
    depends_on: list[pulumi.Resource],
    tags: dict[str, str],
) -> k8s.helm.v3.Release:
    """Flags from ``kubernetes.autoscaling``: never more than ``maxCapacity`` nodes, a scale-down
    considered ``scaleUpCooldownSeconds`` after a scale-up at the earliest, and a node removed once
    unneeded for ``scaleDownCooldownSeconds``. The image's minor version is the cluster's."""
    versions = eks_addons()
    chart = versions.charts.cluster_autoscaler
    role = PodRole(
        parent,
        f"{name}-autoscaler",
        cluster_name=name,
        namespace=SYSTEM_NAMESPACE,
        service_account=SERVICE_ACCOUNT,
        description=f"Cluster autoscaler of {name}: resizes this cluster's node groups only",
        inline_policy=account.apply(lambda acct: json.dumps(autoscaler_policy(name, region, acct))),
        tags=tags,
    )
    association = role.associate(parent, f"{name}-autoscaler", cluster.name, tags)
    scaling = k8s_config.autoscaling
    priorities = expander_priorities(name, k8s_config)
    values = {
        "fullnameOverride": NAME,
        "cloudProvider": "aws",
        "awsRegion": region,
        "autoDiscovery": {"clusterName": name},
        "image": {"tag": versions.versions[k8s_config.version].cluster_autoscaler_image},
        "rbac": {"serviceAccount": {"create": True, "name": SERVICE_ACCOUNT}},
        "extraArgs": {
            "expander": "priority,least-waste" if priorities else "least-waste",
            "max-nodes-total": scaling.max_capacity,
            "scale-down-delay-after-add": f"{scaling.scale_up_cooldown_seconds}s",
            "scale-down-unneeded-time": f"{scaling.scale_down_cooldown_seconds}s",
        },
        "expanderPriorities": priorities,
        "resources": chart.resources.model_dump(),
        "securityContext": POD_SECURITY,
        "containerSecurityContext": CONTAINER_SECURITY,
    }
    return helm_release(parent, f"{name}-autoscaler", NAME, chart, values, provider, [*depends_on, association])
