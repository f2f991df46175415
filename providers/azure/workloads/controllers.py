"""The two controllers the Azure ingress relies on, installed from pinned Helm charts
(``data/aks-charts.yaml``), each with its own workload identity: the ALB Controller of Application
Gateway for Containers and cert-manager."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
from pulumi_azure_native import managedidentity, resources

from bettafish.config.aks_charts import HelmChart
from components.base import NeutralComponent
from providers.azure.common import user_identity
from providers.azure.workloads.identity import federate

RELEASES_NAMESPACE = "kube-system"
"""Where a release whose chart creates its own namespace keeps its Helm state."""


@dataclass(frozen=True)
class ControllerIdentity:
    identity: managedidentity.UserAssignedIdentity
    federation: managedidentity.FederatedIdentityCredential


def controller_identity(
    parent: NeutralComponent,
    name: str,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
    *,
    issuer: pulumi.Input[str],
    namespace: str,
    account: str,
) -> ControllerIdentity:
    """A user-assigned identity federated with the controller's ServiceAccount ``namespace/account``."""
    identity = user_identity(parent, f"{name}-identity", rg, location, tags)
    federation = federate(parent, f"{name}-federation", identity, rg, issuer, namespace, account)
    return ControllerIdentity(identity=identity, federation=federation)


def helm_release(
    parent: NeutralComponent,
    resource_name: str,
    *,
    release_name: str,
    chart: HelmChart,
    namespace: str,
    values: dict[str, Any],
    provider: k8s.Provider,
    depends_on: list[pulumi.Resource],
    create_namespace: bool = False,
) -> k8s.helm.v3.Release:
    """``release_name`` is fixed so the objects the chart names after it keep their names (the
    federated credentials name the ServiceAccounts). The release waits for its workloads to be
    ready, and rolls back a failed upgrade (``atomic``)."""
    oci = chart.repo.startswith("oci://")
    return k8s.helm.v3.Release(
        resource_name,
        name=release_name,
        chart=chart.reference,
        version=chart.version,
        repository_opts=None if oci else k8s.helm.v3.RepositoryOptsArgs(repo=chart.repo),
        namespace=namespace,
        create_namespace=create_namespace,
        values=values,
        atomic=True,
        max_history=10,
        opts=parent.child(provider=provider, depends_on=depends_on),
    )
