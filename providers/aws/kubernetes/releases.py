"""Helm releases of the cluster's controllers: pinned charts, installed through the cluster's own
Kubernetes provider, running as non-root with nothing writable or escalatable."""

from __future__ import annotations

from typing import Any

import pulumi
import pulumi_kubernetes as k8s

from bettafish.config.eks_addons import Chart
from components.base import NeutralComponent
from providers.aws.kubernetes.addons import SYSTEM_NAMESPACE

NONROOT_UID = 65532
"""The ``nonroot`` user of the distroless images both controllers ship in."""
POD_SECURITY = {
    "runAsNonRoot": True,
    "runAsUser": NONROOT_UID,
    "runAsGroup": NONROOT_UID,
    "seccompProfile": {"type": "RuntimeDefault"},
}
CONTAINER_SECURITY = {
    "allowPrivilegeEscalation": False,
    "readOnlyRootFilesystem": True,
    "capabilities": {"drop": ["ALL"]},
}


def helm_release(
    parent: NeutralComponent,
    resource_name: str,
    release_name: str,
    chart: Chart,
    values: dict[str, Any],
    provider: k8s.Provider,
    depends_on: list[pulumi.Resource],
) -> k8s.helm.v3.Release:
    """``release_name`` is fixed so the objects the chart names after it (deployment, service account)
    keep their names. The release waits for its workloads to be ready, and rolls back a failed
    upgrade (``atomic``) instead of leaving the controller half-updated."""
    return k8s.helm.v3.Release(
        resource_name,
        name=release_name,
        chart=chart.chart,
        version=chart.version,
        repository_opts=k8s.helm.v3.RepositoryOptsArgs(repo=chart.repo),
        namespace=SYSTEM_NAMESPACE,
        values=values,
        atomic=True,
        max_history=10,
        opts=parent.child(provider=provider, depends_on=depends_on),
    )
