"""Where a GKE cluster's logs are kept: its own Cloud Logging bucket, encrypted with the stack's
``logs`` key and kept ``log_retention_days``, fed by a sink and kept out of the ``_Default`` bucket
(``providers.gcp.log_buckets``)."""

from __future__ import annotations

import json

import pulumi
import pulumi_gcp as gcp

from components.base import NeutralComponent
from providers.gcp.keys import GcpKeys
from providers.gcp.log_buckets import routed_logs

CLUSTER_RESOURCES = ("k8s_cluster", "k8s_control_plane_component", "k8s_node", "k8s_pod", "k8s_container")
"""The monitored resources GKE logs under: the cluster, the control-plane components (API server,
scheduler, controller manager), nodes, pods and containers."""
AUDIT_LOGS = 'logName:"/logs/cloudaudit.googleapis.com"'
"""Cloud Audit Logs stay where Cloud Logging keeps them (Admin Activity 400 days in ``_Required``)."""


def cluster_log_filter(cluster_name: str) -> str:
    resources = " OR ".join(map(json.dumps, CLUSTER_RESOURCES))
    return (
        f"resource.type=({resources}) AND resource.labels.cluster_name={json.dumps(cluster_name)} AND NOT {AUDIT_LOGS}"
    )


def cluster_logs(
    parent: NeutralComponent,
    name: str,
    cluster_name: pulumi.Output[str],
    *,
    project: str,
    region: str,
    retention_days: int,
    keys: GcpKeys,
) -> gcp.logging.ProjectBucketConfig:
    """This cluster's logs (audit logs aside) in a bucket of their own (``routed_logs``)."""
    return routed_logs(
        parent,
        f"{name}-logs",
        project=project,
        region=region,
        retention_days=retention_days,
        log_filter=cluster_name.apply(cluster_log_filter),
        keys=keys,
        description="BettaFish GKE control-plane, node and container logs",
    )
