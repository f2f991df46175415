"""The application's custom metrics (``monitoring.customMetrics``) in Azure Monitor.

Azure Monitor declares no custom metric in advance: a custom metric exists once the app posts it,
against a resource, to ``https://<region>.monitoring.azure.com/<resource id>/metrics`` with its
namespace (``BettaFish/Application`` for QueryProcessingTime in seconds, ``BettaFish/Agents`` for
AgentSuccessRate in percent), as docs/operations.md describes. The app posts them against the AKS
cluster, with its workload identity, which needs "Monitoring Metrics Publisher" there: granted here
to every service identity. Azure keeps custom metrics 93 days. The dashboard charts them; no alert
is built on them, since the spec gives them no threshold.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import authorization

from bettafish.config.operations import CustomMetric
from components.base import NeutralComponent
from providers.azure.common import grant
from providers.azure.kubernetes import AzureKubeCluster
from providers.azure.operations.alerts import Watched
from providers.azure.operations.dashboard import Chart
from providers.azure.workloads import AzureWorkloads

MONITORING_METRICS_PUBLISHER = "3913510d-42f4-4e42-8a64-420c390055eb"
"""Built-in role: post metrics to Azure Monitor against a resource."""


def publish_grants(
    parent: NeutralComponent,
    name: str,
    cluster: AzureKubeCluster,
    workloads: AzureWorkloads,
    subscription: pulumi.Output[str],
) -> list[authorization.RoleAssignment]:
    return [
        grant(
            parent,
            f"{name}-{account}-metrics",
            principal_id=identity.principal_id,
            role=MONITORING_METRICS_PUBLISHER,
            scope=cluster.cluster.id,
            subscription=subscription,
            description=f"{account} publishes the application's custom metrics against the cluster",
        )
        for account, identity in sorted(workloads.identities.items())
    ]


def custom_metric_charts(metrics: list[CustomMetric], cluster: Watched) -> list[Chart]:
    return [Chart(f"{m.name} ({m.unit})", cluster.resource_id, m.namespace, m.name) for m in metrics]
