"""Container logs and node metrics: the EKS add-on ``amazon-cloudwatch-observability`` (the
CloudWatch agent for Container Insights and Fluent Bit for the containers' logs), writing into log
groups the program creates first, so their retention and key are ours rather than Fluent Bit's
defaults (kept forever, AWS-owned key)."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.base import NeutralComponent
from providers.aws.kubernetes import AwsKubeCluster
from providers.aws.kubernetes.identity import PodRole

ADDON = "amazon-cloudwatch-observability"
NAMESPACE = "amazon-cloudwatch"
SERVICE_ACCOUNT = "cloudwatch-agent"
AGENT_POLICY = "CloudWatchAgentServerPolicy"
"""AWS's managed policy for the agent (the add-on's documented permission): metrics, log events,
and the EC2 and EKS descriptions the agent tags them with."""
LOG_KINDS = ("application", "dataplane", "host", "performance")
"""Container Insights' log groups: container stdout/stderr, kubelet and runtime, node system logs,
and the performance events its metrics come from."""


def log_group_name(cluster_name: str, kind: str) -> str:
    return f"/aws/containerinsights/{cluster_name}/{kind}"


def container_logs(
    parent: NeutralComponent,
    name: str,
    eks: AwsKubeCluster,
    cluster_name: str,
    retention_days: int,
    key: aws.kms.Key,
    tags: dict[str, str],
) -> list[aws.cloudwatch.LogGroup]:
    """The four log groups (``monitoring.logRetention.applicationDays``, the logs key) and the add-on,
    with its agent's Pod Identity role. The add-on waits for the log groups and the nodes."""
    groups = [
        aws.cloudwatch.LogGroup(
            f"{name}-containers-{kind}",
            name=log_group_name(cluster_name, kind),
            retention_in_days=retention_days,
            kms_key_id=key.arn,
            tags=tags,
            opts=parent.child(),
        )
        for kind in LOG_KINDS
    ]
    role = PodRole(
        parent,
        f"{name}-cloudwatch-agent",
        cluster_name=cluster_name,
        namespace=NAMESPACE,
        service_account=SERVICE_ACCOUNT,
        description=f"BettaFish {cluster_name}: the CloudWatch agent and Fluent Bit (Container Insights)",
        managed_policies=[AGENT_POLICY],
        tags=tags,
    )
    aws.eks.Addon(
        f"{name}-{ADDON}",
        cluster_name=eks.cluster.name,
        addon_name=ADDON,
        pod_identity_associations=[role.addon_association()],
        resolve_conflicts_on_create="OVERWRITE",
        resolve_conflicts_on_update="OVERWRITE",
        tags=tags,
        opts=parent.child(depends_on=[*groups, *role.grants, *eks.node_groups.values()]),
    )
    return groups


def container_insights(cluster: pulumi.Input[str]) -> dict[str, pulumi.Input[str]]:
    """The dimensions of the cluster-wide Container Insights metrics."""
    return {"ClusterName": cluster}
