"""The stack's CloudWatch dashboard: the edge (CloudFront, WAF), the service's nodes, the database,
the cache and the application's own metrics, each graph in the region its metrics live in."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from bettafish.config.operations import CustomMetric

WIDTH, HEIGHT = 12, 6


@dataclass(frozen=True)
class Graph:
    title: str
    region: str
    metrics: list[list[Any]]
    """CloudWatch's metric arrays: ``[namespace, metric, dim, value, ..., {options}]`` or ``[{expression}]``."""


def custom_metric_graphs(metrics: Sequence[CustomMetric], region: str, period: int) -> list[Graph]:
    """Each ``monitoring.customMetrics`` entry by every dimension the application publishes it with
    (a search: the namespace and name are the contract, the dimensions are the application's)."""
    return [
        Graph(
            f"{m.name} ({m.unit})",
            region,
            [[{"expression": f"SEARCH('{{{m.namespace}}} MetricName=\"{m.name}\"', 'Average', {period})", "id": "e1"}]],
        )
        for m in metrics
    ]


def dashboard_body(graphs: Sequence[Graph], period: int) -> str:
    """Two graphs a row, in order."""
    widgets = [
        {
            "type": "metric",
            "x": (index % 2) * WIDTH,
            "y": (index // 2) * HEIGHT,
            "width": WIDTH,
            "height": HEIGHT,
            "properties": {
                "title": graph.title,
                "region": graph.region,
                "metrics": graph.metrics,
                "period": period,
                "stat": "Average",
                "view": "timeSeries",
            },
        }
        for index, graph in enumerate(graphs)
    ]
    return json.dumps({"widgets": widgets}, sort_keys=True)
