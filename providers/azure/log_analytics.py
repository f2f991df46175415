"""Log Analytics workspaces: where the Azure components' logs are kept for their retention.

Log Analytics encrypts with Microsoft-managed keys; a customer key needs a dedicated cluster (a
100 GB/day commitment), which this platform's log volume does not justify (security rule 39 allows it).
"""

from __future__ import annotations

from pulumi_azure_native import operationalinsights, resources

from components.base import NeutralComponent


def log_workspace(
    parent: NeutralComponent,
    name: str,
    retention_days: int,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
) -> operationalinsights.Workspace:
    """A pay-as-you-go workspace keeping every table ``retention_days`` (30 to 730, checked at config time)."""
    return operationalinsights.Workspace(
        name,
        resource_group_name=rg.name,
        location=location,
        sku={"name": "PerGB2018"},
        retention_in_days=retention_days,
        # Entra ID only: no workspace keys for anyone to leak.
        features={"disable_local_auth": True},
        tags=tags,
        opts=parent.child(),
    )
