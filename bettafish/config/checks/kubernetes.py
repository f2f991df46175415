"""Kubernetes checks: the version on the chosen cloud, pod and service addressing, autoscaling bounds."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date

from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.kubernetes import fits
from bettafish.config.kubernetes_versions import version_catalog
from bettafish.config.stack import StackConfig

POD_RANGE_PER_NODE = {"aws": 25, "gcp": 24, "azure": 24}
"""Prefix of the pod addresses one node takes: GKE reserves a /24 for 110 pods per node, AKS CNI
Overlay gives each node a /24; EKS custom networking draws pods from per-zone subnets of the pod
range, budgeted at a /25 per node (110 pods with prefix delegation's /28 blocks)."""
SERVICE_RANGE_LARGEST_PREFIX = {"aws": 24, "gcp": 27, "azure": 24}
"""The smallest service ranges the clouds take: EKS /24 (to /12), GKE /27, AKS (any, a /24 is sane)."""


def check_kubernetes(cfg: StackConfig) -> Iterator[Issue]:
    k8s, cloud, net = cfg.kubernetes, cfg.cloud, cfg.network
    versions = version_catalog().of(cloud)
    if k8s.version not in versions.standard_support_ends:
        yield Issue(
            _key("kubernetes.version"),
            f"{cloud} offers {', '.join(sorted(versions.standard_support_ends))} (see {versions.source})",
        )
    for path, cidr in (("podCidr", k8s.pod_cidr), ("serviceCidr", k8s.service_cidr)):
        if cidr.overlaps(net.cidr):
            yield Issue(_key(f"kubernetes.{path}"), f"{cidr} overlaps network.cidr {net.cidr}")
    if not fits(k8s.pod_cidr, k8s.total_max(), POD_RANGE_PER_NODE[cloud]):
        yield Issue(
            _key("kubernetes.podCidr"),
            f"{k8s.pod_cidr} holds fewer than {k8s.total_max()} nodes' pods"
            f" (a /{POD_RANGE_PER_NODE[cloud]} per node on {cloud}, at every pool's maxCount with spot)",
        )
    if k8s.service_cidr.prefixlen > SERVICE_RANGE_LARGEST_PREFIX[cloud]:
        yield Issue(
            _key("kubernetes.serviceCidr"),
            f"{cloud} needs a /{SERVICE_RANGE_LARGEST_PREFIX[cloud]} or larger service range",
        )
    scaling = k8s.autoscaling
    floor = sum(pool.min_count for pool in k8s.node_pools.values())
    if floor < scaling.min_capacity:
        yield Issue(
            _key("kubernetes.autoscaling.minCapacity"),
            f"the node pools' minCounts add up to {floor}, below minCapacity {scaling.min_capacity}",
        )
    if k8s.total_max() > scaling.max_capacity:
        yield Issue(
            _key("kubernetes.autoscaling.maxCapacity"),
            f"the node pools may grow to {k8s.total_max()} nodes (maxCount plus spot companions),"
            f" above maxCapacity {scaling.max_capacity}",
        )
    if k8s.spot.enabled and not any(k8s.spot_max(pool) for pool in k8s.node_pools.values()):
        yield Issue(_key("kubernetes.spot.maxPercent"), "too small to give any pool a spot node; disable spot")


def kubernetes_warnings(cfg: StackConfig, today: date) -> Iterator[Issue]:
    """What is allowed but costly: a version past its end of standard support on the chosen cloud."""
    ends = version_catalog().of(cfg.cloud).standard_support_ends.get(cfg.kubernetes.version)
    if ends is not None and today > ends:
        yield Issue(
            _key("kubernetes.version"),
            f"{cfg.kubernetes.version} left standard support on {cfg.cloud} on {ends.isoformat()}:"
            " extended support costs several times more, then the cloud upgrades the cluster itself",
        )
