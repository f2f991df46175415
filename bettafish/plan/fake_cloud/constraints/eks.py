"""EKS (AWS Kubernetes): what the real API refuses that the SDK's types allow (see the package docstring),
including the VPC refusals the cluster's secondary pod range runs into."""

from __future__ import annotations

import json
from collections.abc import Sequence
from ipaddress import IPv4Network
from typing import TYPE_CHECKING

from bettafish.config.checks.kubernetes_aws import secondary_cidr_refusal
from bettafish.plan.fake_cloud.constraints import Constraint, registered, value

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ADDON = "aws:eks/addon:Addon"
SUBNET = "aws:ec2/subnet:Subnet"
ENI_CONFIG = "kubernetes:crd.k8s.amazonaws.com/v1alpha1:ENIConfig"
UG = "https://docs.aws.amazon.com/eks/latest/userguide"


def _cluster(resource: RecordedResource, before: Sequence[RecordedResource]) -> RecordedResource | None:
    """The cluster ``resource`` names in ``clusterName``, if registered."""
    return next(
        (c for c in registered(before, CLUSTER) if c.inputs.get("name") == resource.inputs.get("clusterName")), None
    )


def _depended_on(
    resource: RecordedResource, before: Sequence[RecordedResource], type_token: str
) -> list[RecordedResource]:
    return [r for r in registered(before, type_token) if r.urn in resource.dependencies]


def _subnets(ids: list[str], before: Sequence[RecordedResource]) -> list[RecordedResource]:
    return [s for s in registered(before, SUBNET) if s.id in ids]


def _log_group_not_first(cluster: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    if not value(cluster.inputs, "enabledClusterLogTypes"):
        return False
    wanted = f"/aws/eks/{cluster.inputs.get('name')}/cluster"
    groups = _depended_on(cluster, before, "aws:cloudwatch/logGroup:LogGroup")
    return not any(g.inputs.get("name") == wanted for g in groups)


def _fewer_than_two_zones(cluster: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    ids = value(cluster.inputs, "vpcConfig.subnetIds", [])
    subnets = _subnets(ids, before)
    return len(subnets) == len(ids) and len({s.inputs.get("availabilityZone") for s in subnets}) < 2


def _not_api_mode(entry: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    cluster = _cluster(entry, before)
    return (
        cluster is not None and value(cluster.inputs, "accessConfig.authenticationMode", "CONFIG_MAP") == "CONFIG_MAP"
    )


def _no_access_entry(association: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    entries = _depended_on(association, before, "aws:eks/accessEntry:AccessEntry")
    return not any(
        e.inputs.get("principalArn") == association.inputs.get("principalArn")
        and e.inputs.get("clusterName") == association.inputs.get("clusterName")
        for e in entries
    )


def _subnets_outside_cluster_vpc(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    cluster = _cluster(group, before)
    if cluster is None:
        return False
    cluster_vpcs = {s.inputs.get("vpcId") for s in _subnets(value(cluster.inputs, "vpcConfig.subnetIds", []), before)}
    group_vpcs = {s.inputs.get("vpcId") for s in _subnets(group.inputs.get("subnetIds", []), before)}
    return bool(group_vpcs - cluster_vpcs)


def _launch_template(group: RecordedResource, before: Sequence[RecordedResource]) -> RecordedResource | None:
    wanted = value(group.inputs, "launchTemplate.id")
    return next((t for t in registered(before, "aws:ec2/launchTemplate:LaunchTemplate") if t.id == wanted), None)


def _instance_type_twice(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    template = _launch_template(group, before)
    return (
        template is not None and bool(template.inputs.get("instanceType")) and bool(group.inputs.get("instanceTypes"))
    )


def _prohibited_in_template(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """Instance profile, a subnet, shutdown behaviour, or both kinds of security groups; a disk size
    on the node group instead of the template."""
    template = _launch_template(group, before)
    if template is None:
        return False
    interfaces = template.inputs.get("networkInterfaces", [])
    return (
        "iamInstanceProfile" in template.inputs
        or "instanceInitiatedShutdownBehavior" in template.inputs
        or any(i.get("subnetId") for i in interfaces)
        or (bool(template.inputs.get("vpcSecurityGroupIds")) and any(i.get("securityGroups") for i in interfaces))
        or "diskSize" in group.inputs
    )


def _al2_on_new_version(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    cluster = _cluster(group, before)
    version = str(group.inputs.get("version") or (cluster.inputs.get("version") if cluster else "") or "0.0")
    return str(group.inputs.get("amiType", "")).startswith("AL2_") and int(version.split(".")[1]) >= 33


def _scaling_out_of_bounds(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    scaling = group.inputs.get("scalingConfig", {})
    low, desired, high = (int(scaling.get(k, 0)) for k in ("minSize", "desiredSize", "maxSize"))
    return high < 1 or not low <= desired <= high


def _joins_without_cni(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """On a cluster created without self-managed add-ons, nodes need the VPC CNI and kube-proxy
    add-ons first; with custom networking, also their zones' ENIConfigs."""
    cluster = _cluster(group, before)
    if cluster is None or cluster.inputs.get("bootstrapSelfManagedAddons", True):
        return False
    addons = {a.inputs.get("addonName"): a for a in _depended_on(group, before, ADDON)}
    if not {"vpc-cni", "kube-proxy"} <= set(addons):
        return True
    env = json.loads(addons["vpc-cni"].inputs.get("configurationValues") or "{}").get("env", {})
    if env.get("AWS_VPC_K8S_CNI_CUSTOM_NETWORK_CFG") != "true":
        return False
    zones = {s.inputs.get("availabilityZone") for s in _subnets(group.inputs.get("subnetIds", []), before)}
    configured = {value(e.inputs, "metadata.name") for e in _depended_on(group, before, ENI_CONFIG)}
    return not zones <= configured


def _addon(name: str, resource: RecordedResource) -> bool:
    return resource.inputs.get("addonName") == name


def _kube_proxy_skew(addon: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    cluster = _cluster(addon, before)
    if not _addon("kube-proxy", addon) or cluster is None or not addon.inputs.get("addonVersion"):
        return False
    return not str(addon.inputs["addonVersion"]).startswith(f"v{cluster.inputs.get('version')}.")


def _needs_nodes(addon: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    deployments = ("coredns", "aws-ebs-csi-driver", "metrics-server")
    return any(_addon(n, addon) for n in deployments) and not _depended_on(addon, before, NODE_GROUP)


def _restricted_secondary_range(association: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    vpc = next((v for v in registered(before, "aws:ec2/vpc:Vpc") if v.id == association.inputs.get("vpcId")), None)
    if vpc is None or "cidrBlock" not in association.inputs:
        return False
    primary, secondary = IPv4Network(vpc.inputs["cidrBlock"]), IPv4Network(association.inputs["cidrBlock"])
    return secondary_cidr_refusal(primary, secondary) is not None


def _subnet_outside_vpc(subnet: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """A subnet in a secondary range must wait for that range's association."""
    vpc = next((v for v in registered(before, "aws:ec2/vpc:Vpc") if v.id == subnet.inputs.get("vpcId")), None)
    if vpc is None or "cidrBlock" not in subnet.inputs:
        return False
    ranges = [vpc.inputs["cidrBlock"]] + [
        a.inputs["cidrBlock"]
        for a in _depended_on(subnet, before, "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation")
        if a.inputs.get("vpcId") == vpc.id
    ]
    cidr = IPv4Network(subnet.inputs["cidrBlock"])
    return not any(cidr.subnet_of(IPv4Network(r)) for r in ranges)


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="eks-cluster-log-group-first",
        type=CLUSTER,
        refuses=_log_group_not_first,
        error="ResourceAlreadyExistsException: The specified log group already exists (EKS creates"
        " /aws/eks/<cluster>/cluster itself, unencrypted and kept forever, unless the cluster waits for it)",
        doc=f"{UG}/control-plane-logs.html",
    ),
    Constraint(
        id="eks-cluster-two-zones",
        type=CLUSTER,
        refuses=_fewer_than_two_zones,
        error="InvalidParameterException: Subnets specified must be in at least two different AZs",
        doc=f"{UG}/network-reqs.html",
    ),
    Constraint(
        id="eks-access-entry-needs-api-mode",
        type="aws:eks/accessEntry:AccessEntry",
        refuses=_not_api_mode,
        error="InvalidRequestException: The cluster's authentication mode must be set to one of"
        " [API, API_AND_CONFIG_MAP] to perform this operation",
        doc=f"{UG}/setting-up-access-entries.html",
    ),
    Constraint(
        id="eks-access-policy-needs-entry",
        type="aws:eks/accessPolicyAssociation:AccessPolicyAssociation",
        refuses=_no_access_entry,
        error="ResourceNotFoundException: The specified principalArn could not be found"
        " (the association must wait for the principal's access entry)",
        doc="https://docs.aws.amazon.com/eks/latest/APIReference/API_AssociateAccessPolicy.html",
    ),
    Constraint(
        id="eks-nodegroup-subnets-in-cluster-vpc",
        type=NODE_GROUP,
        refuses=_subnets_outside_cluster_vpc,
        error="InvalidParameterException: a managed node group's subnets must be in the cluster's VPC",
        doc=f"{UG}/create-managed-node-group.html",
    ),
    Constraint(
        id="eks-nodegroup-instance-type-once",
        type=NODE_GROUP,
        refuses=_instance_type_twice,
        error="InvalidParameterException: instance types may be set in the launch template or the node group, not both",
        doc=f"{UG}/launch-templates.html",
    ),
    Constraint(
        id="eks-launch-template-prohibited",
        type=NODE_GROUP,
        refuses=_prohibited_in_template,
        error="InvalidParameterException: a managed node group's launch template may not set an IAM instance"
        " profile, a subnet, shutdown behaviour, or both instance and interface security groups; the disk"
        " size goes in the template",
        doc=f"{UG}/launch-templates.html",
    ),
    Constraint(
        id="eks-al2-ami-retired",
        type=NODE_GROUP,
        refuses=_al2_on_new_version,
        error="InvalidParameterException: Amazon Linux 2 AMI types are not available for Kubernetes 1.33"
        " and later; use AL2023",
        doc=f"{UG}/eks-ami-deprecation-faqs.html",
    ),
    Constraint(
        id="eks-nodegroup-scaling-bounds",
        type=NODE_GROUP,
        refuses=_scaling_out_of_bounds,
        error="InvalidParameterException: need minSize <= desiredSize <= maxSize and maxSize >= 1",
        doc="https://docs.aws.amazon.com/eks/latest/APIReference/API_NodegroupScalingConfig.html",
    ),
    Constraint(
        id="eks-nodegroup-needs-cni",
        type=NODE_GROUP,
        refuses=_joins_without_cni,
        error="NodeCreationFailure: Instances failed to join the kubernetes cluster (no VPC CNI and kube-proxy"
        " add-ons on a cluster created without them, or no ENIConfig for a zone under custom networking)",
        doc=f"{UG}/cni-custom-network-tutorial.html",
    ),
    Constraint(
        id="eks-kube-proxy-version",
        type=ADDON,
        refuses=_kube_proxy_skew,
        error="InvalidParameterException: Addon version specified is not supported (kube-proxy add-on"
        " versions follow the cluster's minor version)",
        doc=f"{UG}/managing-kube-proxy.html",
    ),
    Constraint(
        id="eks-addon-needs-nodes",
        type=ADDON,
        refuses=_needs_nodes,
        error="Addon status DEGRADED: a Deployment add-on (CoreDNS, EBS CSI, metrics-server) created before"
        " any node stays unhealthy and the create times out",
        doc=f"{UG}/creating-an-add-on.html",
    ),
    Constraint(
        id="aws-vpc-secondary-range-restricted",
        type="aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation",
        refuses=_restricted_secondary_range,
        error="InvalidVpc.Range: The CIDR is restricted. Use a CIDR from the same private address range as"
        " the current VPC CIDR, or use a publicly-routable CIDR",
        doc="https://docs.aws.amazon.com/vpc/latest/userguide/vpc-cidr-blocks.html",
    ),
    Constraint(
        id="aws-subnet-outside-vpc-ranges",
        type=SUBNET,
        refuses=_subnet_outside_vpc,
        error="InvalidSubnet.Range: The CIDR is invalid (outside every range associated with the VPC)",
        doc="https://docs.aws.amazon.com/vpc/latest/userguide/subnet-sizing.html",
    ),
)
