"""The stack's Azure portal dashboard: one metrics chart per signal, in rows of three.

- edge: Front Door requests, 5xx percentage, WAF blocks;
- service: node CPU and memory, pods the autoscaler cannot place, and the application's custom
  metrics (``monitoring.customMetrics``, published by the app on the cluster, see ``custom_metrics``);
- database: CPU, storage, replica lag; cache: used memory, server load.

Charts are ``MonitorChartPart`` parts; each names the resource id, metric, namespace and
aggregation (Azure's codes: 1 total, 3 maximum, 4 average).
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import portal, resources

from components.base import NeutralComponent

TOTAL, MAXIMUM, AVERAGE = 1, 3, 4
COLUMNS, WIDTH, HEIGHT = 3, 6, 4
DAY_MS = 86_400_000


@dataclass(frozen=True)
class Chart:
    title: str
    resource_id: pulumi.Input[str]
    namespace: str
    metric: str
    aggregation: int = AVERAGE


def _part(chart: Chart, position: int) -> dict[str, object]:
    return {
        "position": {
            "x": (position % COLUMNS) * WIDTH,
            "y": (position // COLUMNS) * HEIGHT,
            "col_span": WIDTH,
            "row_span": HEIGHT,
        },
        "metadata": {
            "type": "Extension/HubsExtension/PartType/MonitorChartPart",
            "inputs": [
                {
                    "name": "options",
                    "isOptional": True,
                    "value": {
                        "chart": {
                            "title": chart.title,
                            "titleKind": 2,
                            "metrics": [
                                {
                                    "resourceMetadata": {"id": chart.resource_id},
                                    "name": chart.metric,
                                    "namespace": chart.namespace.lower(),
                                    "aggregationType": chart.aggregation,
                                    "metricVisualization": {"displayName": chart.title},
                                }
                            ],
                            "visualization": {"chartType": 2},
                            "timespan": {"relative": {"duration": DAY_MS}},
                        }
                    },
                },
                {"name": "sharedTimeRange", "isOptional": True},
            ],
            "settings": {},
        },
    }


def dashboard(
    parent: NeutralComponent,
    name: str,
    charts: list[Chart],
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
) -> portal.Dashboard:
    return portal.Dashboard(
        f"{name}-dashboard",
        dashboard_name=f"{name}-dashboard",
        resource_group_name=rg.name,
        location=location,
        properties={
            "lenses": [{"order": 0, "parts": [_part(chart, i) for i, chart in enumerate(charts)]}],
            "metadata": {
                "model": {
                    "timeRange": {
                        "type": "MsPortalFx.Composition.Configuration.ValueTypes.TimeRange",
                        "value": {"relative": {"duration": 24, "timeUnit": 1}},
                    }
                }
            },
        },
        # The portal shows the dashboard under this title.
        tags={**tags, "hidden-title": f"{name} operations"},
        opts=parent.child(),
    )
