"""Who may use the cluster, and how: EKS access entries with the cluster-admin access policy for the
deployer and ``kubernetes.admins.aws``, and a kubeconfig that signs in with the AWS CLI."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components.base import NeutralComponent

CLUSTER_ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
EXEC_API_VERSION = "client.authentication.k8s.io/v1beta1"


def admin_access(
    parent: NeutralComponent, name: str, cluster: aws.eks.Cluster, admins: list[str], tags: dict[str, str]
) -> list[aws.eks.AccessPolicyAssociation]:
    """An access entry and a cluster-scoped AmazonEKSClusterAdminPolicy association per principal.

    The first is the deployer: the IAM role (or user) running ``pulumi up``, resolved from an
    assumed-role session to its role. The cluster grants its creator nothing implicitly, so this
    entry is what lets ``pulumi up`` create Kubernetes objects, in code and visible. A run by another
    principal moves it to that principal; run from one identity (the CI role). ``admins.aws`` adds
    the operators besides the deployer (listing the deployer there too is refused as a duplicate
    entry). Each association waits for its entry: EKS refuses a policy for an unknown principal.
    """
    caller = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=parent))
    deployer = aws.iam.get_session_context_output(
        arn=caller.arn, opts=pulumi.InvokeOutputOptions(parent=parent)
    ).issuer_arn
    principals: list[tuple[str, pulumi.Input[str]]] = [("deployer", deployer)]
    principals += [(f"admin-{arn.rsplit('/', 1)[-1]}", arn) for arn in admins]
    associations = []
    for role, principal in principals:
        entry = aws.eks.AccessEntry(
            f"{name}-{role}",
            cluster_name=cluster.name,
            principal_arn=principal,
            type="STANDARD",
            tags=tags,
            opts=parent.child(),
        )
        associations.append(
            aws.eks.AccessPolicyAssociation(
                f"{name}-{role}",
                cluster_name=cluster.name,
                principal_arn=entry.principal_arn,
                policy_arn=CLUSTER_ADMIN_POLICY,
                access_scope=aws.eks.AccessPolicyAssociationAccessScopeArgs(type="cluster"),
                opts=parent.child(depends_on=[entry]),
            )
        )
    return associations


def kubeconfig(cluster: aws.eks.Cluster, region: str) -> pulumi.Output[str]:
    """A kubeconfig (JSON, which kubeconfig readers take) whose user runs ``aws eks get-token``: no
    token is stored, each client gets a fresh one with its own AWS credentials. A secret anyway."""

    def render(args: list[str]) -> str:
        cluster_name, endpoint, ca_data, arn = args
        return json.dumps(
            {
                "apiVersion": "v1",
                "kind": "Config",
                "clusters": [{"name": arn, "cluster": {"server": endpoint, "certificate-authority-data": ca_data}}],
                "contexts": [{"name": arn, "context": {"cluster": arn, "user": arn}}],
                "current-context": arn,
                "users": [
                    {
                        "name": arn,
                        "user": {
                            "exec": {
                                "apiVersion": EXEC_API_VERSION,
                                "command": "aws",
                                "args": [
                                    "--region",
                                    region,
                                    "eks",
                                    "get-token",
                                    "--cluster-name",
                                    cluster_name,
                                    "--output",
                                    "json",
                                ],
                                "interactiveMode": "Never",
                            }
                        },
                    }
                ],
            },
            indent=2,
        )

    return pulumi.Output.secret(
        pulumi.Output.all(cluster.name, cluster.endpoint, cluster.certificate_authority.data, cluster.arn).apply(render)
    )
