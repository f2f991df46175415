"""AKS network refusals: the API endpoint, pod and service ranges, node and API server subnets."""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Address, IPv4Network
from typing import TYPE_CHECKING

from bettafish.plan.fake_cloud.constraints import Constraint, Refuses, value
from bettafish.plan.fake_cloud.constraints.aks_refs import (
    AKS_DOCS,
    CLUSTER,
    NETWORK_CONTRIBUTOR,
    SUBNET,
    by_id,
    cidr,
    cluster_of,
    granted,
    on_pools,
    subnets_of,
    vnet_ranges,
)

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

Before = Sequence["RecordedResource"]
RESERVED = [IPv4Network(c) for c in ("169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24")]
API_SERVER_DELEGATION = "Microsoft.ContainerService/managedClusters"
CNI = f"{AKS_DOCS}/concepts-network-cni-overview#aks-cni-networking-prerequisites"
OVERLAY = f"{AKS_DOCS}/azure-cni-overlay#ip-address-planning"


def _private_with_ranges(cluster: RecordedResource, _: Before) -> bool:
    profile = cluster.inputs.get("apiServerAccessProfile") or {}
    return bool(profile.get("enablePrivateCluster") and profile.get("authorizedIPRanges"))


def _dns_outside_services(cluster: RecordedResource, _: Before) -> bool:
    services = cidr(value(cluster.inputs, "networkProfile.serviceCidr"))
    dns = value(cluster.inputs, "networkProfile.dnsServiceIP")
    if services is None or dns is None:
        return False
    address = IPv4Address(dns)
    return address not in services or address in (services.network_address, services.network_address + 1)


def _overlaps_vnet(path: str) -> Refuses:
    def refuses(cluster: RecordedResource, before: Before) -> bool:
        own = cidr(value(cluster.inputs, path))
        return own is not None and any(
            own.overlaps(space) for subnet in subnets_of(cluster, before) for space in vnet_ranges(subnet, before)
        )

    return refuses


def _reserved_ranges(cluster: RecordedResource, _: Before) -> bool:
    ranges = [cidr(value(cluster.inputs, f"networkProfile.{key}")) for key in ("podCidr", "serviceCidr")]
    return any(own.overlaps(reserved) for own in ranges if own is not None for reserved in RESERVED)


def _delegated_node_subnet(resource: RecordedResource, before: Before) -> bool:
    return any(subnet.inputs.get("delegations") for subnet in subnets_of(resource, before))


def _nat_missing(resource: RecordedResource, before: Before) -> bool:
    cluster = resource if resource.type == CLUSTER else cluster_of(resource, before)
    if cluster is None or value(cluster.inputs, "networkProfile.outboundType") != "userAssignedNATGateway":
        return False
    return any(not subnet.inputs.get("natGateway") for subnet in subnets_of(resource, before))


def _subnet_not_granted(resource: RecordedResource, before: Before) -> bool:
    if resource.type == CLUSTER and value(resource.inputs, "identity.type") != "UserAssigned":
        return False
    return any(not granted(resource, before, NETWORK_CONTRIBUTOR, s.id) for s in subnets_of(resource, before))


def _api_subnet_unfit(cluster: RecordedResource, before: Before) -> bool:
    profile = cluster.inputs.get("apiServerAccessProfile") or {}
    subnet = by_id(before, SUBNET, profile.get("subnetId"))
    if not profile.get("enableVnetIntegration") or subnet is None:
        return False
    delegations = subnet.inputs.get("delegations") or []
    delegated = any(d.get("serviceName") == API_SERVER_DELEGATION for d in delegations)
    size = cidr(subnet.inputs.get("addressPrefix"))
    return (
        not delegated
        or size is None
        or size.prefixlen > 28
        or not granted(cluster, before, NETWORK_CONTRIBUTOR, subnet.id)
    )


def _cilium_with_other_policy(cluster: RecordedResource, _: Before) -> bool:
    cilium = value(cluster.inputs, "networkProfile.networkDataplane") == "cilium"
    return cilium and value(cluster.inputs, "networkProfile.networkPolicy") in ("azure", "calico")


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="aks-private-cluster-authorized-ranges",
        type=CLUSTER,
        refuses=_private_with_ranges,
        error="API server authorized IP ranges can't be used with private clusters",
        doc=f"{AKS_DOCS}/api-server-authorized-ip-ranges",
    ),
    Constraint(
        id="aks-dns-service-ip-in-service-cidr",
        type=CLUSTER,
        refuses=_dns_outside_services,
        error="dnsServiceIP must be within serviceCidr and must not be its first address",
        doc=OVERLAY,
    ),
    Constraint(
        id="aks-pod-cidr-overlaps-vnet",
        type=CLUSTER,
        refuses=_overlaps_vnet("networkProfile.podCidr"),
        error="Pod CIDR space must not overlap with the cluster subnet range",
        doc=OVERLAY,
    ),
    Constraint(
        id="aks-service-cidr-overlaps-vnet",
        type=CLUSTER,
        refuses=_overlaps_vnet("networkProfile.serviceCidr"),
        error="ServiceCidrOverlapExistingSubnetsCidr: the service CIDR must not overlap the cluster's virtual"
        " network (AKS's default 10.0.0.0/16 does overlap a 10.0.0.0/16 VNet)",
        doc=OVERLAY,
    ),
    Constraint(
        id="aks-reserved-ranges",
        type=CLUSTER,
        refuses=_reserved_ranges,
        error="AKS rejects pod and service CIDRs that overlap a reserved range"
        " (169.254.0.0/16, 172.30.0.0/16, 172.31.0.0/16, 192.0.2.0/24)",
        doc=CNI,
    ),
    *on_pools(
        "aks-node-subnet-delegated",
        _delegated_node_subnet,
        "The subnet assigned to the AKS node pool can't be a delegated subnet",
        CNI,
    ),
    *on_pools(
        "aks-nat-gateway-on-node-subnet",
        _nat_missing,
        "outboundType userAssignedNATGateway requires a NAT gateway preconfigured on the node subnet",
        f"{AKS_DOCS}/nat-gateway#create-an-aks-cluster-with-a-user-assigned-nat-gateway",
    ),
    *on_pools(
        "aks-node-subnet-grant",
        _subnet_not_granted,
        "the cluster identity must have Network Contributor on the node subnet before nodes join it",
        CNI,
    ),
    Constraint(
        id="aks-api-server-subnet",
        type=CLUSTER,
        refuses=_api_subnet_unfit,
        error="API Server VNet Integration needs a /28 or larger subnet delegated to"
        " Microsoft.ContainerService/managedClusters, with Network Contributor for the cluster identity",
        doc=f"{AKS_DOCS}/api-server-vnet-integration",
    ),
    Constraint(
        id="aks-cilium-network-policy",
        type=CLUSTER,
        refuses=_cilium_with_other_policy,
        error="Azure CNI powered by Cilium enforces network policy itself: networkPolicy must be cilium",
        doc=f"{AKS_DOCS}/azure-cni-powered-by-cilium",
    ),
)
