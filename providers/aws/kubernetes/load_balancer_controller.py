"""The AWS Load Balancer Controller (Helm chart, pinned) with its own Pod Identity role.

Its policy is the controller's published one (``docs/install/iam_policy.json`` at the chart's
release) narrowed: every resource is in this account and region, security groups are created in
this VPC only, and the WAF, Shield and Cognito calls are gone because those features are turned off
(the edge's WAF sits on the CDN). ``Resource: "*"`` remains only on describe and list calls, which
take no resource."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from bettafish.config.eks_addons import eks_addons
from components.base import NeutralComponent
from providers.aws.kubernetes.addons import SYSTEM_NAMESPACE
from providers.aws.kubernetes.identity import PodRole
from providers.aws.kubernetes.releases import CONTAINER_SECURITY, POD_SECURITY, helm_release

SERVICE_ACCOUNT = "aws-load-balancer-controller"
CLUSTER_TAG = "elbv2.k8s.aws/cluster"
"""The tag the controller puts on everything it creates, and the key of its conditions."""
READ_ONLY = [
    "ec2:DescribeAccountAttributes",
    "ec2:DescribeAddresses",
    "ec2:DescribeAvailabilityZones",
    "ec2:DescribeInternetGateways",
    "ec2:DescribeVpcs",
    "ec2:DescribeVpcPeeringConnections",
    "ec2:DescribeSubnets",
    "ec2:DescribeSecurityGroups",
    "ec2:DescribeInstances",
    "ec2:DescribeNetworkInterfaces",
    "ec2:DescribeTags",
    "ec2:DescribeIpamPools",
    "ec2:DescribeRouteTables",
    "ec2:GetSecurityGroupsForVpc",
    "elasticloadbalancing:DescribeLoadBalancers",
    "elasticloadbalancing:DescribeLoadBalancerAttributes",
    "elasticloadbalancing:DescribeListeners",
    "elasticloadbalancing:DescribeListenerCertificates",
    "elasticloadbalancing:DescribeSSLPolicies",
    "elasticloadbalancing:DescribeRules",
    "elasticloadbalancing:DescribeTargetGroups",
    "elasticloadbalancing:DescribeTargetGroupAttributes",
    "elasticloadbalancing:DescribeTargetHealth",
    "elasticloadbalancing:DescribeTags",
    "elasticloadbalancing:DescribeTrustStores",
    "elasticloadbalancing:DescribeListenerAttributes",
    "elasticloadbalancing:DescribeCapacityReservation",
    "acm:ListCertificates",
    "iam:ListServerCertificates",
]


def controller_policy(region: str, account: str, vpc_id: str) -> dict[str, object]:
    elb = f"arn:aws:elasticloadbalancing:{region}:{account}"
    groups = f"arn:aws:ec2:{region}:{account}:security-group/*"
    balancers = [f"{elb}:targetgroup/*/*", f"{elb}:loadbalancer/net/*/*", f"{elb}:loadbalancer/app/*/*"]
    tagged: dict[str, object] = {"Null": {f"aws:ResourceTag/{CLUSTER_TAG}": "false"}}
    requested: dict[str, object] = {"Null": {f"aws:RequestTag/{CLUSTER_TAG}": "false"}}
    retag: dict[str, object] = {
        "Null": {f"aws:RequestTag/{CLUSTER_TAG}": "true", f"aws:ResourceTag/{CLUSTER_TAG}": "false"}
    }

    def allow(
        sid: str, actions: list[str], resources: list[str] | str, condition: dict[str, object] | None = None
    ) -> dict[str, object]:
        statement: dict[str, object] = {"Sid": sid, "Effect": "Allow", "Action": actions, "Resource": resources}
        if condition:
            statement["Condition"] = condition
        return statement

    return {
        "Version": "2012-10-17",
        "Statement": [
            allow(
                "LoadBalancingServiceLinkedRole",
                ["iam:CreateServiceLinkedRole"],
                [
                    f"arn:aws:iam::{account}:role/aws-service-role/elasticloadbalancing.amazonaws.com/"
                    "AWSServiceRoleForElasticLoadBalancing"
                ],
                {"StringEquals": {"iam:AWSServiceName": "elasticloadbalancing.amazonaws.com"}},
            ),
            allow("DescribeAndListOnly", READ_ONLY, "*"),
            allow("ReadCertificates", ["acm:DescribeCertificate"], [f"arn:aws:acm:{region}:{account}:certificate/*"]),
            allow(
                "ReadServerCertificates", ["iam:GetServerCertificate"], [f"arn:aws:iam::{account}:server-certificate/*"]
            ),
            # Targets' security groups (nodes, pods) are not the controller's: it adds and removes the
            # rules that let its load balancers in.
            allow(
                "OpenTargetsToBalancers",
                ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress"],
                [groups],
            ),
            allow(
                "CreateSecurityGroupsInThisVpc",
                ["ec2:CreateSecurityGroup"],
                [groups, f"arn:aws:ec2:{region}:{account}:vpc/{vpc_id}"],
            ),
            allow(
                "TagNewSecurityGroups",
                ["ec2:CreateTags"],
                [groups],
                {"StringEquals": {"ec2:CreateAction": "CreateSecurityGroup"}, **requested},
            ),
            allow("RetagOwnSecurityGroups", ["ec2:CreateTags", "ec2:DeleteTags"], [groups], retag),
            allow(
                "ManageOwnSecurityGroups",
                ["ec2:AuthorizeSecurityGroupIngress", "ec2:RevokeSecurityGroupIngress", "ec2:DeleteSecurityGroup"],
                [groups],
                tagged,
            ),
            allow(
                "CreateTaggedBalancers",
                ["elasticloadbalancing:CreateLoadBalancer", "elasticloadbalancing:CreateTargetGroup"],
                balancers,
                requested,
            ),
            allow(
                "ManageListenersAndRules",
                [
                    "elasticloadbalancing:CreateListener",
                    "elasticloadbalancing:DeleteListener",
                    "elasticloadbalancing:CreateRule",
                    "elasticloadbalancing:DeleteRule",
                    "elasticloadbalancing:ModifyListener",
                    "elasticloadbalancing:AddListenerCertificates",
                    "elasticloadbalancing:RemoveListenerCertificates",
                    "elasticloadbalancing:ModifyRule",
                    "elasticloadbalancing:SetRulePriorities",
                ],
                [f"{elb}:*"],
            ),
            allow(
                "RetagOwnBalancers",
                ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
                balancers,
                retag,
            ),
            allow(
                "TagListenersAndRules",
                ["elasticloadbalancing:AddTags", "elasticloadbalancing:RemoveTags"],
                [
                    f"{elb}:listener/net/*/*/*",
                    f"{elb}:listener/app/*/*/*",
                    f"{elb}:listener-rule/net/*/*/*",
                    f"{elb}:listener-rule/app/*/*/*",
                ],
            ),
            allow(
                "ManageOwnBalancers",
                [
                    "elasticloadbalancing:ModifyLoadBalancerAttributes",
                    "elasticloadbalancing:SetIpAddressType",
                    "elasticloadbalancing:SetSecurityGroups",
                    "elasticloadbalancing:SetSubnets",
                    "elasticloadbalancing:DeleteLoadBalancer",
                    "elasticloadbalancing:ModifyTargetGroup",
                    "elasticloadbalancing:ModifyTargetGroupAttributes",
                    "elasticloadbalancing:DeleteTargetGroup",
                    "elasticloadbalancing:ModifyListenerAttributes",
                    "elasticloadbalancing:ModifyCapacityReservation",
                    "elasticloadbalancing:ModifyIpPools",
                ],
                [f"{elb}:*"],
                tagged,
            ),
            allow(
                "TagOnCreate",
                ["elasticloadbalancing:AddTags"],
                balancers,
                {
                    "StringEquals": {"elasticloadbalancing:CreateAction": ["CreateTargetGroup", "CreateLoadBalancer"]},
                    **requested,
                },
            ),
            allow(
                "RegisterTargets",
                ["elasticloadbalancing:RegisterTargets", "elasticloadbalancing:DeregisterTargets"],
                [f"{elb}:targetgroup/*/*"],
            ),
        ],
    }


def load_balancer_controller(
    parent: NeutralComponent,
    name: str,
    *,
    cluster: aws.eks.Cluster,
    vpc: aws.ec2.Vpc,
    region: str,
    account: pulumi.Output[str],
    provider: k8s.Provider,
    depends_on: list[pulumi.Resource],
    tags: dict[str, str],
) -> k8s.helm.v3.Release:
    """The chart's two replicas; region and VPC given, since with the metadata hop limit of 1 the controller
    cannot look them up; targets are pod IPs (``ip``, the VPC CNI gives pods VPC addresses)."""
    chart = eks_addons().charts.load_balancer_controller
    role = PodRole(
        parent,
        f"{name}-lb-controller",
        cluster_name=name,
        namespace=SYSTEM_NAMESPACE,
        service_account=SERVICE_ACCOUNT,
        description=f"AWS Load Balancer Controller of {name}: load balancers tagged for this cluster",
        inline_policy=pulumi.Output.all(account, vpc.id).apply(
            lambda args: json.dumps(controller_policy(region, args[0], args[1]))
        ),
        tags=tags,
    )
    association = role.associate(parent, f"{name}-lb-controller", cluster.name, tags)
    values = {
        "clusterName": name,
        "region": region,
        "vpcId": vpc.id,
        "serviceAccount": {"create": True, "name": SERVICE_ACCOUNT},
        "defaultTargetType": "ip",
        "enableShield": False,
        "enableWaf": False,
        "enableWafv2": False,
        "resources": chart.resources.model_dump(),
        "podSecurityContext": POD_SECURITY,
        "securityContext": CONTAINER_SECURITY,
    }
    return helm_release(
        parent,
        f"{name}-lb-controller",
        "aws-load-balancer-controller",
        chart,
        values,
        provider,
        [*depends_on, association],
    )
