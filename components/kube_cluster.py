"""Managed Kubernetes: a private, zone-redundant control plane, the node pools, and the one
Kubernetes provider every Kubernetes object of the stack is created with."""

from __future__ import annotations

import socket
from dataclasses import dataclass
from typing import ClassVar
from urllib.parse import urlparse

import pulumi
import pulumi_kubernetes as k8s
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.settings import get_monitor

from bettafish.config.kubernetes import Kubernetes
from components.base import DeployContext, NeutralComponent
from components.keys import Keys
from components.vpc import Vpc

POOL_LABEL = "bettafish.io/pool"
"""Every node carries its pool's name (``general``; a spot companion its base pool's), so that
workloads select pools the same way on every cloud."""
CAPACITY_LABEL = "bettafish.io/capacity"
"""``on-demand`` or ``spot``."""
SPOT_TAINT_KEY = "bettafish.io/spot"
"""Spot nodes are tainted ``bettafish.io/spot=true:NoSchedule``: only workloads that tolerate
interruption land there (AKS adds its own ``kubernetes.azure.com/scalesetpriority=spot`` taint too)."""
STORAGE_CLASS = "encrypted"
"""The default StorageClass: volumes encrypted with the stack's ``kubernetes`` key."""
PROBE_TIMEOUT_SECONDS = 10


def spot_pool_name(pool: str) -> str:
    """The spot companion of ``pool``: ``general`` -> ``generalspot`` (AKS pool names take no dashes)."""
    return f"{pool}spot"


@dataclass(frozen=True)
class KubeClusterArgs:
    kubernetes: Kubernetes
    vpc: Vpc
    keys: Keys
    log_retention_days: int
    """How long control-plane logs are kept (``monitoring.logRetention.applicationDays``)."""
    context: DeployContext


class KubeCluster(NeutralComponent):
    """``bettafish:kubernetes:KubeCluster`` (EKS, GKE, AKS).

    Besides the neutral outputs every implementation sets ``provider``: the explicit Kubernetes
    provider (``_kubernetes_provider``) that every Kubernetes object in the program must use, so
    nothing ever reaches for the operator's ambient kubeconfig.
    """

    TYPE: ClassVar[str] = "bettafish:kubernetes:KubeCluster"
    OUTPUTS: ClassVar[tuple[str, ...]] = (
        "cluster_name",
        "endpoint",
        "certificate_authority",
        "kubeconfig",
        "oidc_issuer_url",
        "node_pool_names",
    )

    cluster_name: pulumi.Output[str]
    """The cluster's name in the cloud."""
    endpoint: pulumi.Output[str]
    """The API server URL (``https://…``)."""
    certificate_authority: pulumi.Output[str]
    """The cluster CA certificate, base64-encoded PEM as kubeconfigs carry it."""
    kubeconfig: pulumi.Output[str]
    """A kubeconfig that authenticates with the cloud's exec plugin (``aws eks get-token``,
    ``gke-gcloud-auth-plugin``, ``kubelogin``); always a secret."""
    oidc_issuer_url: pulumi.Output[str]
    """The cluster's service-account token issuer, which workload identities trust."""
    node_pool_names: pulumi.Output[list[str]]
    """Node pools in config order, each followed by its spot companion if it has one."""
    provider: k8s.Provider
    """The Kubernetes provider of this cluster."""

    def __init__(self, name: str, args: KubeClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args.context, opts)

    def _kubernetes_provider(
        self,
        cluster_name: pulumi.Input[str],
        kubeconfig: pulumi.Output[str],
        endpoint: pulumi.Output[str],
        *,
        depends_on: list[pulumi.Resource],
    ) -> k8s.Provider:
        """The cluster's Kubernetes provider, ready once ``depends_on`` (node pools, access grants) is.

        ``cluster_identifier`` pins the provider's identity to the cluster's name, so a new token or
        endpoint in the kubeconfig updates the provider instead of replacing every object it owns.
        Against a real engine the endpoint is probed first: an operator outside a private network
        gets an explanation in seconds, not a connection that hangs.
        """
        reachable: pulumi.Output[str] = pulumi.Output.secret(
            pulumi.Output.all(kubeconfig, endpoint).apply(lambda args: _reachable_or_explain(args[0], args[1]))
        )
        self.provider = k8s.Provider(
            f"{self.name}-k8s",
            kubeconfig=reachable,
            cluster_identifier=cluster_name,
            enable_server_side_apply=True,
            opts=self.child(depends_on=depends_on),
        )
        return self.provider

    def _default_storage_class(
        self, provisioner: str, parameters: dict[str, pulumi.Input[str]]
    ) -> k8s.storage.v1.StorageClass:
        """The ``encrypted`` StorageClass, made the default: volumes bound where their pod lands,
        expandable, deleted with their claim."""
        return k8s.storage.v1.StorageClass(
            f"{self.name}-{STORAGE_CLASS}",
            metadata={
                "name": STORAGE_CLASS,
                "annotations": {"storageclass.kubernetes.io/is-default-class": "true"},
                "labels": {"app.kubernetes.io/managed-by": "pulumi"},
            },
            provisioner=provisioner,
            parameters=parameters,
            reclaim_policy="Delete",
            volume_binding_mode="WaitForFirstConsumer",
            allow_volume_expansion=True,
            opts=self.child(provider=self.provider),
        )


def _reachable_or_explain(kubeconfig: str, endpoint: str) -> str:
    """``kubeconfig`` once the API endpoint answers on TCP, else a clear error (offline runs skip the probe)."""
    if isinstance(get_monitor(), MockMonitor):
        return kubeconfig
    url = urlparse(endpoint)
    try:
        socket.create_connection((url.hostname or endpoint, url.port or 443), timeout=PROBE_TIMEOUT_SECONDS).close()
    except OSError as exc:
        raise RuntimeError(
            f"cannot reach the Kubernetes API at {endpoint} ({exc}). Its endpoint is private: run"
            " `pulumi up` from inside the network (a CI runner in the VPC/VNet, a bastion) or over VPN,"
            " or add your address to bettafish:kubernetes.controlPlane.authorizedCidrs."
            " See docs/deploying.md, 'Reaching a private cluster'."
        ) from None
    return kubeconfig
