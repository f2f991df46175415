"""Managed Kubernetes: a private, zone-redundant control plane and the node pools."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pulumi

from bettafish.config.kubernetes import Kubernetes
from components.base import DeployContext, NeutralComponent
from components.vpc import Vpc


@dataclass(frozen=True)
class KubeClusterArgs:
    kubernetes: Kubernetes
    vpc: Vpc
    context: DeployContext


class KubeCluster(NeutralComponent):
    """``bettafish:kubernetes:KubeCluster`` (EKS, GKE, AKS)."""

    TYPE: ClassVar[str] = "bettafish:kubernetes:KubeCluster"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("cluster_name", "endpoint", "kubeconfig", "node_pool_names")

    cluster_name: pulumi.Output[str]
    """The cluster's name in the cloud."""
    endpoint: pulumi.Output[str]
    """The API server URL (private)."""
    kubeconfig: pulumi.Output[str]
    """A kubeconfig for the cluster; always a secret."""
    node_pool_names: pulumi.Output[list[str]]
    """Names of the node pools, in config order."""

    def __init__(self, name: str, args: KubeClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args.context, opts)
