"""What an EKS cluster of each Kubernetes version runs (``data/eks-addons.yaml``): pinned managed
add-on versions, the cluster autoscaler image and the Helm charts."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources
from typing import Literal

import yaml
from pydantic import Field, TypeAdapter

from bettafish.config.base import Model

ManagedAddon = Literal[
    "vpc-cni", "kube-proxy", "coredns", "eks-pod-identity-agent", "aws-ebs-csi-driver", "metrics-server"
]
MANAGED_ADDONS: tuple[ManagedAddon, ...] = (
    "vpc-cni",
    "kube-proxy",
    "coredns",
    "eks-pod-identity-agent",
    "aws-ebs-csi-driver",
    "metrics-server",
)


class VersionAddons(Model):
    addons: dict[ManagedAddon, str] = Field(min_length=len(MANAGED_ADDONS))
    """EKS managed add-on -> ``addonVersion`` (``v1.35.0-eksbuild.2``)."""
    cluster_autoscaler_image: str = Field(pattern=r"^v1\.\d{2}\.\d+$")
    """The cluster autoscaler image tag: its minor version must be the cluster's."""


class Quantities(Model):
    cpu: str = Field(pattern=r"^\d+m?$")
    memory: str = Field(pattern=r"^\d+(Mi|Gi)$")


class Resources(Model):
    """A container's requests and limits, both cpu and memory (security rule 35)."""

    requests: Quantities
    limits: Quantities


class Chart(Model):
    repo: str = Field(pattern=r"^https://")
    chart: str
    version: str
    resources: Resources
    """The controller container's."""


class Charts(Model):
    cluster_autoscaler: Chart
    load_balancer_controller: Chart


class EksAddons(Model):
    as_of: date
    source: str
    versions: dict[str, VersionAddons] = Field(min_length=1)
    charts: Charts


@cache
def eks_addons() -> EksAddons:
    text = resources.files("bettafish").joinpath("data/eks-addons.yaml").read_text()
    return TypeAdapter(EksAddons).validate_python(yaml.safe_load(text))
