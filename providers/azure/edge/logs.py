"""Front Door's logs (security rule 28): every request (access log), every WAF decision and every
health probe, through a diagnostic setting on the profile into a Log Analytics workspace that keeps
them ``monitoring.logRetention.loadBalancerDays`` (30 to 730 days: Log Analytics' range, checked at
config time). Log Analytics encrypts with Microsoft-managed keys, as the cluster's log workspace does.
"""

from __future__ import annotations

from pulumi_azure_native import cdn, monitor, operationalinsights, resources

from components.base import NeutralComponent

CATEGORIES = ("FrontDoorAccessLog", "FrontDoorWebApplicationFirewallLog", "FrontDoorHealthProbeLog")
SETTING_NAME = "edge-logs"


def edge_logs(
    parent: NeutralComponent,
    name: str,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
    profile: cdn.Profile,
    retention_days: int,
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
        f"{name}-front-door-logs",
        name=SETTING_NAME,
        resource_uri=profile.id,
        workspace_id=workspace.id,
        logs=[{"category": category, "enabled": True} for category in CATEGORIES],
        opts=parent.child(),
    )
    return workspace, setting
