"""Kubernetes config: the managed control plane, addressing, node pools, add-ons, scaling, spot."""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import Annotated, Literal

from pydantic import Field, model_validator

from bettafish.config.base import Cidr, Cloud, MachineSize, Model, Percent, PositiveInt, WeeklyWindow

Addon = Literal["loadBalancerController", "clusterAutoscaler", "metricsServer", "blockStorageCsi"]
ControlPlaneLog = Literal["api", "audit", "authenticator", "controllerManager", "scheduler"]
CONTROL_PLANE_LOGS: tuple[ControlPlaneLog, ...] = ("api", "audit", "authenticator", "controllerManager", "scheduler")
PoolName = Annotated[str, Field(pattern=r"^[a-z][a-z0-9]{0,7}$")]
"""Short lowercase names: AKS agent pool names are at most 12 characters (``<name>spot`` included)."""


class ControlPlane(Model):
    """Managed control plane. The spec's three t3.medium masters become a zone-redundant managed
    control plane (EKS, regional GKE, AKS Standard tier): its machines are the cloud's to size.

    The API endpoint is private; ``authorizedCidrs`` adds a public endpoint reachable from those
    ranges only (for an operator outside the network). Never a public endpoint open to all."""

    zone_redundant: bool = True
    private_endpoint: bool = True
    authorized_cidrs: list[Cidr] = Field(default_factory=list)
    logs: list[ControlPlaneLog] = Field(default_factory=lambda: list(CONTROL_PLANE_LOGS))
    """Control-plane log types kept (security rule 22), for ``monitoring.logRetention.applicationDays``."""

    @model_validator(mode="after")
    def _never_open_to_all(self) -> ControlPlane:
        if not self.private_endpoint and not self.authorized_cidrs:
            raise ValueError("a public API endpoint needs authorizedCidrs (security rule 20)")
        if any(cidr.prefixlen == 0 for cidr in self.authorized_cidrs):
            raise ValueError("authorizedCidrs must not contain 0.0.0.0/0 (security rule 20)")
        return self


class NodePool(Model):
    size: MachineSize
    count: PositiveInt
    """Nodes at creation, in total over the pool's zones (the autoscaler owns the size afterwards)."""
    min_count: PositiveInt
    max_count: PositiveInt
    zones: Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=1)]
    """1-based positions in ``bettafish:network.zones``."""
    spot: bool = True
    """Whether the pool gets a spot companion (``<name>spot``) when ``kubernetes.spot`` is enabled."""

    @model_validator(mode="after")
    def _count_within_bounds(self) -> NodePool:
        if not self.min_count <= self.count <= self.max_count:
            raise ValueError(
                f"need minCount <= count <= maxCount, got {self.min_count} <= {self.count} <= {self.max_count}"
            )
        if len(set(self.zones)) != len(self.zones):
            raise ValueError(f"zones must be distinct, got {self.zones}")
        return self


class ClusterAutoscaling(Model):
    """Bounds and pace of the cluster autoscaler over all node pools, spot companions included."""

    min_capacity: PositiveInt
    max_capacity: PositiveInt
    target_cpu_percent: Percent
    scale_up_cooldown_seconds: PositiveInt
    """How long after a scale-up before a scale-down is considered (``scale-down-delay-after-add``)."""
    scale_down_cooldown_seconds: PositiveInt
    """How long a node stays unneeded before it is removed (``scale-down-unneeded-time``)."""

    @model_validator(mode="after")
    def _min_not_above_max(self) -> ClusterAutoscaling:
        if self.min_capacity > self.max_capacity:
            raise ValueError(f"minCapacity {self.min_capacity} is above maxCapacity {self.max_capacity}")
        return self


class Spot(Model):
    enabled: bool
    max_percent: Annotated[int, Field(ge=0, le=100)]
    """The most a spot companion may hold, as a share of its pool's ``maxCount``."""
    fallback_to_on_demand: bool = True
    """When spot capacity is gone, the autoscaler grows the on-demand pool instead."""


class Admins(Model):
    """Cluster administrators per cloud, as each cloud names principals."""

    aws: list[Annotated[str, Field(pattern=r"^arn:aws[a-z-]*:(iam|sts)::\d{12}:(role|user)/[\w+=,.@/-]+$")]] = Field(
        default_factory=list
    )
    """IAM role or user ARNs (EKS access entries)."""
    gcp: list[Annotated[str, Field(pattern=r"^(user|group|serviceAccount):[^@\s]+@[^@\s]+$")]] = Field(
        default_factory=list
    )
    """IAM members (``group:platform@example.com``)."""
    azure: list[
        Annotated[str, Field(pattern=r"^(user|group|servicePrincipal):[0-9a-f]{8}-([0-9a-f]{4}-){3}[0-9a-f]{12}$")]
    ] = Field(default_factory=list)
    """Microsoft Entra object ids with their kind (``group:<object id>``): a role assignment must
    name the principal's type, and Azure refuses one that does not match (UnmatchedPrincipalType)."""

    def of(self, cloud: Cloud) -> list[str]:
        return list(getattr(self, cloud))


class AzureKubernetes(Model):
    """Settings only AKS has."""

    api_server_subnet: Cidr
    """The subnet AKS projects the API server into (API Server VNet Integration), delegated to AKS:
    inside ``network.cidr``, clear of the network's subnets, a /28 or larger. Needed because the key
    vault's firewall admits the KMS plugin only through a private endpoint, which AKS supports only
    with a VNet-integrated API server."""
    system_pool: NodePool
    """AKS's own pool for critical add-ons (mode System, tainted ``CriticalAddonsOnly``): its counts are
    totals over its zones like every pool's, and count against ``kubernetes.autoscaling``."""
    max_pods_per_node: Annotated[int, Field(ge=10, le=250)] = 110
    """Pods per node (Azure CNI Overlay takes 10-250); each node holds a /24 of ``podCidr`` regardless."""
    maintenance_window: WeeklyWindow
    """When AKS applies patch upgrades and new node images, UTC, whole hours, at least four."""
    ingress_subnet: Cidr
    """The subnet Application Gateway for Containers joins (its association), delegated to
    ``Microsoft.ServiceNetworking/trafficControllers``: inside ``network.cidr``, clear of every other
    subnet, and exactly a /24, the one size AGC supports with Azure CNI Overlay."""
    deployer_principal_type: Literal["User", "ServicePrincipal"] = "User"
    """Who runs ``pulumi up``: a ``User`` (``az login``) or a ``ServicePrincipal`` (CI with a service
    principal or managed identity). The deployer's cluster-admin grant must state it: the SDK cannot
    leave the type out, and Azure refuses a grant whose type does not match."""


class Kubernetes(Model):
    version: Annotated[str, Field(pattern=r"^1\.\d{2}$")]
    """Kubernetes minor version; the cloud's catalog (``data/kubernetes.yaml``) must list it."""
    control_plane: ControlPlane = ControlPlane()
    pod_cidr: Cidr
    """Pod addresses, outside the network: a secondary VPC range with VPC CNI custom networking on
    EKS, the pods secondary range on GKE, the Azure CNI Overlay pod range on AKS."""
    service_cidr: Cidr
    """Service (ClusterIP) addresses, outside the network and the pod range."""
    admins: Admins = Admins()
    node_pools: Annotated[dict[PoolName, NodePool], Field(min_length=1)]
    addons: list[Addon]
    autoscaling: ClusterAutoscaling
    spot: Spot
    azure: AzureKubernetes | None = None
    """Required on Azure (``checks.kubernetes_azure``)."""

    @model_validator(mode="after")
    def _addressing_disjoint(self) -> Kubernetes:
        if self.pod_cidr.overlaps(self.service_cidr):
            raise ValueError(f"podCidr {self.pod_cidr} overlaps serviceCidr {self.service_cidr}")
        return self

    def spot_max(self, pool: NodePool) -> int:
        """Nodes the pool's spot companion may grow to (0: no companion)."""
        if not (self.spot.enabled and pool.spot):
            return 0
        return pool.max_count * self.spot.max_percent // 100

    def total_max(self) -> int:
        """Every node the autoscaler may run, spot companions included."""
        return sum(pool.max_count + self.spot_max(pool) for pool in self.node_pools.values())

    def dns_service_ip(self) -> str:
        """The cluster DNS service address: the tenth of the service range, as every cloud uses."""
        return str(self.service_cidr.network_address + 10)


def fits(cidr: IPv4Network, nodes: int, per_node_prefix: int) -> bool:
    """Whether ``cidr`` holds ``nodes`` ranges of ``/per_node_prefix`` (one per node)."""
    return cidr.prefixlen <= per_node_prefix and 2 ** (per_node_prefix - cidr.prefixlen) >= nodes


def per_zone(total: int, zones: int) -> list[int]:
    """``total`` spread over ``zones`` as evenly as possible, the first zones taking the remainder:
    how a pool's count (a total over its zones) becomes per-zone counts where a cloud needs them."""
    base, extra = divmod(total, zones)
    return [base + (i < extra) for i in range(zones)]
