"""Azure Operations: logs kept for their retention, metric alerts to an on-call action group, the
stack's portal dashboard, the monthly consumption budget and cost-anomaly alert, and the
disaster-recovery copies of the buckets. The parts:

- ``logs``: database, cache and load-balancer logs in Log Analytics (container and control-plane
  logs are the cluster's, Front Door's the edge's);
- ``alerts``: the action group and metric alerts; ``dashboard``: the portal dashboard;
- ``budget``: the consumption budget and the anomaly alert; ``custom_metrics``: where the app
  publishes ``monitoring.customMetrics``; ``replication``: the buckets' copies in the DR region.

The edge is read only through ``Cdn.distribution_id`` (the Front Door profile's ARM id) and
``Cdn.waf_policy_id``.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import monitor, resources

from bettafish.config.operations import Alarm
from components.base import sibling
from components.operations import Operations, OperationsArgs
from providers.azure.cache_cluster import AzureCacheCluster
from providers.azure.common import subscription_id
from providers.azure.kubernetes import AzureKubeCluster
from providers.azure.operations.alerts import (
    CDN,
    CLUSTER,
    DATABASE_METRICS,
    NODE_METRICS,
    POSTGRES,
    REDIS,
    Alerts,
    Watched,
    action_group,
    minutes,
)
from providers.azure.operations.budget import anomaly_alert, monthly_budget
from providers.azure.operations.custom_metrics import custom_metric_charts, publish_grants
from providers.azure.operations.dashboard import TOTAL, Chart, dashboard
from providers.azure.operations.logs import service_logs
from providers.azure.postgres import AzurePostgresCluster
from providers.azure.workloads import AzureWorkloads

ERROR_RATE = {CDN: "Percentage5XX"}


class AzureOperations(Operations):
    """Children: ResourceGroup; two Log Analytics Workspaces (database and load-balancer logs) with a
    DiagnosticSetting per PostgreSQL server, on the Redis database and on the AGC; an ActionGroup;
    MetricAlerts; a portal Dashboard; a consumption Budget on the subscription; the InsightAlert
    ScheduledActionByScope; Monitoring Metrics Publisher grants; the DR copies (``replication``).

    Extra attributes: ``resource_group``, ``logs``, ``action_group``, ``alerts``, ``budget``.
    """

    def __init__(self, name: str, args: OperationsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        ctx, monitoring = args.context, args.monitoring
        cluster = sibling(args.cluster, AzureKubeCluster)
        database = sibling(args.database, AzurePostgresCluster)
        cache = sibling(args.cache, AzureCacheCluster)
        workloads = sibling(args.workloads, AzureWorkloads)
        tags, location = ctx.tags("operations"), ctx.provider.region
        subscription = subscription_id(self)
        self.resource_group = resources.ResourceGroup(f"{name}-rg", location=location, tags=tags, opts=self.child())
        self.logs = service_logs(
            self, name, monitoring.log_retention, database, cache, workloads, self.resource_group, location, tags
        )
        emails = monitoring.notification_emails
        self.action_group = action_group(self, name, emails, self.resource_group, tags)
        self.alerts = Alerts(self, self.resource_group, self.action_group, tags)

        edge = Watched("edge", args.cdn.distribution_id, CDN)
        nodes = Watched("nodes", cluster.cluster.id, CLUSTER)
        servers = [Watched("database-primary", database.primary.id, POSTGRES)] + [
            Watched(f"database-replica-{i + 1}", replica.id, POSTGRES) for i, replica in enumerate(database.replicas)
        ]
        for alarm in monitoring.alarms:
            self._configured(alarm, edge, nodes, servers)
        self._operator_alerts(args, edge, nodes, servers, cache)

        publish_grants(self, name, cluster, workloads, subscription)
        charts = self._charts(edge, nodes, servers, cache) + custom_metric_charts(monitoring.custom_metrics, nodes)
        board = dashboard(self, name, charts, self.resource_group, location, tags)
        self.budget = monthly_budget(self, name, args.budget, emails, self.action_group, subscription)
        if args.budget.anomaly_detection.enabled:
            anomaly_alert(self, name, ctx.identity.stack, args.budget, emails, subscription)

        self._publish(
            notification_target=self.action_group.id,
            alarm_names=pulumi.Output.from_input(self.alerts.names),
            dashboard=board.id,
            budget_name=self.budget.name,
        )

    def _configured(self, alarm: Alarm, edge: Watched, nodes: Watched, servers: list[Watched]) -> None:
        if alarm.metric == "errorRate":
            self.alerts.configured(alarm, [edge], ERROR_RATE)
        else:  # cpuUtilization, memoryUtilization (latencyP95 is refused at config time on Azure)
            metrics = {CLUSTER: NODE_METRICS[alarm.metric], POSTGRES: DATABASE_METRICS[alarm.metric]}
            self.alerts.configured(alarm, [nodes, *servers], metrics)

    def _operator_alerts(
        self, args: OperationsArgs, edge: Watched, nodes: Watched, servers: list[Watched], cache: AzureCacheCluster
    ) -> None:
        """``monitoring.operatorAlarms``, each evaluated every period over one window of all its periods
        (the config check keeps both to Azure's sizes), and node pools at their maximum."""
        alerts, limits = self.alerts, args.monitoring.operator_alarms
        window = minutes(limits.period_seconds * limits.evaluation_periods)
        every = minutes(limits.period_seconds)
        primary, replicas = servers[0], servers[1:]
        alerts.static(
            "DatabaseStorage-database-primary",
            f"PostgreSQL storage above {limits.database_storage_percent:g}% (storage_percent)",
            primary,
            metric="storage_percent",
            operator="GreaterThan",
            threshold=limits.database_storage_percent,
            severity=1,
            window=window,
            frequency=every,
        )
        for replica in replicas:
            alerts.static(
                f"ReplicaLag-{replica.role}",
                f"replica more than {limits.replica_lag_seconds} s behind the primary",
                replica,
                metric="physical_replication_delay_in_seconds",
                operator="GreaterThan",
                threshold=limits.replica_lag_seconds,
                aggregation="Maximum",
                window=window,
                frequency=every,
            )
        alerts.static(
            "CacheMemory-cache",
            f"cache memory above {limits.cache_memory_percent:g}% (usedmemorypercentage)",
            Watched("cache", cache.cluster.id, REDIS),
            metric="usedmemorypercentage",
            operator="GreaterThan",
            threshold=limits.cache_memory_percent,
            window=window,
            frequency=every,
        )
        alerts.static(
            "NodePoolAtMaxSize-nodes",
            "pods the cluster autoscaler cannot place: a node pool is at its maximum size (or out of quota)",
            nodes,
            metric="cluster_autoscaler_unschedulable_pods_count",
            operator="GreaterThan",
            threshold=0,
            window=window,
            frequency=every,
        )
        alerts.static(
            "WafBlocked-edge",
            f"the WAF blocked more than {limits.waf_blocked_requests} requests in a period",
            edge,
            metric="WebApplicationFirewallRequestCount",
            operator="GreaterThan",
            threshold=limits.waf_blocked_requests,
            aggregation="Total",
            dimensions=[monitor.MetricDimensionArgs(name="Action", operator="Include", values=["Block"])],
            window=window,
            frequency=every,
        )

    @staticmethod
    def _charts(edge: Watched, nodes: Watched, servers: list[Watched], cache: AzureCacheCluster) -> list[Chart]:
        primary = servers[0]
        charts = [
            Chart("Edge requests", edge.resource_id, CDN, "RequestCount", TOTAL),
            Chart("Edge 5xx %", edge.resource_id, CDN, "Percentage5XX"),
            Chart("WAF requests", edge.resource_id, CDN, "WebApplicationFirewallRequestCount", TOTAL),
            Chart("Node CPU %", nodes.resource_id, CLUSTER, "node_cpu_usage_percentage"),
            Chart("Node memory %", nodes.resource_id, CLUSTER, "node_memory_working_set_percentage"),
            Chart("Unschedulable pods", nodes.resource_id, CLUSTER, "cluster_autoscaler_unschedulable_pods_count"),
            Chart("Database CPU %", primary.resource_id, POSTGRES, "cpu_percent"),
            Chart("Database storage %", primary.resource_id, POSTGRES, "storage_percent"),
            Chart("Database connections", primary.resource_id, POSTGRES, "active_connections"),
        ]
        charts += [
            Chart(f"Replica lag ({r.role})", r.resource_id, POSTGRES, "physical_replication_delay_in_seconds")
            for r in servers[1:]
        ]
        return [
            *charts,
            Chart("Cache memory %", cache.cluster.id, REDIS, "usedmemorypercentage"),
            Chart("Cache server load %", cache.cluster.id, REDIS, "serverLoad"),
        ]
