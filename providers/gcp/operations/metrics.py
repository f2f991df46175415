"""Metric descriptors for ``monitoring.customMetrics``: the app writes its own measurements
(``QueryProcessingTime`` in seconds, ``AgentSuccessRate`` in percent) as
``custom.googleapis.com/<namespace>/<name>``, gauges of doubles, labelled with the writing service.
Declaring them fixes their kind, type and unit before the first write (otherwise the first write
would create them, with whatever it sent).

The app writes them with each service's own identity (its Google service account, or its
ServiceAccount's federated principal when it has none), which holds ``roles/monitoring.metricWriter``
on the project for that: Cloud Monitoring grants writes per project, not per metric type, so the role
lets a service write any metric of the project but read none."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from bettafish.config.operations import CustomMetric
from components.base import NeutralComponent

METRIC_WRITER = "roles/monitoring.metricWriter"

UNITS = {"Seconds": "s", "Milliseconds": "ms", "Percent": "%", "Count": "1"}
"""The configured units as Cloud Monitoring's UCUM codes."""


def metric_type(metric: CustomMetric) -> str:
    return f"custom.googleapis.com/{metric.namespace}/{metric.name}"


def metric_descriptors(
    parent: NeutralComponent, name: str, project: str, metrics: list[CustomMetric], *, opts: pulumi.ResourceOptions
) -> dict[str, gcp.monitoring.MetricDescriptor]:
    """By configured name."""
    return {
        metric.name: gcp.monitoring.MetricDescriptor(
            f"{name}-{metric.name.lower()}",
            project=project,
            type=metric_type(metric),
            display_name=metric.name,
            description=f"BettaFish {metric.name} ({metric.unit}), written by the app",
            metric_kind="GAUGE",
            value_type="DOUBLE",
            unit=UNITS[metric.unit],
            labels=[{"key": "service", "value_type": "STRING", "description": "The service that wrote the point"}],
            opts=opts,
        )
        for metric in metrics
    }


def publish_grants(
    parent: NeutralComponent,
    name: str,
    project: str,
    members: dict[str, pulumi.Input[str]],
    metrics: list[CustomMetric],
    *,
    opts: pulumi.ResourceOptions,
) -> list[gcp.projects.IAMMember]:
    """``roles/monitoring.metricWriter`` on the project for each service's IAM member (by
    ServiceAccount); none without custom metrics."""
    if not metrics:
        return []
    return [
        gcp.projects.IAMMember(
            f"{name}-{account}-metrics", project=project, role=METRIC_WRITER, member=member, opts=opts
        )
        for account, member in sorted(members.items())
    ]
