"""The Helm charts the Azure workloads install on AKS (``data/aks-charts.yaml``), pinned."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

import yaml
from pydantic import Field, TypeAdapter

from bettafish.config.base import Model


class HelmChart(Model):
    repo: str = Field(pattern=r"^(https|oci)://")
    """A chart repository, or an OCI registry path the chart lives under."""
    chart: str
    version: str = Field(pattern=r"^v?\d+\.\d+\.\d+$")

    @property
    def reference(self) -> str:
        """What Helm installs: ``oci://<registry path>/<chart>``, or the chart's name in ``repo``."""
        return f"{self.repo}/{self.chart}" if self.repo.startswith("oci://") else self.chart


class AksCharts(Model):
    alb_controller: HelmChart
    cert_manager: HelmChart


class AksChartPins(Model):
    as_of: date
    charts: AksCharts


@cache
def aks_charts() -> AksCharts:
    text = resources.files("bettafish").joinpath("data/aks-charts.yaml").read_text()
    return TypeAdapter(AksChartPins).validate_python(yaml.safe_load(text)).charts
