"""Who reaches a GKE cluster and how: the kubeconfig of the ``gke-gcloud-auth-plugin``, and the
cluster administrators (``kubernetes.admins.gcp``) as IAM members that may find the cluster plus
a Kubernetes RBAC binding to ``cluster-admin`` in this cluster only."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp
import pulumi_kubernetes as k8s
import yaml

from components.base import NeutralComponent

CLUSTER_VIEWER = "roles/container.clusterViewer"
"""IAM on GKE is project-wide: ``container.admin`` would let an administrator change or delete
every cluster of the project and read every object in it. ``clusterViewer`` only lets them find a
cluster and fetch its endpoint (what ``gcloud container clusters get-credentials`` and the auth
plugin need); what they may do inside is Kubernetes RBAC, bound in this cluster alone."""
ADMIN_BINDING = "bettafish-cluster-admins"
AUTH_PLUGIN = "gke-gcloud-auth-plugin"
INSTALL_HINT = (
    "Install gke-gcloud-auth-plugin for use with kubectl by following"
    " https://cloud.google.com/kubernetes-engine/docs/how-to/cluster-access-for-kubectl#install_plugin"
)


def kubeconfig(cluster_name: str, endpoint: str, ca_data: str) -> str:
    """A kubeconfig as ``gcloud container clusters get-credentials`` writes it: the API server and
    its CA, and a user that gets short-lived Google tokens from ``gke-gcloud-auth-plugin``."""
    entry = f"gke_{cluster_name}"
    return yaml.safe_dump(
        {
            "apiVersion": "v1",
            "kind": "Config",
            "clusters": [{"name": entry, "cluster": {"server": endpoint, "certificate-authority-data": ca_data}}],
            "contexts": [{"name": entry, "context": {"cluster": entry, "user": entry}}],
            "current-context": entry,
            "users": [
                {
                    "name": entry,
                    "user": {
                        "exec": {
                            "apiVersion": "client.authentication.k8s.io/v1beta1",
                            "command": AUTH_PLUGIN,
                            "installHint": INSTALL_HINT,
                            "provideClusterInfo": True,
                        }
                    },
                }
            ],
        },
        sort_keys=False,
    )


def security_group(admins: list[str]) -> str | None:
    """The ``gke-security-groups`` group of the admin groups' domain (Google Groups for RBAC), if
    any admin is a group; checked at config time to be one domain."""
    domains = sorted({member.rsplit("@", 1)[1] for member in admins if member.startswith("group:")})
    return f"gke-security-groups@{domains[0]}" if domains else None


def admin_members(parent: NeutralComponent, name: str, admins: list[str], project: str) -> list[gcp.projects.IAMMember]:
    """Each administrator may find the cluster and fetch its credentials (``CLUSTER_VIEWER``)."""
    return [
        gcp.projects.IAMMember(
            f"{name}-admin-{i + 1}", project=project, role=CLUSTER_VIEWER, member=member, opts=parent.child()
        )
        for i, member in enumerate(admins)
    ]


def admin_binding(
    parent: NeutralComponent, admins: list[str], provider: k8s.Provider
) -> k8s.rbac.v1.ClusterRoleBinding:
    """``cluster-admin`` for the administrators, in this cluster. GKE names users and service
    accounts by e-mail; groups need Google Groups for RBAC (``security_group``)."""
    subjects = []
    for member in admins:
        kind, email = member.split(":", 1)
        subjects.append(
            {"kind": "Group" if kind == "group" else "User", "name": email, "apiGroup": "rbac.authorization.k8s.io"}
        )
    return k8s.rbac.v1.ClusterRoleBinding(
        f"{parent.name}-admins",
        metadata={"name": ADMIN_BINDING, "labels": {"app.kubernetes.io/managed-by": "pulumi"}},
        role_ref={"api_group": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "cluster-admin"},
        subjects=subjects,
        opts=parent.child(provider=provider),
    )


def kubeconfig_output(
    cluster: gcp.container.Cluster, endpoint: pulumi.Output[str], ca_data: pulumi.Output[str]
) -> pulumi.Output[str]:
    """The cluster's kubeconfig, a secret."""
    return pulumi.Output.secret(
        pulumi.Output.all(cluster.name, endpoint, ca_data).apply(lambda args: kubeconfig(args[0], args[1], args[2]))
    )
