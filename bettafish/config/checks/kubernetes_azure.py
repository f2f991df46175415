"""Kubernetes settings only AKS constrains (the shared ones are in ``checks.kubernetes``).

How the neutral settings become AKS resources is in ``providers.azure.kubernetes``: every pool is one
agent pool per zone (``<pool><zone>``, spot companions ``<pool>spot<zone>``) on that zone's private
subnet, plus AKS's own System pool (``kubernetes.azure.systemPool``).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from ipaddress import IPv4Network

from bettafish.config.base import MachineSize
from bettafish.config.catalog import SizeNotInCatalogError, resolve
from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.kubernetes import AzureKubernetes, Kubernetes, NodePool, fits
from bettafish.config.stack import StackConfig

AGENT_POOL_NAME_MAX = 12
"""AKS Linux agent pool names: lowercase letters and digits, at most 12 characters."""
SYSTEM_POOL = "system"
RESERVED_RANGES = tuple(
    IPv4Network(cidr) for cidr in ("169.254.0.0/16", "172.30.0.0/16", "172.31.0.0/16", "192.0.2.0/24")
)
"""Ranges AKS refuses for the VNet, pods and services (learn.microsoft.com/azure/aks/concepts-network-cni-overview)."""
API_SERVER_SUBNET_LARGEST_PREFIX = 28
INGRESS_SUBNET_PREFIX = 24
"""Application Gateway for Containers with Azure CNI Overlay supports a /24 association subnet only."""
SERVICE_RANGE_LARGEST = 12
"""AKS takes service ranges up to a /12."""
POD_RANGE_PER_NODE = 24
"""Azure CNI Overlay gives every node a /24 of the pod range, whatever its pods per node."""
LOG_RETENTION_DAYS = (30, 730)
"""What a pay-as-you-go Log Analytics workspace keeps."""
MAINTENANCE_HOURS = (4, 24)
"""AKS's auto-upgrade and node-OS maintenance windows last 4 to 24 whole hours."""
ALWAYS_ON_ADDONS = {
    "metricsServer": "AKS always runs metrics-server",
    "loadBalancerController": "AKS always runs the Azure cloud provider's load-balancer controller",
    "blockStorageCsi": "the default encrypted StorageClass provisions through the Azure Disk CSI driver",
}
DAYS = {"mon": "Monday", "tue": "Tuesday", "wed": "Wednesday", "thu": "Thursday", "fri": "Friday"}
DAYS |= {"sat": "Saturday", "sun": "Sunday"}


@dataclass(frozen=True)
class WeeklySlot:
    day: str
    """Monday ... Sunday, as AKS names them."""
    start: str
    """HH:MM (UTC)."""
    hours: int | None
    """Whole hours, None if the window is not a whole number of hours."""


def weekly_slot(window: str) -> WeeklySlot:
    """A weekly window (``sun:00:00-sun:04:00``) as AKS schedules maintenance: day, start, hours."""
    start, end = window.split("-")
    day, hour, minute = start.split(":")
    days = list(DAYS)
    bounds = [days.index(d) * 1440 + int(h) * 60 + int(m) for d, h, m in (t.split(":") for t in (start, end))]
    length = (bounds[1] - bounds[0]) % (7 * 1440)
    return WeeklySlot(DAYS[day], f"{hour}:{minute}", length // 60 if length and length % 60 == 0 else None)


def agent_pool_names(name: str, pool: NodePool, spot: bool) -> list[str]:
    """The per-zone AKS agent pools of a configured pool (with its spot companion's, if any), named
    after the zone's position in ``network.zones``."""
    names = [f"{name}{position}" for position in pool.zones]
    return names + ([f"{name}spot{position}" for position in pool.zones] if spot else [])


def check_azure_kubernetes(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "azure":
        return
    k8s = cfg.kubernetes
    if k8s.azure is None:
        yield Issue(
            _key("kubernetes.azure"),
            "azure needs apiServerSubnet, ingressSubnet, systemPool and maintenanceWindow",
        )
        return
    yield from _control_plane(k8s)
    yield from _addressing(cfg, k8s.azure)
    yield from _pools(cfg, k8s, k8s.azure)
    yield from _autoscaling(k8s, k8s.azure)
    yield from _addons(k8s)
    yield from _operations(cfg, k8s.azure)


def _control_plane(k8s: Kubernetes) -> Iterator[Issue]:
    plane = k8s.control_plane
    if not plane.zone_redundant:
        yield Issue(
            _key("kubernetes.controlPlane.zoneRedundant"),
            "azure AKS Standard tier runs its control plane across the region's zones; there is no single-zone one",
        )
    if plane.private_endpoint and plane.authorized_cidrs:
        yield Issue(
            _key("kubernetes.controlPlane.authorizedCidrs"),
            "azure: a private AKS cluster has no public endpoint to limit; set privateEndpoint: false for a"
            " public endpoint open to these ranges only (nodes still reach the API server privately)",
        )


def _addressing(cfg: StackConfig, azure: AzureKubernetes) -> Iterator[Issue]:
    k8s, net = cfg.kubernetes, cfg.network
    ranges = (
        ("network.cidr", net.cidr),
        ("kubernetes.podCidr", k8s.pod_cidr),
        ("kubernetes.serviceCidr", k8s.service_cidr),
    )
    for path, cidr in ranges:
        for reserved in RESERVED_RANGES:
            if cidr.overlaps(reserved):
                yield Issue(_key(path), f"azure: {cidr} overlaps {reserved}, which AKS reserves")
    if k8s.service_cidr.prefixlen < SERVICE_RANGE_LARGEST:
        yield Issue(_key("kubernetes.serviceCidr"), f"azure takes service ranges up to a /{SERVICE_RANGE_LARGEST}")
    subnet, path = azure.api_server_subnet, "kubernetes.azure.apiServerSubnet"
    if not subnet.subnet_of(net.cidr):
        yield Issue(_key(path), f"{subnet} is outside network.cidr {net.cidr}")
    if subnet.prefixlen > API_SERVER_SUBNET_LARGEST_PREFIX:
        yield Issue(_key(path), f"AKS needs a /{API_SERVER_SUBNET_LARGEST_PREFIX} or larger API server subnet")
    for tier in ("public", "private", "database"):
        covering = net.subnets.regional(tier)
        if subnet.overlaps(covering):
            yield Issue(_key(path), f"{subnet} overlaps the {tier} subnets ({covering})")
    yield from _ingress_subnet(cfg, azure)


def _ingress_subnet(cfg: StackConfig, azure: AzureKubernetes) -> Iterator[Issue]:
    net, subnet, path = cfg.network, azure.ingress_subnet, "kubernetes.azure.ingressSubnet"
    if not subnet.subnet_of(net.cidr):
        yield Issue(_key(path), f"{subnet} is outside network.cidr {net.cidr}")
    if subnet.prefixlen != INGRESS_SUBNET_PREFIX:
        yield Issue(
            _key(path),
            f"azure: Application Gateway for Containers with Azure CNI Overlay needs exactly a"
            f" /{INGRESS_SUBNET_PREFIX} subnet, not /{subnet.prefixlen}",
        )
    others = {f"the {tier} subnets": net.subnets.regional(tier) for tier in ("public", "private", "database")}
    others["kubernetes.azure.apiServerSubnet"] = azure.api_server_subnet
    for what, other in others.items():
        if subnet.overlaps(other):
            yield Issue(_key(path), f"{subnet} overlaps {what} ({other})")


def _pools(cfg: StackConfig, k8s: Kubernetes, azure: AzureKubernetes) -> Iterator[Issue]:
    if SYSTEM_POOL in k8s.node_pools:
        yield Issue(_key(f"kubernetes.nodePools.{SYSTEM_POOL}"), "azure names its System pool so; rename this pool")
    zones = cfg.network.zones.of("azure")
    system, system_path = azure.system_pool, "kubernetes.azure.systemPool"
    if system.spot:
        yield Issue(
            _key(f"{system_path}.spot"), "AKS System pools take no Spot capacity (no spot companion); set spot: false"
        )
    if system.min_count < len(system.zones):
        yield Issue(_key(f"{system_path}.minCount"), "AKS System pools keep a node in each of their zones")
    for i, zone in enumerate(system.zones):
        if zone > len(zones):
            yield Issue(_key(f"{system_path}.zones[{i}]"), f"zone {zone} of {len(zones)}")
    yield from _size(f"{system_path}.size", system.size)
    for name, pool in {**k8s.node_pools, SYSTEM_POOL: system}.items():
        path = system_path if name == SYSTEM_POOL else f"kubernetes.nodePools.{name}"
        spot = name != SYSTEM_POOL and k8s.spot_max(pool) > 0
        too_long = [n for n in agent_pool_names(name, pool, spot) if len(n) > AGENT_POOL_NAME_MAX]
        if too_long:
            yield Issue(
                _key(path),
                f"azure agent pool names take at most {AGENT_POOL_NAME_MAX} characters: {', '.join(too_long)};"
                " shorten the pool's name",
            )
        if pool.max_count < len(pool.zones):
            yield Issue(
                _key(f"{path}.maxCount"),
                f"azure runs one agent pool per zone: {len(pool.zones)} zones need maxCount >= {len(pool.zones)}",
            )
        if spot and pool.size.pin.get("azure", "").startswith("Standard_B"):
            yield Issue(
                _key(f"{path}.size.pin.azure"),
                "Azure Spot offers no B-series VMs for the pool's spot companion; pin another type or set spot: false",
            )


def _size(path: str, size: MachineSize) -> Iterator[Issue]:
    try:
        resolve("compute", "azure", size)
    except SizeNotInCatalogError as exc:
        yield Issue(_key(path), str(exc))


def _autoscaling(k8s: Kubernetes, azure: AzureKubernetes) -> Iterator[Issue]:
    scaling = k8s.autoscaling
    nodes = k8s.total_max() + azure.system_pool.max_count
    if nodes > scaling.max_capacity:
        yield Issue(
            _key("kubernetes.autoscaling.maxCapacity"),
            f"azure: the node pools with their spot companions and the System pool may grow to {nodes} nodes,"
            f" above maxCapacity {scaling.max_capacity}",
        )
    if not fits(k8s.pod_cidr, nodes, POD_RANGE_PER_NODE):
        yield Issue(
            _key("kubernetes.podCidr"),
            f"azure: {k8s.pod_cidr} holds fewer than {nodes} nodes' pods"
            f" (a /{POD_RANGE_PER_NODE} per node, System pool included)",
        )
    for field, seconds in (
        ("scaleUpCooldownSeconds", scaling.scale_up_cooldown_seconds),
        ("scaleDownCooldownSeconds", scaling.scale_down_cooldown_seconds),
    ):
        if seconds % 60:
            yield Issue(_key(f"kubernetes.autoscaling.{field}"), "the AKS cluster autoscaler takes whole minutes")
    if k8s.spot.enabled and not k8s.spot.fallback_to_on_demand:
        yield Issue(
            _key("kubernetes.spot.fallbackToOnDemand"),
            "azure: the AKS cluster autoscaler always falls back to on-demand pools when spot pools cannot grow",
        )


def _addons(k8s: Kubernetes) -> Iterator[Issue]:
    if k8s.spot.enabled and "clusterAutoscaler" not in k8s.addons:
        yield Issue(
            _key("kubernetes.addons"), "azure: spot pools start empty and only the cluster autoscaler grows them"
        )
    for addon, why in ALWAYS_ON_ADDONS.items():
        if addon not in k8s.addons:
            yield Issue(_key("kubernetes.addons"), f"azure: list {addon}; {why}")


def _operations(cfg: StackConfig, azure: AzureKubernetes) -> Iterator[Issue]:
    days = cfg.monitoring.log_retention.application_days
    low, high = LOG_RETENTION_DAYS
    if not low <= days <= high:
        yield Issue(
            _key("monitoring.logRetention.applicationDays"),
            f"azure keeps AKS control-plane logs in Log Analytics, which retains {low} to {high} days",
        )
    hours = weekly_slot(azure.maintenance_window).hours
    if hours is None or not MAINTENANCE_HOURS[0] <= hours <= MAINTENANCE_HOURS[1]:
        yield Issue(
            _key("kubernetes.azure.maintenanceWindow"),
            f"AKS maintenance windows last {MAINTENANCE_HOURS[0]} to {MAINTENANCE_HOURS[1]} whole hours",
        )
