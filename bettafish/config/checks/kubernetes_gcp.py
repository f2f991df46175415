"""Kubernetes settings only GKE constrains (the shared ones are in ``checks.kubernetes``)."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.stack import StackConfig

GKE_AUTOSCALER_COOLDOWN_SECONDS = 600
"""GKE runs the cluster autoscaler itself and offers profiles, not its flags
(https://cloud.google.com/kubernetes-engine/docs/concepts/cluster-autoscaler#autoscaling_profiles).
It publishes no number for the default ``balanced`` profile; the nearest honest value is the open
source autoscaler's default for both ``scale-down-delay-after-add`` and ``scale-down-unneeded-time``,
10 minutes (https://github.com/kubernetes/autoscaler/blob/master/cluster-autoscaler/FAQ.md)."""
ALWAYS_LOGGED = ("audit", "authenticator")
"""Control-plane logs GKE keeps whatever the cluster says: Admin Activity audit logs (Cloud Audit
Logs, which cannot be turned off), which also record who authenticated (GKE authenticates with IAM)."""


def check_gcp_kubernetes(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "gcp":
        return
    k8s = cfg.kubernetes
    for name, pool in k8s.node_pools.items():
        if pool.count % len(pool.zones):
            yield Issue(
                _key(f"kubernetes.nodePools.{name}.count"),
                f"GKE starts a node pool with the same number of nodes in each of its zones: {pool.count}"
                f" does not divide over {len(pool.zones)} zones on gcp",
            )
    scaling = k8s.autoscaling
    for path, seconds in (
        ("scaleUpCooldownSeconds", scaling.scale_up_cooldown_seconds),
        ("scaleDownCooldownSeconds", scaling.scale_down_cooldown_seconds),
    ):
        if seconds != GKE_AUTOSCALER_COOLDOWN_SECONDS:
            yield Issue(
                _key(f"kubernetes.autoscaling.{path}"),
                f"GKE's cluster autoscaler takes no cooldowns; its balanced profile waits"
                f" {GKE_AUTOSCALER_COOLDOWN_SECONDS} s on gcp (set it under bettafish:cloudOverrides.gcp)",
            )
    if k8s.spot.enabled and "clusterAutoscaler" not in k8s.addons:
        yield Issue(
            _key("kubernetes.spot.enabled"),
            "GKE spot companions start empty and only the cluster autoscaler grows them: add clusterAutoscaler"
            " to kubernetes.addons on gcp",
        )
    if "blockStorageCsi" not in k8s.addons:
        yield Issue(
            _key("kubernetes.addons"),
            "the default encrypted StorageClass provisions through the Compute Engine persistent disk CSI driver:"
            " blockStorageCsi is needed on gcp",
        )
    for log in ALWAYS_LOGGED:
        if log not in k8s.control_plane.logs:
            yield Issue(
                _key("kubernetes.controlPlane.logs"),
                f"GKE always keeps {log} logs (Admin Activity audit logs cannot be turned off on gcp): list {log}",
            )
    domains = sorted({member.rsplit("@", 1)[1] for member in k8s.admins.gcp if member.startswith("group:")})
    if len(domains) > 1:
        yield Issue(
            _key("kubernetes.admins.gcp"),
            f"Google Groups for RBAC takes one gke-security-groups group per cluster on gcp; the admin groups"
            f" span {', '.join(domains)}",
        )
