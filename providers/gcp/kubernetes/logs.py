"""Where a GKE cluster's logs are kept: its own Cloud Logging bucket, encrypted with the stack's
``logs`` key and kept ``log_retention_days``, fed by a sink and kept out of the ``_Default`` bucket."""

from __future__ import annotations

import json

import pulumi
import pulumi_gcp as gcp
import pulumi_random as random

from components.base import NeutralComponent
from providers.gcp.agents import grant_key_use, logging_agent

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
    key: gcp.kms.CryptoKey,
) -> gcp.logging.ProjectBucketConfig:
    """The bucket, its key grant, the sink and the ``_Default`` exclusion.

    A deleted log bucket keeps its id for 7 days, so the id carries a random suffix: a staging
    stack can be destroyed and brought up again at once.
    """
    suffix = random.RandomId(f"{name}-logs-id", byte_length=3, opts=parent.child())
    key_grant = grant_key_use(parent, f"{name}-logs-key-user", key, logging_agent(parent, project))
    bucket = gcp.logging.ProjectBucketConfig(
        f"{name}-logs",
        project=project,
        location=region,
        bucket_id=pulumi.Output.concat(name, "-logs-", suffix.hex),
        retention_days=retention_days,
        cmek_settings={"kms_key_name": key.id},
        description=f"BettaFish GKE control-plane, node and container logs, kept {retention_days} days",
        opts=parent.child(depends_on=[key_grant]),
    )
    this_cluster = cluster_name.apply(cluster_log_filter)
    gcp.logging.ProjectSink(
        f"{name}-logs",
        project=project,
        # The bucket's id is its resource name, projects/P/locations/L/buckets/B.
        destination=pulumi.Output.concat("logging.googleapis.com/", bucket.id),
        filter=this_cluster,
        unique_writer_identity=True,
        description="Routes this GKE cluster's logs to their retention bucket",
        opts=parent.child(),
    )
    # Otherwise they would be stored (and billed) twice, for 30 days in _Default.
    gcp.logging.ProjectExclusion(
        f"{name}-logs",
        project=project,
        filter=this_cluster,
        description="This GKE cluster's logs live in their own retention bucket",
        opts=parent.child(),
    )
    return bucket
