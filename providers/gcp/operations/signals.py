"""The Cloud Monitoring time series behind the alarms and the dashboard: which metric, on which
monitored resource, of which of the stack's resources, and how a configured number maps onto it.

Cloud Monitoring reports utilizations as fractions (0.8), where the config speaks percent (80): a
``Signal`` with ``percent=True`` divides the configured threshold by 100.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import pulumi

LOAD_BALANCER_REQUESTS = "loadbalancing.googleapis.com/https/request_count"
LOAD_BALANCER_LATENCY = "loadbalancing.googleapis.com/https/total_latencies"
NODE_CPU = "kubernetes.io/node/cpu/allocatable_utilization"
NODE_MEMORY = "kubernetes.io/node/memory/allocatable_utilization"
SQL_CPU = "cloudsql.googleapis.com/database/cpu/utilization"
SQL_MEMORY = "cloudsql.googleapis.com/database/memory/utilization"
SQL_DISK = "cloudsql.googleapis.com/database/disk/utilization"
SQL_REPLICA_LAG = "cloudsql.googleapis.com/database/replication/replica_lag"
REDIS_MEMORY = "redis.googleapis.com/cluster/memory/maximum_utilization"
ARMOR_REQUESTS = "networksecurity.googleapis.com/https/request_count"
AUTOSCALER_LOG = "container.googleapis.com%2Fcluster-autoscaler-visibility"
"""The cluster autoscaler's decisions, including the pods it could not place (``noScaleUp``)."""


@dataclass(frozen=True)
class Signal:
    """One time series filter and how to align it."""

    description: str
    filter: pulumi.Output[str]
    aligner: str
    reducer: str = "REDUCE_MAX"
    percent: bool = False
    denominator: pulumi.Output[str] | None = None
    """For a ratio (errors over requests): the requests' filter, aligned and reduced alike."""

    def threshold(self, configured: float) -> float:
        return configured / 100 if self.percent else configured


def _filter(metric: str, resource_type: str, literal: str = "", **labels: pulumi.Input[str]) -> pulumi.Output[str]:
    """``metric`` on ``resource_type`` whose resource ``labels`` are the given strings, plus a
    ``literal`` clause on a metric label of another type (an int or a bool, unquoted)."""

    def render(values: dict[str, str]) -> str:
        clauses = [f"metric.type = {json.dumps(metric)}", f"resource.type = {json.dumps(resource_type)}"]
        clauses += [f"resource.labels.{key} = {json.dumps(value)}" for key, value in sorted(values.items())]
        return " AND ".join([*clauses, *([literal] if literal else [])])

    return pulumi.Output.all(**labels).apply(render)


@dataclass(frozen=True)
class Targets:
    """The names Cloud Monitoring labels the stack's resources with."""

    project: str
    url_map: pulumi.Output[str]
    waf_policy: pulumi.Output[str]
    cluster: pulumi.Output[str]
    primary_database: pulumi.Output[str]
    replica_databases: list[pulumi.Output[str]]
    cache: pulumi.Output[str]

    def database_id(self, instance: pulumi.Output[str]) -> pulumi.Output[str]:
        """``<project>:<instance>``, Cloud SQL's ``database_id`` label."""
        return pulumi.Output.concat(self.project, ":", instance)

    def errors(self) -> Signal:
        requests = _filter(LOAD_BALANCER_REQUESTS, "https_lb_rule", url_map_name=self.url_map)
        return Signal(
            "5xx responses over requests at the edge's load balancer",
            _filter(
                LOAD_BALANCER_REQUESTS,
                "https_lb_rule",
                "metric.labels.response_code_class = 500",
                url_map_name=self.url_map,
            ),
            "ALIGN_DELTA",
            "REDUCE_SUM",
            percent=True,
            denominator=requests,
        )

    def latency_p95(self) -> Signal:
        return Signal(
            "95th percentile of the edge's total latency (ms)",
            _filter(LOAD_BALANCER_LATENCY, "https_lb_rule", url_map_name=self.url_map),
            "ALIGN_PERCENTILE_95",
        )

    def node(self, metric: str, what: str) -> Signal:
        literal = 'metric.labels.memory_type = "non-evictable"' if metric == NODE_MEMORY else ""
        return Signal(
            f"{what} of the cluster's nodes, averaged",
            _filter(metric, "k8s_node", literal, cluster_name=self.cluster),
            "ALIGN_MEAN",
            "REDUCE_MEAN",
            percent=True,
        )

    def database(self, metric: str, what: str, instance: pulumi.Output[str] | None = None) -> Signal:
        database_id = self.database_id(instance if instance is not None else self.primary_database)
        return Signal(
            f"{what} of the database",
            _filter(metric, "cloudsql_database", database_id=database_id),
            "ALIGN_MEAN",
            percent=metric != SQL_REPLICA_LAG,
        )

    def cache_memory(self) -> Signal:
        return Signal(
            "Memory used on the fullest cache node",
            _filter(REDIS_MEMORY, "redis.googleapis.com/Cluster", cluster_id=self.cache),
            "ALIGN_MAX",
            percent=True,
        )

    def waf_blocked(self) -> Signal:
        return Signal(
            "Requests the WAF blocked",
            _filter(
                ARMOR_REQUESTS, "network_security_policy", "metric.labels.blocked = true", policy_name=self.waf_policy
            ),
            "ALIGN_DELTA",
            "REDUCE_SUM",
        )
