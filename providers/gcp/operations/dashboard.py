"""The stack's Cloud Monitoring dashboard: the edge (requests, 5xx ratio, latency, WAF blocks), the
service (node CPU and memory, the custom metrics), the database (CPU, disk, replica lag) and the
cache (memory), one chart each, two a row."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_gcp as gcp

from components.base import NeutralComponent
from providers.gcp.operations import signals
from providers.gcp.operations.signals import Signal, Targets

COLUMNS = 48
TILE_WIDTH, TILE_HEIGHT = 24, 16
ALIGNMENT = "60s"


def charts(targets: Targets, custom_metrics: dict[str, str]) -> list[tuple[str, Signal]]:
    """(title, signal) per chart, in the dashboard's order."""
    found: list[tuple[str, Signal]] = [
        ("Edge: 5xx over requests", targets.errors()),
        ("Edge: p95 latency (ms)", targets.latency_p95()),
        ("Edge: requests the WAF blocked", targets.waf_blocked()),
        ("Service: node CPU", targets.node(signals.NODE_CPU, "CPU")),
        ("Service: node memory", targets.node(signals.NODE_MEMORY, "Memory")),
        ("Database: CPU", targets.database(signals.SQL_CPU, "CPU")),
        ("Database: disk used", targets.database(signals.SQL_DISK, "Disk used")),
        *[
            (f"Database: replica {i + 1} lag (s)", targets.database(signals.SQL_REPLICA_LAG, "Lag", replica))
            for i, replica in enumerate(targets.replica_databases)
        ],
        ("Cache: memory used", targets.cache_memory()),
    ]
    found += [
        (f"App: {name}", Signal(name, pulumi.Output.from_input(f'metric.type = "{metric_type}"'), "ALIGN_MEAN"))
        for name, metric_type in custom_metrics.items()
    ]
    return found


def _tile(index: int, title: str, filter_: str, signal: Signal, denominator: str | None) -> dict[str, Any]:
    aggregation = {
        "alignmentPeriod": ALIGNMENT,
        "perSeriesAligner": signal.aligner,
        "crossSeriesReducer": signal.reducer,
    }
    if denominator is not None:
        query: dict[str, Any] = {
            "timeSeriesFilterRatio": {
                "numerator": {"filter": filter_, "aggregation": aggregation},
                "denominator": {"filter": denominator, "aggregation": aggregation},
            }
        }
    else:
        query = {"timeSeriesFilter": {"filter": filter_, "aggregation": aggregation}}
    per_row = COLUMNS // TILE_WIDTH
    return {
        "xPos": (index % per_row) * TILE_WIDTH,
        "yPos": (index // per_row) * TILE_HEIGHT,
        "width": TILE_WIDTH,
        "height": TILE_HEIGHT,
        "widget": {"title": title, "xyChart": {"dataSets": [{"plotType": "LINE", "timeSeriesQuery": query}]}},
    }


def dashboard(
    parent: NeutralComponent,
    name: str,
    *,
    targets: Targets,
    custom_metrics: dict[str, str],
    title: str,
    depends_on: list[pulumi.Resource],
) -> gcp.monitoring.Dashboard:
    found = charts(targets, custom_metrics)
    filters = [s.filter for _, s in found]
    denominators = [s.denominator if s.denominator is not None else pulumi.Output.from_input("") for _, s in found]

    def render(values: list[str]) -> str:
        numerators, ratios = values[: len(found)], values[len(found) :]
        tiles = [
            _tile(i, chart_title, numerators[i], signal, ratios[i] or None)
            for i, (chart_title, signal) in enumerate(found)
        ]
        return json.dumps({"displayName": title, "mosaicLayout": {"columns": COLUMNS, "tiles": tiles}}, sort_keys=True)

    return gcp.monitoring.Dashboard(
        name,
        project=targets.project,
        dashboard_json=pulumi.Output.all(*filters, *denominators).apply(render),
        opts=parent.child(depends_on=depends_on),
    )
