"""Cloud Monitoring alert policies: the configured ``monitoring.alarms`` and the ones an operator
expects besides (``monitoring.operatorAlarms``), each notifying the stack's channels.

A configured alarm becomes one policy per place its metric is watched (CPU: the cluster's nodes and
the database), each named ``<stack prefix> <alarm name> <where>``. The alarm's ``periodSeconds`` is
the alignment period; it fires when the aligned series stays past the threshold for
``evaluationPeriods`` periods (the condition's ``duration``).
"""

from __future__ import annotations

import json
from collections.abc import Callable

import pulumi
import pulumi_gcp as gcp

from bettafish.config.operations import Alarm, Monitoring
from components.base import NeutralComponent
from providers.gcp.operations import signals
from providers.gcp.operations.signals import Signal, Targets

COMPARISONS = {
    "greaterThan": "COMPARISON_GT",
    "greaterThanOrEqual": "COMPARISON_GE",
    "lessThan": "COMPARISON_LT",
    "lessThanOrEqual": "COMPARISON_LE",
}
LOG_ALERT_RATE_LIMIT_SECONDS = 300
"""At most one notification per five minutes from a log-match alert (Cloud Monitoring requires a limit)."""
AUTO_CLOSE = "86400s"
"""An incident whose condition has cleared closes on its own after a day."""


def configured_signals(targets: Targets, metric: str) -> dict[str, Signal]:
    """Where each configured metric is watched, by the suffix of the policy's name."""
    by_metric: dict[str, Callable[[], dict[str, Signal]]] = {
        "errorRate": lambda: {"edge": targets.errors()},
        "cpuUtilization": lambda: {
            "nodes": targets.node(signals.NODE_CPU, "CPU"),
            "database": targets.database(signals.SQL_CPU, "CPU"),
        },
        "memoryUtilization": lambda: {
            "nodes": targets.node(signals.NODE_MEMORY, "Memory"),
            "database": targets.database(signals.SQL_MEMORY, "Memory"),
        },
        "latencyP95": lambda: {"edge": targets.latency_p95()},
    }
    return by_metric[metric]()


def _condition(signal: Signal, threshold: float, comparison: str, period: int, periods: int) -> dict[str, object]:
    aggregation = {
        "alignment_period": f"{period}s",
        "per_series_aligner": signal.aligner,
        "cross_series_reducer": signal.reducer,
    }
    threshold_condition: dict[str, object] = {
        "filter": signal.filter,
        "comparison": comparison,
        "threshold_value": signal.threshold(threshold),
        "duration": f"{period * periods}s",
        "aggregations": [aggregation],
        "trigger": {"count": 1},
    }
    if signal.denominator is not None:
        threshold_condition["denominator_filter"] = signal.denominator
        threshold_condition["denominator_aggregations"] = [aggregation]
    return {"display_name": signal.description, "condition_threshold": threshold_condition}


class Alarms:
    """Children of ``parent``: one ``monitoring.AlertPolicy`` per configured alarm and place, and
    the operator's (database storage, replica lag, cache memory, WAF blocks, node pools that cannot
    grow). Attributes: ``policies`` (by display name)."""

    def __init__(
        self,
        parent: NeutralComponent,
        name: str,
        *,
        monitoring: Monitoring,
        targets: Targets,
        channels: list[pulumi.Output[str]],
        prefix: str,
        depends_on: list[pulumi.Resource],
    ) -> None:
        self._parent, self._name, self._prefix, self._targets = parent, name, prefix, targets
        self._channels, self._depends_on = channels, depends_on
        self.policies: dict[str, gcp.monitoring.AlertPolicy] = {}
        for alarm in monitoring.alarms:
            self._configured(alarm)
        self._operator(monitoring)

    def _configured(self, alarm: Alarm) -> None:
        for where, signal in configured_signals(self._targets, alarm.metric).items():
            condition = _condition(
                signal, alarm.threshold, COMPARISONS[alarm.comparison], alarm.period_seconds, alarm.evaluation_periods
            )
            self._policy(
                f"{alarm.name}-{where}",
                f"{alarm.name} {where}",
                [condition],
                f"{signal.description} {alarm.comparison} {alarm.threshold:g} for {alarm.evaluation_periods}"
                f" periods of {alarm.period_seconds} s (monitoring.alarms {alarm.name}).",
            )

    def _operator(self, monitoring: Monitoring) -> None:
        limits, targets = monitoring.operator_alarms, self._targets
        window, periods = limits.period_seconds, limits.evaluation_periods
        above = "COMPARISON_GT"
        self._policy(
            "DatabaseStorage",
            "DatabaseStorage",
            [
                _condition(
                    targets.database(signals.SQL_DISK, "Disk used"),
                    limits.database_storage_percent,
                    above,
                    window,
                    periods,
                )
            ],
            f"The database's disk is over {limits.database_storage_percent}% used.",
        )
        if targets.replica_databases:
            lag = [
                _condition(
                    targets.database(signals.SQL_REPLICA_LAG, f"Replication lag (s) of replica {i + 1}", replica),
                    limits.replica_lag_seconds,
                    above,
                    window,
                    periods,
                )
                for i, replica in enumerate(targets.replica_databases)
            ]
            self._policy(
                "ReplicaLag", "ReplicaLag", lag, f"A read replica trails by over {limits.replica_lag_seconds} s."
            )
        self._policy(
            "CacheMemory",
            "CacheMemory",
            [_condition(targets.cache_memory(), limits.cache_memory_percent, above, window, periods)],
            f"A cache node's memory is over {limits.cache_memory_percent}% used.",
        )
        self._policy(
            "WafBlocked",
            "WafBlocked",
            [_condition(targets.waf_blocked(), limits.waf_blocked_requests, above, window, periods)],
            f"The WAF blocked over {limits.waf_blocked_requests} requests in a period of {window} s.",
        )
        log_filter = targets.cluster.apply(
            lambda cluster: (
                f"logName = {json.dumps(f'projects/{targets.project}/logs/{signals.AUTOSCALER_LOG}')}"
                f" AND resource.labels.cluster_name = {json.dumps(cluster)}"
                " AND jsonPayload.noDecisionStatus.noScaleUp:*"
            )
        )
        self._policy(
            "NodePoolsAtMaxSize",
            "NodePoolsAtMaxSize",
            [
                {
                    "display_name": "The cluster autoscaler could not add a node",
                    "condition_matched_log": {"filter": log_filter},
                }
            ],
            "Pods are pending and the cluster autoscaler could not add a node: a node pool at its maximum size,"
            " or a zone out of capacity or quota (the log entry's reason says which).",
            log_based=True,
        )

    def _policy(
        self,
        role: str,
        title: str,
        conditions: list[dict[str, object]],
        summary: str,
        *,
        log_based: bool = False,
    ) -> None:
        display_name = f"{self._prefix} {title}"
        strategy: dict[str, object] = {"auto_close": AUTO_CLOSE}
        if log_based:
            # Log-match conditions need a notification rate limit (Cloud Monitoring refuses one without).
            strategy["notification_rate_limit"] = {"period": f"{LOG_ALERT_RATE_LIMIT_SECONDS}s"}
        self.policies[display_name] = gcp.monitoring.AlertPolicy(
            f"{self._name}-{role.lower()}",
            project=self._targets.project,
            display_name=display_name,
            combiner="OR",
            conditions=conditions,
            notification_channels=self._channels,
            alert_strategy=strategy,
            documentation={
                "content": f"{summary} What it means and what to do: docs/operations.md, GCP, {title}.",
                "mime_type": "text/markdown",
            },
            user_labels=self._parent.context.tags("operations"),
            opts=self._parent.child(depends_on=self._depends_on),
        )
