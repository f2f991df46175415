"""Cluster logs in one Log Analytics workspace kept for ``monitoring.logRetention.applicationDays``:

- control-plane logs (security rule 22): a diagnostic setting on the cluster sending the categories
  ``controlPlane.logs`` asks for;
- container logs (stdout/stderr of every pod, ContainerLogV2) and Kubernetes inventory: Container
  Insights, i.e. the monitoring add-on (``omsagent``, the ``ama-logs`` DaemonSet) with Entra ID
  authentication, which sends what a data collection rule associated with the cluster says. The
  add-on names the workspace, so the workspace exists before the cluster; without the rule and its
  association the agent collects nothing (the CLI creates both, an ARM deployment must).

The workspace is ``providers.azure.log_analytics.log_workspace``.
"""

from __future__ import annotations

from typing import Any

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


CONTAINER_INSIGHTS_STREAM = "Microsoft-ContainerInsights-Group-Default"
"""Every Container Insights table (ContainerLogV2, KubePodInventory, KubeEvents, Perf...)."""
CONTAINER_INSIGHTS_ASSOCIATION = "ContainerInsightsExtension"
"""The association name the monitoring add-on looks for."""


def monitoring_addon(workspace: operationalinsights.Workspace) -> dict[str, Any]:
    """The ManagedCluster's ``addon_profiles``: Container Insights into ``workspace``, the agent
    authenticating with its managed identity (no workspace keys: the workspace disables them)."""
    return {
        "omsagent": {
            "enabled": True,
            "config": {"logAnalyticsWorkspaceResourceID": workspace.id, "useAADAuth": "true"},
        }
    }


def control_plane_logs(
    parent: NeutralComponent,
    name: str,
    cluster: containerservice.ManagedCluster,
    workspace: operationalinsights.Workspace,
    logs: list[ControlPlaneLog],
) -> monitor.DiagnosticSetting:
    return monitor.DiagnosticSetting(
        f"{name}-control-plane-logs",
        name="control-plane-logs",
        resource_uri=cluster.id,
        workspace_id=workspace.id,
        # Resource-specific tables (AKSAudit, AKSControlPlane...), as AKS recommends.
        log_analytics_destination_type="Dedicated",
        logs=[{"category": CATEGORIES[log], "enabled": True} for log in logs],
        opts=parent.child(),
    )


def container_logs(
    parent: NeutralComponent,
    name: str,
    cluster: containerservice.ManagedCluster,
    workspace: operationalinsights.Workspace,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
) -> monitor.DataCollectionRuleAssociation:
    """The data collection rule the monitoring add-on follows (every namespace, ContainerLogV2, one
    sample a minute) and its association with the cluster."""
    rule = monitor.DataCollectionRule(
        f"{name}-container-insights",
        resource_group_name=rg.name,
        location=location,
        kind="Linux",
        data_sources={
            "extensions": [
                {
                    "name": CONTAINER_INSIGHTS_ASSOCIATION,
                    "extension_name": "ContainerInsights",
                    "streams": [CONTAINER_INSIGHTS_STREAM],
                    "extension_settings": {
                        "dataCollectionSettings": {
                            "interval": "1m",
                            "namespaceFilteringMode": "Off",
                            "enableContainerLogV2": True,
                        }
                    },
                }
            ]
        },
        destinations={"log_analytics": [{"name": "cluster-workspace", "workspace_resource_id": workspace.id}]},
        data_flows=[{"streams": [CONTAINER_INSIGHTS_STREAM], "destinations": ["cluster-workspace"]}],
        tags=tags,
        opts=parent.child(),
    )
    return monitor.DataCollectionRuleAssociation(
        f"{name}-container-insights",
        association_name=CONTAINER_INSIGHTS_ASSOCIATION,
        resource_uri=cluster.id,
        data_collection_rule_id=rule.id,
        description="Container Insights: container logs and inventory of this cluster",
        opts=parent.child(),
    )
