"""Control-plane logs (security rule 22): a Log Analytics workspace keeping them for the configured
days, and a diagnostic setting on the cluster sending the categories ``controlPlane.logs`` asks for.

Log Analytics encrypts with Microsoft-managed keys; a customer key needs a dedicated cluster (a
100 GB/day commitment), which this platform's log volume does not justify (security rule 39 allows it).
"""

from __future__ import annotations

from pulumi_azure_native import containerservice, monitor, operationalinsights, resources

from bettafish.config.kubernetes import ControlPlaneLog
from components.base import NeutralComponent

CATEGORIES: dict[ControlPlaneLog, str] = {
    "api": "kube-apiserver",
    # Every request, reads of secrets included; kube-audit-admin (writes only) is a subset of it, so
    # sending both would store each write twice.
    "audit": "kube-audit",
    # AKS's Entra ID authentication webhook.
    "authenticator": "guard",
    "controllerManager": "kube-controller-manager",
    "scheduler": "kube-scheduler",
}


def control_plane_logs(
    parent: NeutralComponent,
    name: str,
    cluster: containerservice.ManagedCluster,
    logs: list[ControlPlaneLog],
    retention_days: int,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
) -> tuple[operationalinsights.Workspace, monitor.DiagnosticSetting]:
    workspace = operationalinsights.Workspace(
        f"{name}-logs",
        resource_group_name=rg.name,
        location=location,
        sku={"name": "PerGB2018"},
        retention_in_days=retention_days,
        # Entra ID only: no workspace keys for anyone to leak.
        features={"disable_local_auth": True},
        tags=tags,
        opts=parent.child(),
    )
    setting = monitor.DiagnosticSetting(
        f"{name}-control-plane-logs",
        name="control-plane-logs",
        resource_uri=cluster.id,
        workspace_id=workspace.id,
        # Resource-specific tables (AKSAudit, AKSControlPlane...), as AKS recommends.
        log_analytics_destination_type="Dedicated",
        logs=[{"category": CATEGORIES[log], "enabled": True} for log in logs],
        opts=parent.child(),
    )
    return workspace, setting
