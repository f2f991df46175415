"""AWS KubeCluster, the data plane: pod addresses on a secondary range (custom networking), node
groups in private subnets (rule 23) with resilient minimums (24), hardened nodes (36: IMDSv2 hop 1,
encrypted disks, no public IPs), spot companions, and how nodes meet the network's flows."""

from __future__ import annotations

import json

import pytest

from bettafish.config.catalog import load_catalog, resolve
from components.kube_cluster import CAPACITY_LABEL, POOL_LABEL, SPOT_TAINT_KEY
from tests.aws.kube import (
    STACKS,
    addons,
    cluster,
    depends_on,
    key_arn,
    mine,
    named,
    node_groups,
    plan,
    policies_of,
    prefix,
    role_of,
)
from tests.mocks import load, stack_values

ENI_CONFIG = "kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig"
SUBNET = "aws:ec2/subnet:Subnet"


def _private_subnets(stack: str) -> list[str]:
    return list(plan(stack).outputs["privateSubnetIds"])


def _pod_subnets(stack: str) -> list[dict[str, object]]:
    return [{"id": s.id, **s.inputs} for s in sorted(mine(plan(stack), stack, SUBNET), key=lambda s: s.name)]


def _network_groups(stack: str) -> dict[str, str]:
    groups = plan(stack).of_type("aws:ec2/securityGroup:SecurityGroup")
    return {g.name.rsplit("-", 1)[-1]: g.id for g in groups}


def _cluster_security_group(stack: str) -> str:
    (rule,) = mine(plan(stack), stack, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    return str(rule.inputs["securityGroupId"])


@pytest.mark.parametrize(("stack", "pod_range"), [("prod", "100.64.0.0/16"), ("staging", "100.65.0.0/16")])
def test_pods_get_addresses_from_a_secondary_range_carved_per_zone(stack: str, pod_range: str) -> None:
    (association,) = mine(plan(stack), stack, "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation")
    assert association.inputs == {"vpcId": plan(stack).outputs["networkId"], "cidrBlock": pod_range}
    base = ".".join(pod_range.split(".")[:2])
    assert [s["cidrBlock"] for s in _pod_subnets(stack)] == [f"{base}.0.0/18", f"{base}.64.0/18", f"{base}.128.0/18"]
    assert [s["availabilityZone"] for s in _pod_subnets(stack)] == ["us-east-1a", "us-east-1b", "us-east-1c"]
    for subnet in mine(plan(stack), stack, SUBNET):
        assert subnet.inputs["mapPublicIpOnLaunch"] is False
        assert depends_on(subnet, association)


def test_pod_subnets_are_routed_like_the_private_subnet_of_their_zone() -> None:
    associations = plan("prod").of_type("aws:ec2/routeTableAssociation:RouteTableAssociation")
    table_of = {a.inputs["subnetId"]: a.inputs["routeTableId"] for a in associations}
    for pods, private in zip(_pod_subnets("prod"), _private_subnets("prod"), strict=True):
        assert table_of[str(pods["id"])] == table_of[private]


@pytest.mark.parametrize("stack", STACKS)
def test_the_cni_uses_custom_networking_prefixes_and_enforces_network_policy(stack: str) -> None:
    """Rule 34's engine (VPC CNI network policy) and the custom networking the pod range needs."""
    cni = addons(stack)["vpc-cni"]
    assert json.loads(cni.inputs["configurationValues"]) == {
        "env": {
            "AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG": "true",
            "ENI_CONFIG_LABEL_DEF": "topology.kubernetes.io/zone",
            "ENABLE_PREFIX_DELEGATION": "true",
            "WARM_PREFIX_TARGET": "1",
        },
        "enableNetworkPolicy": "true",
    }


@pytest.mark.parametrize("stack", STACKS)
def test_an_eniconfig_per_zone_sends_pods_to_its_pod_subnet_with_the_nodes_groups(stack: str) -> None:
    configs = sorted(mine(plan(stack), stack, ENI_CONFIG), key=lambda c: c.name)
    groups = [_cluster_security_group(stack), _network_groups(stack)["app"]]
    assert [(c.inputs["metadata"]["name"], c.inputs["spec"]) for c in configs] == [
        (s["availabilityZone"], {"subnet": s["id"], "securityGroups": groups}) for s in _pod_subnets(stack)
    ]
    for config in configs:
        assert depends_on(config, addons(stack)["vpc-cni"])  # the CRD comes with the CNI


@pytest.mark.parametrize("stack", STACKS)
def test_nodes_join_only_after_their_zones_eniconfig_and_the_networking_add_ons(stack: str) -> None:
    configs = mine(plan(stack), stack, ENI_CONFIG)
    for group in node_groups(stack).values():
        for config in configs:
            assert config.urn in group.options["dependsOn"], group.name
        for addon in ("vpc-cni", "kube-proxy", "eks-pod-identity-agent"):
            assert addons(stack)[addon].urn in group.options["dependsOn"], (group.name, addon)


@pytest.mark.parametrize("stack", STACKS)
def test_nodes_live_in_private_subnets_only(stack: str) -> None:
    """Rule 23 (AWS): every node group's subnets are the private subnets of its pool's zones."""
    pools = load(stack_values(stack, "aws"), stack).kubernetes.node_pools
    private = _private_subnets(stack)
    for name, group in node_groups(stack).items():
        pool = pools[name.removesuffix("spot")]
        assert group.inputs["subnetIds"] == [private[zone - 1] for zone in pool.zones], name


def test_every_on_demand_pool_keeps_two_nodes_in_two_zones_in_prod() -> None:
    """Rule 24 (AWS): minSize >= 2 over >= 2 zones, and EKS replaces unhealthy nodes itself."""
    for name, group in node_groups("prod").items():
        assert group.inputs["nodeRepairConfig"] == {"enabled": True}, name
        if group.inputs["capacityType"] == "ON_DEMAND":
            assert group.inputs["scalingConfig"]["minSize"] >= 2, name
            assert len(group.inputs["subnetIds"]) >= 2, name


@pytest.mark.parametrize(
    ("name", "instance_type", "sizes"),
    [("general", "t3.large", (6, 6, 13)), ("compute", "c5.2xlarge", (4, 4, 10)), ("memory", "r5.large", (2, 2, 3))],
)
def test_prod_pools_are_the_specs_node_groups(name: str, instance_type: str, sizes: tuple[int, int, int]) -> None:
    group = node_groups("prod")[name]
    assert group.inputs["instanceTypes"] == [instance_type]
    assert group.inputs["capacityType"] == "ON_DEMAND"
    scaling = group.inputs["scalingConfig"]
    assert (scaling["minSize"], scaling["desiredSize"], scaling["maxSize"]) == sizes
    assert group.inputs["labels"] == {POOL_LABEL: name, CAPACITY_LABEL: "on-demand"}
    assert "taints" not in group.inputs
    assert group.inputs["amiType"] == "AL2023_x86_64_STANDARD"
    assert group.inputs["version"] == "1.35"


@pytest.mark.parametrize("stack", STACKS)
def test_the_autoscaler_owns_the_size_of_every_group(stack: str) -> None:
    for name, group in node_groups(stack).items():
        assert group.options["ignoreChanges"] == ["scalingConfig.desiredSize"], name


@pytest.mark.parametrize(
    ("stack", "spot"),
    [("prod", {"generalspot": 3, "computespot": 3}), ("staging", {"generalspot": 1, "computespot": 1})],
)
def test_spot_companions_are_tainted_capped_and_diversified(stack: str, spot: dict[str, int]) -> None:
    groups = node_groups(stack)
    assert {n for n, g in groups.items() if g.inputs["capacityType"] == "SPOT"} == set(spot)
    pools = load(stack_values(stack, "aws"), stack).kubernetes.node_pools
    for name, maximum in spot.items():
        group, base = groups[name], name.removesuffix("spot")
        assert group.inputs["scalingConfig"] == {"minSize": 0, "desiredSize": 0, "maxSize": maximum}
        assert group.inputs["taints"] == [{"key": SPOT_TAINT_KEY, "value": "true", "effect": "NO_SCHEDULE"}]
        assert group.inputs["labels"] == {POOL_LABEL: base, CAPACITY_LABEL: "spot"}
        types = group.inputs["instanceTypes"]
        assert len(types) >= 2
        assert types[0] == groups[base].inputs["instanceTypes"][0]
        shape = resolve("compute", "aws", pools[base].size)
        rows = {r.type: r for r in load_catalog()["compute"]["aws"]}
        assert {(rows[t].vcpus, rows[t].memory_gib) for t in types} == {(shape.vcpus, shape.memory_gib)}


@pytest.mark.parametrize("stack", STACKS)
def test_nodes_boot_with_imdsv2_hop_limit_one_encrypted_disks_and_no_public_ip(stack: str) -> None:
    """Rule 36 (CKV_AWS_341): a pod cannot reach the node's credentials; disks encrypted with the
    kubernetes key; one interface without a public address carrying the cluster and application groups."""
    template = named(plan(stack), stack, "nodes", "aws:ec2/launchTemplate:LaunchTemplate")
    assert template.inputs["metadataOptions"] == {
        "httpEndpoint": "enabled",
        "httpTokens": "required",
        "httpPutResponseHopLimit": 1,
        "instanceMetadataTags": "disabled",
    }
    (disk,) = template.inputs["blockDeviceMappings"]
    assert disk["deviceName"] == "/dev/xvda"
    assert disk["ebs"] == {
        "volumeType": "gp3",
        "encrypted": "true",
        "kmsKeyId": key_arn(stack, "kubernetes"),
        "deleteOnTermination": "true",
    }
    (interface,) = template.inputs["networkInterfaces"]
    assert interface["associatePublicIpAddress"] == "false"
    assert interface["securityGroups"] == [_cluster_security_group(stack), _network_groups(stack)["app"]]
    for prohibited in ("instanceType", "iamInstanceProfile", "vpcSecurityGroupIds", "imageId"):
        assert prohibited not in template.inputs
    for group in node_groups(stack).values():
        assert group.inputs["launchTemplate"] == {"id": template.id, "version": "1"}


def test_nodes_run_with_only_what_nodes_need() -> None:
    """Rule 30/36: the node role has the worker and image-pull policies, not the CNI's; inline only
    the decryption of the stack's images (the workloads' registry), nothing an app could use."""
    (group, *_) = node_groups("prod").values()
    role = role_of("prod", group.inputs["nodeRoleArn"])
    managed, inline = policies_of("prod", role)
    assert sorted(managed) == [
        "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryPullOnly",
        "arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
    ]
    assert [(s["Sid"], s["Action"]) for p in inline for s in p["Statement"]] == [
        ("DecryptImagesOfThisStack", ["kms:Decrypt"])
    ]
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement["Principal"] == {"Service": "ec2.amazonaws.com"}
    assert {g.inputs["nodeRoleArn"] for g in node_groups("prod").values()} == {group.inputs["nodeRoleArn"]}


def test_auto_scaling_may_encrypt_node_volumes_with_the_kubernetes_key() -> None:
    """EC2 Auto Scaling launches the nodes; its service-linked role can only be granted by the key
    policy (use, and grants for AWS resources only)."""
    (kubernetes_key,) = [k for k in plan("prod").of_type("aws:kms/key:Key") if k.name.endswith("-keys-kubernetes")]
    statements = json.loads(kubernetes_key.inputs["policy"])["Statement"]
    slr = "arn:aws:iam::123456789012:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
    by_sid = {s["Sid"]: s for s in statements}
    use, grants = by_sid["AutoScalingUsesKeyForNodeVolumes"], by_sid["AutoScalingGrantsKeyToAttachedVolumes"]
    assert use["Principal"] == grants["Principal"] == {"AWS": slr}
    assert grants["Action"] == "kms:CreateGrant"
    assert grants["Condition"] == {"Bool": {"kms:GrantIsForAWSResource": True}}
    for other in plan("prod").of_type("aws:kms/key:Key"):
        if other is not kubernetes_key:
            assert slr not in other.inputs["policy"], other.name


@pytest.mark.parametrize("stack", STACKS)
def test_the_node_groups_are_named_after_their_pools(stack: str) -> None:
    assert all(name == g.name.removeprefix(f"{prefix(stack)}-") for name, g in node_groups(stack).items())
    assert list(plan(stack).outputs["nodePoolNames"]) == [
        n for n in ("general", "generalspot", "compute", "computespot", "memory") if n in node_groups(stack)
    ]
    assert cluster(stack).inputs["name"] == prefix(stack)
