"""Database, cache and load-balancer logs in Log Analytics, each workspace keeping its kind's retention:

- ``database`` (``monitoring.logRetention.databaseDays``): every log category of the PostgreSQL
  primary and its replicas (server logs, sessions, pgaudit) and of the Azure Managed Redis database
  (connection events; Azure Managed Redis logs on the database, not on the cluster);
- ``load balancer`` (``loadBalancerDays``): the access logs of Application Gateway for Containers.

Container and control-plane logs stay in the cluster's workspace (``applicationDays``), Front Door's
access and WAF logs in the edge's. Diagnostic settings name category groups (``allLogs``), not
categories, so a category the service adds later is kept too.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import monitor, operationalinsights, resources

from bettafish.config.operations import LogRetention
from components.base import NeutralComponent
from providers.azure.cache_cluster import AzureCacheCluster
from providers.azure.log_analytics import log_workspace
from providers.azure.postgres import AzurePostgresCluster
from providers.azure.workloads import AzureWorkloads

SETTING_NAME = "operations-logs"
ALL_LOGS = [{"category_group": "allLogs", "enabled": True}]


@dataclass(frozen=True)
class ServiceLogs:
    database: operationalinsights.Workspace
    load_balancer: operationalinsights.Workspace
    settings: list[monitor.DiagnosticSetting]


def service_logs(
    parent: NeutralComponent,
    name: str,
    retention: LogRetention,
    database: AzurePostgresCluster,
    cache: AzureCacheCluster,
    workloads: AzureWorkloads,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
) -> ServiceLogs:
    db_logs = log_workspace(parent, f"{name}-database-logs", retention.database_days, rg, location, tags)
    lb_logs = log_workspace(parent, f"{name}-lb-logs", retention.load_balancer_days, rg, location, tags)
    servers = {"primary": database.primary} | {
        f"replica-{i + 1}": replica for i, replica in enumerate(database.replicas)
    }
    settings = [_send(parent, f"{name}-database-{role}-logs", server.id, db_logs) for role, server in servers.items()]
    settings.append(_send(parent, f"{name}-cache-logs", cache.database.id, db_logs))
    settings.append(_send(parent, f"{name}-gateway-logs", workloads.gateway.traffic_controller.id, lb_logs))
    return ServiceLogs(db_logs, lb_logs, settings)


def _send(
    parent: NeutralComponent,
    name: str,
    resource_id: pulumi.Input[str],
    workspace: operationalinsights.Workspace,
) -> monitor.DiagnosticSetting:
    return monitor.DiagnosticSetting(
        name,
        name=SETTING_NAME,
        resource_uri=resource_id,
        workspace_id=workspace.id,
        # Resource-specific tables (PGSQLServerLogs, ACRConnectionEvents, AGCAccessLogs...).
        log_analytics_destination_type="Dedicated",
        logs=ALL_LOGS,
        opts=parent.child(),
    )
