"""Who may use the cluster and how: Azure RBAC role assignments for the administrators and the
deployer, the kubeconfig (kubelogin exec plugin, no credentials of its own), and the autoscaler's
priority expander configuration.

Local accounts are disabled, so there are no admin credentials: every user authenticates with
Entra ID through ``kubelogin`` and is authorised by Azure RBAC. The deployer (whoever runs ``pulumi
up``) gets "Azure Kubernetes Service RBAC Cluster Admin" on the cluster so that the program can create
Kubernetes objects; Azure RBAC for Kubernetes takes a few minutes to propagate, so a first deploy may
need a second ``pulumi up`` (docs/deploying.md).
"""

from __future__ import annotations

import base64

import pulumi
import pulumi_kubernetes as k8s
import yaml
from pulumi_azure_native import authorization, containerservice, resources

from components.base import NeutralComponent
from providers.azure.common import role_definition
from providers.azure.kubernetes.plan import ZonalPool

AKS_RBAC_CLUSTER_ADMIN = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b"
"""Built-in role "Azure Kubernetes Service RBAC Cluster Admin": every Kubernetes object."""
AKS_CLUSTER_USER = "4abbcc35-e782-43d8-92c5-2d3f1bd2253f"
"""Built-in role "Azure Kubernetes Service Cluster User Role": fetch the (credential-less) kubeconfig."""
AKS_SERVER_APP_ID = "6dae42f8-4368-4678-94ff-3960e28e3630"
"""The Entra ID application of the AKS API server, the same in every tenant (kubelogin's --server-id)."""
SPOT_PRIORITY, ON_DEMAND_PRIORITY = 20, 10


PRINCIPAL_TYPES = {"user": "User", "group": "Group", "servicePrincipal": "ServicePrincipal"}
"""``kubernetes.admins.azure`` kinds -> role assignment principal types."""


def admin_grants(
    parent: NeutralComponent,
    name: str,
    cluster: containerservice.ManagedCluster,
    admins: list[str],
    deployer: tuple[pulumi.Input[str], str],
    subscription: pulumi.Input[str],
) -> list[authorization.RoleAssignment]:
    """Cluster admin for the deployer (object id, principal type) and each ``kubernetes.admins.azure``
    principal (``group:<object id>``), plus the cluster user role for the administrators. Every
    grant states its principal's type: the SDK sends ``User`` otherwise, which Azure refuses for a
    group or a service principal."""

    def assign(
        label: str, principal: pulumi.Input[str], principal_type: str, role: str, why: str
    ) -> authorization.RoleAssignment:
        return authorization.RoleAssignment(
            f"{name}-{label}",
            principal_id=principal,
            principal_type=principal_type,
            role_definition_id=role_definition(subscription, role),
            scope=cluster.id,
            description=why,
            opts=parent.child(),
        )

    deployer_id, deployer_type = deployer
    grants = [
        assign(
            "deployer-admin", deployer_id, deployer_type, AKS_RBAC_CLUSTER_ADMIN, "pulumi up creates Kubernetes objects"
        )
    ]
    for admin in admins:
        kind, object_id = admin.split(":", 1)
        principal_type = PRINCIPAL_TYPES[kind]
        # Named by the object id, so that reordering the list replaces nothing.
        label = f"admin-{object_id[:8]}"
        grants.append(assign(label, object_id, principal_type, AKS_RBAC_CLUSTER_ADMIN, "kubernetes.admins.azure"))
        grants.append(assign(f"{label}-user", object_id, principal_type, AKS_CLUSTER_USER, "az aks get-credentials"))
    return grants


def endpoint(cluster: containerservice.ManagedCluster, private: bool) -> pulumi.Output[str]:
    fqdn = cluster.private_fqdn if private else cluster.fqdn
    url: pulumi.Output[str] = fqdn.apply(lambda host: f"https://{host}:443")
    return url


def certificate_authority(
    parent: NeutralComponent, cluster: containerservice.ManagedCluster, rg: resources.ResourceGroup
) -> pulumi.Output[str]:
    """The cluster CA (base64 PEM), read from the credential-less user kubeconfig AKS hands out."""
    credentials = containerservice.list_managed_cluster_user_credentials_output(
        resource_group_name=rg.name,
        resource_name=cluster.name,
        format="exec",
        opts=pulumi.InvokeOutputOptions(parent=parent),
    )
    ca: pulumi.Output[str] = credentials.kubeconfigs.apply(lambda found: _ca_of(found[0].value))
    return ca


def _ca_of(encoded: str) -> str:
    config = yaml.safe_load(base64.b64decode(encoded))
    ca: str = config["clusters"][0]["cluster"]["certificate-authority-data"]
    return ca


def kubeconfig(cluster_name: pulumi.Input[str], server: pulumi.Input[str], ca: pulumi.Input[str]) -> pulumi.Output[str]:
    """The cluster's kubeconfig, a secret (``render_kubeconfig``)."""
    rendered = pulumi.Output.all(cluster_name, server, ca).apply(lambda args: render_kubeconfig(*args))
    return pulumi.Output.secret(rendered)


def render_kubeconfig(cluster: str, server: str, ca: str) -> str:
    """A kubeconfig as ``kubelogin convert-kubeconfig -l azurecli`` writes it: tokens for the AKS
    server application from the Azure CLI's login (``az login``, also as a service principal or a
    workload identity in CI). It holds no credential."""
    user = f"{cluster}-entra"
    document = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": cluster, "cluster": {"server": server, "certificate-authority-data": ca}}],
        "contexts": [{"name": cluster, "context": {"cluster": cluster, "user": user}}],
        "current-context": cluster,
        "users": [
            {
                "name": user,
                "user": {
                    "exec": {
                        "apiVersion": "client.authentication.k8s.io/v1beta1",
                        "command": "kubelogin",
                        "args": ["get-token", "--login", "azurecli", "--server-id", AKS_SERVER_APP_ID],
                        "interactiveMode": "IfAvailable",
                        "provideClusterInfo": False,
                        "installHint": "install kubelogin and kubectl: az aks install-cli (docs/deploying.md)",
                    }
                },
            }
        ],
    }
    return yaml.safe_dump(document, sort_keys=False)


def priority_expander(
    parent: NeutralComponent, name: str, pools: list[ZonalPool], provider: k8s.Provider
) -> k8s.core.v1.ConfigMap:
    """The cluster autoscaler grows a spot pool when it can host the pending pods and falls back to
    on-demand pools when spot capacity is gone (the autoscaler backs off a pool that fails to grow).
    Patterns match AKS's scale set names, ``aks-<pool>-<id>-vmss``; every pool is listed."""
    levels: dict[int, list[str]] = {}
    for pool in pools:
        levels.setdefault(SPOT_PRIORITY if pool.spot else ON_DEMAND_PRIORITY, []).append(f".*-{pool.name}-.*")
    return k8s.core.v1.ConfigMap(
        f"{name}-priority-expander",
        metadata={
            "name": "cluster-autoscaler-priority-expander",
            "namespace": "kube-system",
            "labels": {"app.kubernetes.io/managed-by": "pulumi"},
        },
        data={"priorities": yaml.safe_dump(dict(sorted(levels.items(), reverse=True)), sort_keys=False)},
        opts=parent.child(provider=provider),
    )
