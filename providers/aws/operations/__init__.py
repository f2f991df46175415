"""AWS Operations: container logs kept for their retention, the alarms of ``monitoring.alarms`` and
the ones an operator expects besides, to encrypted SNS topics with the configured e-mail
subscriptions, a dashboard per stack, the monthly budget and Cost Anomaly Detection, and user data
replicated to the disaster-recovery region."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from components.base import sibling
from components.operations import Operations, OperationsArgs
from providers.aws.cache import AwsCacheCluster
from providers.aws.edge import AwsCdn
from providers.aws.keys import EDGE_REGION, AwsKeys
from providers.aws.kubernetes import AwsKubeCluster
from providers.aws.object_store import AwsObjectStore
from providers.aws.operations.alarms import CLOUDFRONT_DIMENSIONS, AlarmSpec, Signal, configured, metric_alarm, operator
from providers.aws.operations.budget import anomaly_detection, monthly_budget
from providers.aws.operations.container_logs import container_logs
from providers.aws.operations.custom_metrics import publish_grants
from providers.aws.operations.dashboard import Graph, custom_metric_graphs, dashboard_body
from providers.aws.operations.notifications import alarm_topic
from providers.aws.operations.replication import replicate_user_data
from providers.aws.postgres import AwsPostgresCluster
from providers.aws.workloads import AwsWorkloads

__all__ = ["AwsOperations"]

GIB = 1024**3


class AwsOperations(Operations):
    """Children: the Container Insights log groups and the ``amazon-cloudwatch-observability`` add-on
    with its agent's role; per region with alarms an ``sns.Topic`` (logs key), its policy and e-mail
    ``TopicSubscription``s; a ``cloudwatch.MetricAlarm`` per alarm and signal; a
    ``cloudfront.MonitoringSubscription`` when a latency alarm needs CloudFront's percentiles; the
    ``cloudwatch.Dashboard``; per service an ``iam.RolePolicy`` on its role to publish the custom
    metrics in their namespaces only (``custom_metrics``); the ``budgets.Budget``; with anomaly detection an
    ``costexplorer.AnomalyMonitor`` and ``AnomalySubscription``; with a DR region the replicas of the
    user-data buckets there (``replication``).

    Extra attribute: ``replicas`` (logical bucket name -> its replica, empty without a DR region).
    """

    def __init__(self, name: str, args: OperationsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        ctx, monitoring = args.context, args.monitoring
        self.monitoring = monitoring
        tags = ctx.tags("operations")
        region = ctx.provider.region
        keys = sibling(args.keys, AwsKeys)
        eks = sibling(args.cluster, AwsKubeCluster)
        postgres = sibling(args.database, AwsPostgresCluster)
        redis = sibling(args.cache, AwsCacheCluster)
        cdn = sibling(args.cdn, AwsCdn)
        store = sibling(args.store, AwsObjectStore)
        emails = monitoring.notification_emails

        container_logs(
            self, name, eks, args.cluster.name, monitoring.log_retention.application_days, keys.keys["logs"], tags
        )
        topics = {region: alarm_topic(self, f"{name}-alarms", region, keys.keys["logs"], emails, tags)}
        if region != EDGE_REGION:
            topics[EDGE_REGION] = alarm_topic(
                self, f"{name}-alarms-edge", EDGE_REGION, keys.edge_logs_key, emails, tags
            )

        signals = self._signals(region, eks, postgres, redis, cdn)
        specs = [spec for alarm in monitoring.alarms for spec in configured(alarm, signals[alarm.metric])]
        specs += self._operator_alarms(region, eks, postgres, redis, cdn)
        if any(alarm.metric == "latencyP95" for alarm in monitoring.alarms):
            aws.cloudfront.MonitoringSubscription(
                f"{name}-cdn-metrics",
                distribution_id=cdn.distribution.id,
                monitoring_subscription=aws.cloudfront.MonitoringSubscriptionMonitoringSubscriptionArgs(
                    realtime_metrics_subscription_config=aws.cloudfront.MonitoringSubscriptionMonitoringSubscriptionRealtimeMetricsSubscriptionConfigArgs(
                        realtime_metrics_subscription_status="Enabled"
                    )
                ),
                opts=self.child(),
            )
        alarms = [metric_alarm(self, ctx.identity.prefix, spec, topics[spec.signal.region], tags) for spec in specs]

        period = monitoring.operator_alarms.period_seconds
        dashboard = aws.cloudwatch.Dashboard(
            f"{name}-dashboard",
            dashboard_name=name,
            dashboard_body=pulumi.Output.all(
                cdn.distribution.id,
                cdn.web_acl.name,
                eks.cluster.name,
                pulumi.Output.all(postgres.primary.identifier, *[r.identifier for r in postgres.replicas]),
                pulumi.Output.all(*redis.node_ids),
            ).apply(lambda v: dashboard_body(self._graphs(region, v[0], v[1], v[2], v[3], v[4], period), period)),
            opts=self.child(),
        )
        publish_grants(self, name, sibling(args.workloads, AwsWorkloads).roles, monitoring.custom_metrics)
        budget = monthly_budget(self, f"{name}-monthly", args.budget, emails, tags)
        if args.budget.anomaly_detection.enabled:
            anomaly_detection(self, name, args.budget, emails, tags)
        self.replicas = (
            replicate_user_data(self, name, store, args.dr_region, keys.dr_storage_key, tags)
            if args.dr_region and keys.dr_storage_key is not None
            else {}
        )
        self._publish(
            notification_target=topics[region].arn,
            alarm_names=pulumi.Output.all(*[a.name for a in alarms]),
            dashboard=dashboard.dashboard_arn,
            budget_name=budget.name,
        )

    def _signals(
        self, region: str, eks: AwsKubeCluster, postgres: AwsPostgresCluster, redis: AwsCacheCluster, cdn: AwsCdn
    ) -> dict[str, list[Signal]]:
        """What each configured metric watches on AWS. The error rate is CloudFront's 5xx share of
        requests (every request passes it; the ALB answers CloudFront only); CPU and memory are the
        nodes' (Container Insights) and, for CPU, each database instance's."""
        nodes = {"ClusterName": eks.cluster.name}
        distribution = {"DistributionId": cdn.distribution.id, **CLOUDFRONT_DIMENSIONS}
        databases = [("db-primary", postgres.primary)] + [
            (f"db-replica-{i}", r) for i, r in enumerate(postgres.replicas, start=1)
        ]
        return {
            "errorRate": [
                Signal("cdn", "AWS/CloudFront", "5xxErrorRate", distribution, EDGE_REGION, missing_data="notBreaching")
            ],
            "cpuUtilization": [
                Signal("nodes", "ContainerInsights", "node_cpu_utilization", nodes, region),
                *[
                    Signal(role, "AWS/RDS", "CPUUtilization", {"DBInstanceIdentifier": db.identifier}, region)
                    for role, db in databases
                ],
            ],
            "memoryUtilization": [Signal("nodes", "ContainerInsights", "node_memory_utilization", nodes, region)],
            "latencyP95": [
                Signal(
                    "cdn",
                    "AWS/CloudFront",
                    "OriginLatency",
                    distribution,
                    EDGE_REGION,
                    statistic="p95",
                    missing_data="notBreaching",
                )
            ],
        }

    def _operator_alarms(
        self, region: str, eks: AwsKubeCluster, postgres: AwsPostgresCluster, redis: AwsCacheCluster, cdn: AwsCdn
    ) -> list[AlarmSpec]:
        ops = self.monitoring.operator_alarms
        databases = [("db-primary", postgres.primary)] + [
            (f"db-replica-{i}", r) for i, r in enumerate(postgres.replicas, start=1)
        ]
        free = 100 - ops.database_storage_percent
        # Read replicas are created with their source's allocated storage (they take no size of their own).
        low = postgres.primary.allocated_storage.apply(lambda gib: float(gib * GIB * free / 100))
        specs = [
            operator(
                "DatabaseStorageLow",
                Signal(role, "AWS/RDS", "FreeStorageSpace", {"DBInstanceIdentifier": db.identifier}, region, "Minimum"),
                low,
                "LessThanThreshold",
                ops,
                f"free storage below {free}% of the allocated storage",
            )
            for role, db in databases
        ]
        specs += [
            operator(
                "DatabaseReplicaLag",
                Signal(role, "AWS/RDS", "ReplicaLag", {"DBInstanceIdentifier": db.identifier}, region, "Maximum"),
                float(ops.replica_lag_seconds),
                "GreaterThanThreshold",
                ops,
                f"the replica is more than {ops.replica_lag_seconds} s behind the primary",
            )
            for role, db in databases[1:]
        ]
        specs += [
            operator(
                "CacheMemoryHigh",
                Signal(
                    f"cache-{index}",
                    "AWS/ElastiCache",
                    "DatabaseMemoryUsagePercentage",
                    {"CacheClusterId": node},
                    region,
                    "Maximum",
                ),
                float(ops.cache_memory_percent),
                "GreaterThanThreshold",
                ops,
                f"Redis uses more than {ops.cache_memory_percent}% of the node's memory",
            )
            for index, node in enumerate(redis.node_ids, start=1)
        ]
        max_nodes = pulumi.Output.all(*[g.scaling_config.max_size for g in eks.node_groups.values()]).apply(
            lambda sizes: float(sum(sizes))
        )
        specs.append(
            operator(
                "NodesAtMaxSize",
                Signal(
                    "nodes",
                    "ContainerInsights",
                    "cluster_node_count",
                    {"ClusterName": eks.cluster.name},
                    region,
                    "Maximum",
                ),
                max_nodes,
                "GreaterThanOrEqualToThreshold",
                ops,
                "the cluster runs every node its node groups allow: the autoscaler can add no more",
            )
        )
        waf = Signal(
            "waf",
            "AWS/WAFV2",
            "BlockedRequests",
            {"WebACL": cdn.web_acl.name, "Rule": "ALL"},
            EDGE_REGION,
            "Sum",
            missing_data="notBreaching",
        )
        specs.append(
            operator(
                "WafBlocksSpiking",
                waf,
                float(ops.waf_blocked_requests),
                "GreaterThanThreshold",
                ops,
                f"the WAF blocked more than {ops.waf_blocked_requests} requests in a period",
            )
        )
        return specs

    def _graphs(
        self,
        region: str,
        distribution: str,
        acl: str,
        cluster: str,
        databases: list[str],
        cache_nodes: list[str],
        period: int,
    ) -> list[Graph]:
        cf = ["AWS/CloudFront"]
        dist = ["DistributionId", distribution, "Region", "Global"]
        return [
            Graph(
                "Edge: requests and 5xx rate",
                EDGE_REGION,
                [
                    [*cf, "Requests", *dist, {"stat": "Sum"}],
                    [*cf, "5xxErrorRate", *dist, {"yAxis": "right"}],
                ],
            ),
            Graph(
                "Edge: WAF allowed and blocked",
                EDGE_REGION,
                [
                    ["AWS/WAFV2", verdict, "WebACL", acl, "Rule", "ALL", {"stat": "Sum"}]
                    for verdict in ("AllowedRequests", "BlockedRequests")
                ],
            ),
            Graph(
                "Service: nodes' CPU and memory, node count",
                region,
                [
                    ["ContainerInsights", metric, "ClusterName", cluster]
                    for metric in ("node_cpu_utilization", "node_memory_utilization", "cluster_node_count")
                ],
            ),
            Graph(
                "Database: CPU", region, [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", db] for db in databases]
            ),
            Graph(
                "Database: free storage and replica lag",
                region,
                [
                    *[["AWS/RDS", "FreeStorageSpace", "DBInstanceIdentifier", db] for db in databases],
                    *[
                        ["AWS/RDS", "ReplicaLag", "DBInstanceIdentifier", db, {"yAxis": "right"}]
                        for db in databases[1:]
                    ],
                ],
            ),
            Graph(
                "Cache: memory and engine CPU",
                region,
                [
                    ["AWS/ElastiCache", metric, "CacheClusterId", node]
                    for node in cache_nodes
                    for metric in ("DatabaseMemoryUsagePercentage", "EngineCPUUtilization")
                ],
            ),
            *custom_metric_graphs(self.monitoring.custom_metrics, region, period),
        ]
