"""EKS part of the fake cloud: ids and computed outputs of the cluster's resources, formed as EKS,
EC2 and IAM form them (cluster endpoint and OIDC issuer share the cluster's id, node groups own an
auto scaling group ``eks-<node group>-<uuid>``, launch templates ``lt-…``)."""

from __future__ import annotations

import base64
from typing import Any

import pulumi

from bettafish.plan.fake_cloud.common import ACCOUNT_ID, Computed, fake_uuid, hex_digest, physical_name

CALLS: dict[str, dict[str, Any]] = {
    "aws:iam/getSessionContext:getSessionContext": {
        # The fake caller (aws CALLS) is an IAM user: its session context is itself.
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/deployer",
        "issuerArn": f"arn:aws:iam::{ACCOUNT_ID}:user/deployer",
        "issuerId": "AIDAEXAMPLEUSERID",
        "issuerName": "deployer",
        "sessionName": "",
        "id": f"arn:aws:iam::{ACCOUNT_ID}:user/deployer",
    },
}
"""Answers to the data sources the cluster reads."""


def eks_state(args: pulumi.runtime.MockResourceArgs, region: str) -> Computed | None:
    """The id and computed outputs of a cluster resource, or None for types this module does not own."""
    typ, name, inputs = args.typ, args.name, args.inputs
    arn = f"arn:aws:eks:{region}:{ACCOUNT_ID}:{{}}"
    if typ == "aws:eks/cluster:Cluster":
        return _cluster(name, inputs, region)
    if typ == "aws:eks/nodeGroup:NodeGroup":
        group = physical_name(name, inputs, "nodeGroupName")
        uuid = fake_uuid(typ, name)
        return f"{inputs['clusterName']}:{group}", {
            "nodeGroupName": group,
            "arn": arn.format(f"nodegroup/{inputs['clusterName']}/{group}/{uuid}"),
            "resources": [{"autoscalingGroups": [{"name": f"eks-{group}-{uuid}"}], "remoteAccessSecurityGroupId": ""}],
            "releaseVersion": f"{inputs.get('version', '1.35')}.0-20261120",
            "status": "ACTIVE",
        }
    if typ == "aws:eks/addon:Addon":
        cluster, addon = inputs["clusterName"], inputs["addonName"]
        return f"{cluster}:{addon}", {"arn": arn.format(f"addon/{cluster}/{addon}/{fake_uuid(typ, name)}")}
    if typ == "aws:eks/accessEntry:AccessEntry":
        cluster, principal = inputs["clusterName"], str(inputs["principalArn"])
        kind, principal_name = principal.split(":")[-1].split("/", 1)
        entry = f"access-entry/{cluster}/{kind}/{ACCOUNT_ID}/{principal_name}/{fake_uuid(typ, name)}"
        return f"{cluster}:{principal}", {
            "accessEntryArn": arn.format(entry),
            "userName": principal,
            "kubernetesGroups": [],
            "type": inputs.get("type", "STANDARD"),
        }
    if typ == "aws:eks/accessPolicyAssociation:AccessPolicyAssociation":
        return f"{inputs['clusterName']}#{inputs['principalArn']}#{inputs['policyArn']}", {
            "associatedAt": "2026-11-30T00:00:00Z"
        }
    if typ == "aws:eks/podIdentityAssociation:PodIdentityAssociation":
        association = f"a-{hex_digest(typ, name, length=17)}"
        return association, {
            "associationId": association,
            "associationArn": arn.format(f"podidentityassociation/{inputs['clusterName']}/{association}"),
        }
    if typ == "aws:ec2/launchTemplate:LaunchTemplate":
        template = f"lt-0{hex_digest(typ, name, length=16)}"
        return template, {
            "name": physical_name(name, inputs),
            "arn": f"arn:aws:ec2:{region}:{ACCOUNT_ID}:launch-template/{template}",
            "latestVersion": 1,
            "defaultVersion": 1,
        }
    if typ == "aws:ec2/vpcIpv4CidrBlockAssociation:VpcIpv4CidrBlockAssociation":
        return f"vpc-cidr-assoc-0{hex_digest(typ, name, length=16)}", {}
    return None


def _cluster(name: str, inputs: dict[str, Any], region: str) -> Computed:
    cluster = physical_name(name, inputs)
    cluster_id = hex_digest("eks", ACCOUNT_ID, region, cluster, length=32).upper()
    certificate = base64.b64encode(f"fake CA of {cluster}".encode()).decode()
    pem = f"-----BEGIN CERTIFICATE-----\n{certificate}\n-----END CERTIFICATE-----\n"
    return cluster, {
        "name": cluster,
        "arn": f"arn:aws:eks:{region}:{ACCOUNT_ID}:cluster/{cluster}",
        "endpoint": f"https://{cluster_id}.gr7.{region}.eks.amazonaws.com",
        "certificateAuthority": {"data": base64.b64encode(pem.encode()).decode()},
        "identities": [{"oidcs": [{"issuer": f"https://oidc.eks.{region}.amazonaws.com/id/{cluster_id}"}]}],
        "vpcConfig": {
            **inputs.get("vpcConfig", {}),
            "clusterSecurityGroupId": f"sg-0{hex_digest('eks-cluster-sg', cluster, length=16)}",
        },
        "platformVersion": "eks.5",
        "status": "ACTIVE",
        "createdAt": "2026-11-30T00:00:00Z",
    }
