"""The EKS control plane: its log group (created first), its IAM role, and the cluster itself:
private API endpoint, Secrets envelope-encrypted with the ``kubernetes`` key, access entries only."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from bettafish.config.kubernetes import Kubernetes
from components.base import NeutralComponent
from providers.aws.iam import service_role
from providers.aws.kubernetes.identity import MANAGED_POLICY


def control_plane_log_group(
    parent: NeutralComponent, name: str, retention_days: int, logs_key: aws.kms.Key, tags: dict[str, str]
) -> aws.cloudwatch.LogGroup:
    """``/aws/eks/<cluster>/cluster``, the group EKS writes to. Created before the cluster: otherwise
    EKS creates it itself, unencrypted and kept forever, and this one then fails as already existing."""
    return aws.cloudwatch.LogGroup(
        f"{name}-control-plane-logs",
        name=f"/aws/eks/{name}/cluster",
        retention_in_days=retention_days,
        kms_key_id=logs_key.arn,
        tags=tags,
        opts=parent.child(),
    )


def cluster_role(
    parent: NeutralComponent, name: str, kubernetes_key: aws.kms.Key, tags: dict[str, str]
) -> tuple[aws.iam.Role, list[pulumi.Resource]]:
    """The role EKS runs the control plane as: ``AmazonEKSClusterPolicy`` and use of the kubernetes
    key for Secrets encryption. The cluster waits for both grants (the SDK's advice: without them EKS
    may also fail to clean up its security groups on delete)."""
    role = service_role(
        parent,
        f"{name}-cluster",
        "eks.amazonaws.com",
        f"EKS control plane of {name}",
        tags,
        source_account=False,
    )
    attachment = aws.iam.RolePolicyAttachment(
        f"{name}-cluster-policy",
        role=role.name,
        policy_arn=MANAGED_POLICY.format("AmazonEKSClusterPolicy"),
        opts=parent.child(),
    )
    key_use = aws.iam.RolePolicy(
        f"{name}-cluster-secrets-key",
        role=role.id,
        policy=kubernetes_key.arn.apply(
            lambda arn: json.dumps(
                {
                    "Version": "2012-10-17",
                    "Statement": [
                        {
                            "Sid": "EnvelopeEncryptSecrets",
                            "Effect": "Allow",
                            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"],
                            "Resource": [arn],
                        }
                    ],
                }
            )
        ),
        opts=parent.child(),
    )
    return role, [attachment, key_use]


def eks_cluster(
    parent: NeutralComponent,
    name: str,
    k8s: Kubernetes,
    *,
    role: aws.iam.Role,
    grants: list[pulumi.Resource],
    log_group: aws.cloudwatch.LogGroup,
    subnets: list[aws.ec2.Subnet],
    kubernetes_key: aws.kms.Key,
    tags: dict[str, str],
) -> aws.eks.Cluster:
    """The cluster, named explicitly so its log group can exist first.

    - API endpoint private (rule 20); public only when ``authorizedCidrs`` are set, and then only
      for them.
    - Access entries only (authentication mode API, no aws-auth ConfigMap), and no hidden admin: the
      creator gets no implicit access, the deployer's access is an explicit entry (``access``).
    - No self-managed add-ons at creation: VPC CNI, kube-proxy and CoreDNS are EKS managed add-ons
      configured here, so nothing has to overwrite what EKS would have installed.
    - Standard support only: at its end EKS upgrades the control plane instead of billing extended
      support (the plan warns well before, ``kubernetes_warnings``).
    - Replacing a cluster (service range, bootstrap options) deletes the old one first: the name is
      fixed, so two cannot exist side by side.
    """
    plane = k8s.control_plane
    public = bool(plane.authorized_cidrs)
    return aws.eks.Cluster(
        f"{name}-eks",
        name=name,
        version=k8s.version,
        role_arn=role.arn,
        vpc_config=aws.eks.ClusterVpcConfigArgs(
            subnet_ids=[s.id for s in subnets],
            endpoint_private_access=True,
            endpoint_public_access=public,
            public_access_cidrs=[str(c) for c in plane.authorized_cidrs] if public else None,
        ),
        access_config=aws.eks.ClusterAccessConfigArgs(
            authentication_mode="API", bootstrap_cluster_creator_admin_permissions=False
        ),
        bootstrap_self_managed_addons=False,
        encryption_config=aws.eks.ClusterEncryptionConfigArgs(
            resources=["secrets"],
            provider=aws.eks.ClusterEncryptionConfigProviderArgs(key_arn=kubernetes_key.arn),
        ),
        # The neutral log names are EKS's own (security rule 22).
        enabled_cluster_log_types=list(plane.logs),
        kubernetes_network_config=aws.eks.ClusterKubernetesNetworkConfigArgs(
            ip_family="ipv4", service_ipv4_cidr=str(k8s.service_cidr)
        ),
        upgrade_policy=aws.eks.ClusterUpgradePolicyArgs(support_type="STANDARD"),
        tags=tags,
        # Its etcd holds every Kubernetes object and Secret: protected where stateful resources are.
        opts=parent.child(stateful=True, depends_on=[log_group, *grants], delete_before_replace=True),
    )


def private_endpoint_access(
    parent: NeutralComponent, name: str, cluster: aws.eks.Cluster, vpc: aws.ec2.Vpc, tags: dict[str, str]
) -> aws.vpc.SecurityGroupIngressRule:
    """HTTPS from inside the network to the private API endpoint.

    The control plane's network interfaces carry the cluster security group, which EKS creates to
    admit only its own members (control plane, nodes, pod interfaces). An operator's runner, bastion
    or VPN client in the VPC is not a member: without this rule ``pulumi up`` from inside the
    network could not reach the private endpoint either."""
    return aws.vpc.SecurityGroupIngressRule(
        f"{name}-api-from-network",
        security_group_id=cluster.vpc_config.cluster_security_group_id,
        ip_protocol="tcp",
        from_port=443,
        to_port=443,
        cidr_ipv4=vpc.cidr_block,
        description="Kubernetes API (private endpoint) from inside the network",
        tags=tags,
        opts=parent.child(),
    )
