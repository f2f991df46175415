"""EKS Pod Identity: one IAM role per Kubernetes service account, trusted only for that account on
this cluster (security rule 36). No IAM OIDC provider is needed, so none is created."""

from __future__ import annotations

import json
from collections.abc import Sequence

import pulumi
import pulumi_aws as aws

from components.base import NeutralComponent

POD_IDENTITY_SERVICE = "pods.eks.amazonaws.com"
MANAGED_POLICY = "arn:aws:iam::aws:policy/{}"


def pod_identity_trust(cluster_name: str, namespace: str, service_account: str) -> dict[str, object]:
    """EKS Pod Identity assumes the role with session tags naming the cluster, namespace and service
    account; the trust policy accepts those three values only (EKS user guide, "Create IAM role with
    trust policy required by EKS Pod Identity")."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "EksPodIdentityForOneServiceAccount",
                "Effect": "Allow",
                "Principal": {"Service": POD_IDENTITY_SERVICE},
                "Action": ["sts:AssumeRole", "sts:TagSession"],
                "Condition": {
                    "StringEquals": {
                        "aws:RequestTag/eks-cluster-name": cluster_name,
                        "aws:RequestTag/kubernetes-namespace": namespace,
                        "aws:RequestTag/kubernetes-service-account": service_account,
                    }
                },
            }
        ],
    }


class PodRole:
    """A role for one service account: its managed and inline policies, and ``grants`` (the policy
    resources) that whatever runs as the role must wait for, since IAM is eventually consistent."""

    def __init__(
        self,
        parent: NeutralComponent,
        name: str,
        *,
        cluster_name: str,
        namespace: str,
        service_account: str,
        description: str,
        managed_policies: Sequence[str] = (),
        inline_policy: pulumi.Input[str] | None = None,
        tags: dict[str, str],
    ) -> None:
        self.namespace = namespace
        self.service_account = service_account
        self.role = aws.iam.Role(
            name,
            description=description,
            assume_role_policy=json.dumps(pod_identity_trust(cluster_name, namespace, service_account)),
            tags=tags,
            opts=parent.child(),
        )
        self.grants: list[pulumi.Resource] = [
            aws.iam.RolePolicyAttachment(
                f"{name}-{policy.rsplit('/', 1)[-1]}",
                role=self.role.name,
                policy_arn=MANAGED_POLICY.format(policy),
                opts=parent.child(),
            )
            for policy in managed_policies
        ]
        if inline_policy is not None:
            self.grants.append(aws.iam.RolePolicy(name, role=self.role.id, policy=inline_policy, opts=parent.child()))

    def addon_association(self) -> aws.eks.AddonPodIdentityAssociationArgs:
        """The association as an EKS managed add-on declares it (the add-on owns its lifecycle)."""
        return aws.eks.AddonPodIdentityAssociationArgs(role_arn=self.role.arn, service_account=self.service_account)

    def associate(
        self, parent: NeutralComponent, name: str, cluster_name: pulumi.Input[str], tags: dict[str, str]
    ) -> aws.eks.PodIdentityAssociation:
        """A standalone association, for workloads that are not EKS add-ons (Helm releases)."""
        return aws.eks.PodIdentityAssociation(
            name,
            cluster_name=cluster_name,
            namespace=self.namespace,
            service_account=self.service_account,
            role_arn=self.role.arn,
            tags=tags,
            opts=parent.child(depends_on=self.grants),
        )


def key_use_policy(key_arn: str, *, grants_for_aws_resources: bool) -> dict[str, object]:
    """Use of one KMS key; ``grants_for_aws_resources`` adds the grants an AWS service (EBS) needs to
    attach volumes encrypted with it, and only those (``kms:GrantIsForAWSResource``)."""
    statements: list[dict[str, object]] = [
        {
            "Sid": "UseTheKey",
            "Effect": "Allow",
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            "Resource": [key_arn],
        }
    ]
    if grants_for_aws_resources:
        statements.append(
            {
                "Sid": "GrantsForAwsResourcesOnly",
                "Effect": "Allow",
                "Action": ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
                "Resource": [key_arn],
                "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}},
            }
        )
    return {"Version": "2012-10-17", "Statement": statements}
