"""GKE node pools: a dedicated node identity with only what nodes need, one pool per configured
pool over its zones and a tainted spot companion where the stack allows spot capacity."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_gcp as gcp

from bettafish.config.catalog import resolve
from bettafish.config.kubernetes import Kubernetes, NodePool
from components.base import NeutralComponent
from components.kube_cluster import CAPACITY_LABEL, POOL_LABEL, SPOT_TAINT_KEY, spot_pool_name
from providers.gcp.kubernetes.control_plane import MAX_PODS_PER_NODE, autoscaled

NODE_ROLES: tuple[str, ...] = (
    "roles/logging.logWriter",
    "roles/monitoring.metricWriter",
    "roles/monitoring.viewer",
    "roles/stackdriver.resourceMetadata.writer",
    "roles/autoscaling.metricsWriter",
    "roles/artifactregistry.reader",
)
"""What a GKE node itself needs: write logs and metrics, read monitoring, report resource
metadata and autoscaling metrics, pull images from Artifact Registry. Not the default Compute
Engine service account (Editor on the project); workloads get their own identities (Workload Identity)."""
CLOUD_PLATFORM_SCOPE = "https://www.googleapis.com/auth/cloud-platform"
"""Google's recommendation for custom node service accounts: the full scope, with IAM (the roles
above) deciding what the node may do."""
SURGE = {"strategy": "SURGE", "max_surge": 1, "max_unavailable": 0}
"""GKE's default surge upgrade, stated: one extra node at a time, never fewer than the pool's size."""


@dataclass(frozen=True)
class NodeContext:
    """What every node pool of the cluster shares."""

    project: str
    location: pulumi.Input[str]
    cluster: gcp.container.Cluster
    zones: pulumi.Output[list[str]]
    """The stack's GCP zones; pools name theirs by 1-based position."""
    service_account: gcp.serviceaccount.Account
    network_tag: str
    disk_key: pulumi.Input[str]
    labels: dict[str, str]
    depends_on: list[pulumi.Resource]


def node_identity(
    parent: NeutralComponent, name: str, project: str, iam_api: gcp.projects.Service
) -> tuple[gcp.serviceaccount.Account, list[gcp.projects.IAMMember]]:
    """The nodes' service account and its project roles (``NODE_ROLES``, nothing else)."""
    account = gcp.serviceaccount.Account(
        f"{name}-nodes",
        project=project,
        account_id=f"{name}-nodes",
        display_name="BettaFish GKE nodes",
        description="Identity of the GKE nodes: logs, metrics, image pulls; workloads use Workload Identity",
        opts=parent.child(depends_on=[iam_api]),
    )
    member = account.email.apply(lambda email: f"serviceAccount:{email}")
    grants = [
        gcp.projects.IAMMember(
            f"{name}-nodes-{role.split('/')[1].replace('.', '-').lower()}",
            project=project,
            role=role,
            member=member,
            opts=parent.child(),
        )
        for role in NODE_ROLES
    ]
    return account, grants


def hardened_node_config(service_account: gcp.serviceaccount.Account, disk_key: pulumi.Input[str]) -> dict[str, Any]:
    """Node settings every node shares (the cluster's short-lived default pool included): the
    dedicated identity, the GKE metadata server (workloads cannot read the node's credentials,
    security rule 36), Shielded VM secure boot and integrity monitoring, legacy metadata endpoints
    off, boot disks encrypted with the stack's ``kubernetes`` key."""
    return {
        "service_account": service_account.email,
        "oauth_scopes": [CLOUD_PLATFORM_SCOPE],
        "workload_metadata_config": {"mode": "GKE_METADATA"},
        "shielded_instance_config": {"enable_secure_boot": True, "enable_integrity_monitoring": True},
        "metadata": {"disable-legacy-endpoints": "true"},
        "boot_disk_kms_key": disk_key,
    }


def node_pools(
    parent: NeutralComponent, name: str, k8s: Kubernetes, ctx: NodeContext
) -> dict[str, gcp.container.NodePool]:
    """Every configured pool, each followed by its spot companion when it has spot capacity."""
    pools: dict[str, gcp.container.NodePool] = {}
    for pool_name, pool in k8s.node_pools.items():
        pools[pool_name] = _pool(parent, name, pool_name, pool, k8s, ctx, spot_max=None)
        if spot_max := k8s.spot_max(pool):
            pools[spot_pool_name(pool_name)] = _pool(parent, name, pool_name, pool, k8s, ctx, spot_max=spot_max)
    return pools


def _pool(
    parent: NeutralComponent,
    name: str,
    base: str,
    pool: NodePool,
    k8s: Kubernetes,
    ctx: NodeContext,
    *,
    spot_max: int | None,
) -> gcp.container.NodePool:
    """One node pool over ``pool.zones``. Counts are totals over the zones, as in the config:
    the autoscaler keeps the pool within ``total_*_node_count`` and owns its size after creation,
    so the counts it changes are ignored. A spot companion starts empty, may grow to ``spot_max``
    nodes, and is tainted so that only workloads tolerating interruption land there. Fallback to
    on-demand is the autoscaler's own: when the companion cannot grow (no spot capacity, or at its
    maximum), it grows another pool the pending pods fit, the on-demand base pool they also run on
    (https://cloud.google.com/kubernetes-engine/docs/concepts/spot-vms); pods that select spot
    nodes only get no fallback."""
    spot = spot_max is not None
    pool_name = spot_pool_name(base) if spot else base
    zones = ctx.zones.apply(lambda stack_zones: [stack_zones[i - 1] for i in pool.zones])
    per_zone = 0 if spot else pool.count // len(pool.zones)
    node_config: dict[str, Any] = {
        **hardened_node_config(ctx.service_account, ctx.disk_key),
        "machine_type": resolve("compute", "gcp", pool.size).type,
        "image_type": "COS_CONTAINERD",
        "labels": {POOL_LABEL: base, CAPACITY_LABEL: "spot" if spot else "on-demand"},
        "resource_labels": ctx.labels,
        "tags": [ctx.network_tag],
        "spot": spot,
    }
    if spot:
        node_config["taints"] = [{"key": SPOT_TAINT_KEY, "value": "true", "effect": "NO_SCHEDULE"}]
    sizing: dict[str, Any]
    ignored: list[str] = []
    if autoscaled(k8s):
        sizing = {
            "initial_node_count": per_zone,
            "autoscaling": {
                "total_min_node_count": 0 if spot else pool.min_count,
                "total_max_node_count": spot_max if spot else pool.max_count,
                # ANY follows spare spot capacity across zones; BALANCED keeps on-demand zones even.
                "location_policy": "ANY" if spot else "BALANCED",
            },
        }
        ignored = ["initialNodeCount", "nodeCount"]
    else:
        sizing = {"node_count": per_zone}
    return gcp.container.NodePool(
        f"{name}-{pool_name}",
        project=ctx.project,
        location=ctx.location,
        cluster=ctx.cluster.name,
        # GKE caps node pool names at 40 characters; the prefix plus the provider's 24-character
        # unique suffix fits, and a replacement pool can come up before the old one goes.
        name_prefix=f"{pool_name}-",
        node_locations=zones,
        max_pods_per_node=MAX_PODS_PER_NODE,
        node_config=node_config,
        management={"auto_repair": True, "auto_upgrade": True},
        upgrade_settings=SURGE,
        **sizing,
        opts=parent.child(depends_on=ctx.depends_on, ignore_changes=ignored),
    )
