"""AWS KubeCluster add-ons: EKS managed add-ons at the versions pinned for the cluster version,
installed before or after the nodes as each needs; the cluster autoscaler and the load balancer
controller from pinned charts; every one that calls AWS on its own Pod Identity role (rule 36)."""

from __future__ import annotations

import json
import re

import pytest

from bettafish.config.eks_addons import eks_addons
from tests.aws.kube import (
    RELEASE,
    STACKS,
    addons,
    depends_on,
    key_arn,
    mine,
    named,
    node_groups,
    plan,
    plan_with,
    policies_of,
    prefix,
    role_of,
)

BEFORE_NODES = ("eks-pod-identity-agent", "kube-proxy", "vpc-cni")
AFTER_NODES = ("coredns", "aws-ebs-csi-driver", "metrics-server")


@pytest.mark.parametrize("stack", STACKS)
def test_managed_add_ons_run_the_versions_pinned_for_the_cluster_version(stack: str) -> None:
    pinned = eks_addons().versions["1.35"].addons
    installed = addons(stack)
    assert set(installed) == set(BEFORE_NODES + AFTER_NODES)
    for name, addon in installed.items():
        assert addon.inputs["addonVersion"] == pinned[name], name  # type: ignore[index]
        assert addon.inputs["clusterName"] == prefix(stack)
        assert (addon.inputs["resolveConflictsOnCreate"], addon.inputs["resolveConflictsOnUpdate"]) == (
            "OVERWRITE",
            "OVERWRITE",
        )


@pytest.mark.parametrize("stack", STACKS)
def test_daemonset_add_ons_precede_the_nodes_and_deployments_follow_them(stack: str) -> None:
    installed, groups = addons(stack), node_groups(stack).values()
    for name in BEFORE_NODES:
        assert not [g for g in groups if depends_on(installed[name], g)], name
    for name in AFTER_NODES:
        assert all(depends_on(installed[name], g) for g in groups), name
    assert depends_on(installed["vpc-cni"], installed["eks-pod-identity-agent"])


def test_only_the_configured_add_ons_are_installed() -> None:
    # The API gateway's Ingress needs the load balancer controller (checked at config time).
    edited = plan_with("prod", "addons", json.dumps(["blockStorageCsi", "loadBalancerController"]))
    assert set(addons("prod", edited)) == {*BEFORE_NODES, "coredns", "aws-ebs-csi-driver"}
    assert [r.name for r in mine(edited, "prod", RELEASE)] == [f"{prefix('prod')}-lb-controller"]


@pytest.mark.parametrize(
    ("addon", "service_account", "managed"),
    [
        ("vpc-cni", "aws-node", ["arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy"]),
        (
            "aws-ebs-csi-driver",
            "ebs-csi-controller-sa",
            ["arn:aws:iam::aws:policy/service-role/AmazonEBSCSIDriverPolicy"],
        ),
    ],
)
def test_add_ons_that_call_aws_run_on_their_own_pod_identity_role(
    addon: str, service_account: str, managed: list[str]
) -> None:
    """Rule 36: Pod Identity, one role per service account, trusted for that account only."""
    (association,) = addons("prod")[addon].inputs["podIdentityAssociations"]
    assert association["serviceAccount"] == service_account
    role = role_of("prod", association["roleArn"])
    (trust,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert trust["Principal"] == {"Service": "pods.eks.amazonaws.com"}
    assert trust["Action"] == ["sts:AssumeRole", "sts:TagSession"]
    assert trust["Condition"] == {
        "StringEquals": {
            "aws:RequestTag/eks-cluster-name": prefix("prod"),
            "aws:RequestTag/kubernetes-namespace": "kube-system",
            "aws:RequestTag/kubernetes-service-account": service_account,
        }
    }
    assert policies_of("prod", role)[0] == managed


def test_the_ebs_driver_may_use_the_kubernetes_key_and_grant_it_to_volumes_only() -> None:
    (association,) = addons("prod")["aws-ebs-csi-driver"].inputs["podIdentityAssociations"]
    _, (policy,) = policies_of("prod", role_of("prod", association["roleArn"]))
    for statement in policy["Statement"]:
        assert statement["Resource"] == [key_arn("prod", "kubernetes")]
    (grants,) = [s for s in policy["Statement"] if "kms:CreateGrant" in s["Action"]]
    assert grants["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": "true"}}


def test_every_workload_role_is_distinct_and_no_iam_oidc_provider_exists() -> None:
    """Rule 36: no role shared between service accounts; Pod Identity needs no IRSA provider."""
    roles = [
        a.inputs["podIdentityAssociations"][0]["roleArn"]
        for a in addons("prod").values()
        if "podIdentityAssociations" in a.inputs
    ]
    roles += [
        a.inputs["roleArn"] for a in plan("prod").of_type("aws:eks/podIdentityAssociation:PodIdentityAssociation")
    ]
    # The VPC CNI, the EBS CSI driver, the autoscaler, the load balancer controller; the five services.
    assert len(roles) == len(set(roles)) == 4 + 5
    assert not plan("prod").of_type("aws:iam/openIdConnectProvider:OpenIdConnectProvider")


def _release(stack: str, suffix: str) -> dict[str, object]:
    return named(plan(stack), stack, suffix, RELEASE).inputs


@pytest.mark.parametrize(
    ("suffix", "chart", "repo", "version"),
    [
        ("autoscaler", "cluster-autoscaler", "https://kubernetes.github.io/autoscaler", "9.59.0"),
        ("lb-controller", "aws-load-balancer-controller", "https://aws.github.io/eks-charts", "3.5.0"),
    ],
)
def test_helm_releases_are_pinned_charts_in_kube_system(suffix: str, chart: str, repo: str, version: str) -> None:
    release = _release("prod", suffix)
    assert (release["chart"], release["version"], release["namespace"]) == (chart, version, "kube-system")
    assert release["repositoryOpts"] == {"repo": repo}
    assert release["name"] == chart
    values = release["values"]
    assert isinstance(values, dict)
    resources = values["resources"]
    for kind in ("requests", "limits"):
        assert set(resources[kind]) == {"cpu", "memory"}  # rule 35


@pytest.mark.parametrize("stack", STACKS)
def test_controllers_start_once_nodes_dns_and_their_identity_exist(stack: str) -> None:
    for suffix in ("autoscaler", "lb-controller"):
        release = named(plan(stack), stack, suffix, RELEASE)
        association = named(plan(stack), stack, suffix, "aws:eks/podIdentityAssociation:PodIdentityAssociation")
        assert depends_on(release, association)
        assert depends_on(release, addons(stack)["coredns"])
        assert all(depends_on(release, g) for g in node_groups(stack).values())


@pytest.mark.parametrize(
    ("stack", "spot"), [("prod", ["generalspot", "computespot"]), ("staging", ["generalspot", "computespot"])]
)
def test_the_autoscaler_follows_the_stacks_bounds_and_tries_spot_first(stack: str, spot: list[str]) -> None:
    values = _release(stack, "autoscaler")["values"]
    assert isinstance(values, dict)
    assert values["extraArgs"] == {
        "expander": "priority,least-waste",
        "max-nodes-total": {"prod": 32, "staging": 14}[stack],
        "scale-down-delay-after-add": "300s",
        "scale-down-unneeded-time": "300s",
    }
    assert values["expanderPriorities"] == {"50": [f"^eks-{prefix(stack)}-{s}-.*" for s in spot], "10": [".*"]}
    assert (values["awsRegion"], values["autoDiscovery"], values["cloudProvider"]) == (
        "us-east-1",
        {"clusterName": prefix(stack)},
        "aws",
    )
    assert values["image"] == {"tag": "v1.35.2"}
    assert values["rbac"] == {"serviceAccount": {"create": True, "name": "cluster-autoscaler"}}
    assert values["securityContext"]["runAsNonRoot"] is True
    assert values["containerSecurityContext"]["allowPrivilegeEscalation"] is False


def test_the_spot_regexes_match_the_auto_scaling_groups_eks_names_and_nothing_else() -> None:
    """EKS names a node group's auto scaling group ``eks-<node group>-<uuid>`` (fake cloud alike)."""
    values = _release("prod", "autoscaler")["values"]
    assert isinstance(values, dict)
    spot_first = [re.compile(p) for p in values["expanderPriorities"]["50"]]
    for name, group in node_groups("prod").items():
        (asg,) = [g for g in plan("prod").resources if g.urn == group.urn]
        node_group_name = asg.id.split(":", 1)[1]
        asg_name = f"eks-{node_group_name}-{'0' * 8}-{'0' * 4}-4000-8000-{'0' * 12}"
        assert any(p.match(asg_name) for p in spot_first) == name.endswith("spot"), name


def test_the_autoscaler_may_resize_only_this_clusters_groups() -> None:
    association = named(plan("prod"), "prod", "autoscaler", "aws:eks/podIdentityAssociation:PodIdentityAssociation")
    assert (association.inputs["namespace"], association.inputs["serviceAccount"]) == (
        "kube-system",
        "cluster-autoscaler",
    )
    managed, (policy,) = policies_of("prod", role_of("prod", association.inputs["roleArn"]))
    assert managed == []
    by_sid = {s["Sid"]: s for s in policy["Statement"]}
    resize = by_sid["ResizeThisClustersGroups"]
    assert resize["Condition"] == {
        "StringEquals": {f"aws:ResourceTag/k8s.io/cluster-autoscaler/{prefix('prod')}": "owned"}
    }
    assert resize["Resource"] == [
        "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:*:autoScalingGroupName/*"
    ]
    assert by_sid["ReadThisClustersNodeGroups"]["Resource"] == [
        f"arn:aws:eks:us-east-1:123456789012:nodegroup/{prefix('prod')}/*/*"
    ]


def test_without_spot_the_autoscaler_needs_no_priorities() -> None:
    edited = plan_with("prod", "spot", json.dumps({"enabled": False, "maxPercent": 30}))
    values = named(edited, "prod", "autoscaler", RELEASE).inputs["values"]
    assert values["extraArgs"]["expander"] == "least-waste"
    assert values["expanderPriorities"] == {}
    assert not [g for g in mine(edited, "prod", "aws:eks/nodeGroup:NodeGroup") if g.inputs["capacityType"] == "SPOT"]


def test_the_load_balancer_controller_knows_its_vpc_and_region_and_runs_no_waf() -> None:
    """With the metadata hop limit of 1 the controller cannot look region and VPC up itself."""
    values = _release("prod", "lb-controller")["values"]
    assert isinstance(values, dict)
    assert (values["clusterName"], values["region"], values["vpcId"]) == (
        prefix("prod"),
        "us-east-1",
        plan("prod").outputs["networkId"],
    )
    assert (values["enableShield"], values["enableWaf"], values["enableWafv2"]) == (False, False, False)
    assert values["defaultTargetType"] == "ip"
    assert values["serviceAccount"] == {"create": True, "name": "aws-load-balancer-controller"}


def test_the_load_balancer_controller_works_in_this_account_region_and_vpc_only() -> None:
    association = named(plan("prod"), "prod", "lb-controller", "aws:eks/podIdentityAssociation:PodIdentityAssociation")
    _, (policy,) = policies_of("prod", role_of("prod", association.inputs["roleArn"]))
    actions = {a for s in policy["Statement"] for a in s["Action"]}
    assert not [a for a in actions if a.split(":")[0] in ("waf-regional", "wafv2", "shield", "cognito-idp")]
    for statement in policy["Statement"]:
        resources = [statement["Resource"]] if isinstance(statement["Resource"], str) else statement["Resource"]
        if resources != ["*"]:
            assert all(":123456789012:" in r for r in resources), statement["Sid"]
            assert all(":us-east-1:" in r or r.startswith("arn:aws:iam::") for r in resources), statement["Sid"]
    (create,) = [s for s in policy["Statement"] if s["Action"] == ["ec2:CreateSecurityGroup"]]
    assert f"arn:aws:ec2:us-east-1:123456789012:vpc/{plan('prod').outputs['networkId']}" in create["Resource"]
