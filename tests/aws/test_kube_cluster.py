"""AWS KubeCluster, the control plane and who may use it: private API (rule 20), Secrets encrypted
with the kubernetes key (21), control-plane logs kept and encrypted (22), access entries only,
the Kubernetes provider and kubeconfig, and the cluster's outputs as EKS forms them."""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pytest

from bettafish.config import StackConfig
from bettafish.plan import run_offline
from bettafish.plan.fake_cloud import ACCOUNT_ID
from components import DeployContext, KubeClusterArgs
from providers.aws.kubernetes import AwsKubeCluster
from tests.aws.kube import (
    ROLE,
    STACKS,
    by_urn,
    cluster,
    depends_on,
    key_arn,
    mine,
    named,
    plan,
    plan_with,
    policies_of,
    prefix,
    role_of,
)
from tests.contract.test_data_tier import keys, vpc
from tests.mocks import Mocks, load, stack_values

ADMIN_POLICY = "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"
DEPLOYER = f"arn:aws:iam::{ACCOUNT_ID}:user/deployer"


@pytest.mark.parametrize("stack", STACKS)
def test_the_api_endpoint_is_private(stack: str) -> None:
    """Rule 20 (CKV_AWS_39/38): private access on, no public endpoint without authorizedCidrs."""
    vpc_config = cluster(stack).inputs["vpcConfig"]
    assert vpc_config["endpointPrivateAccess"] is True
    assert vpc_config["endpointPublicAccess"] is False
    assert "publicAccessCidrs" not in vpc_config
    assert vpc_config["subnetIds"] == plan(stack).outputs["privateSubnetIds"]


def test_authorized_cidrs_open_a_public_endpoint_to_them_only() -> None:
    edited = plan_with("prod", "controlPlane", json.dumps({"authorizedCidrs": ["54.240.196.0/24"]}))
    vpc_config = cluster("prod", edited).inputs["vpcConfig"]
    assert (vpc_config["endpointPrivateAccess"], vpc_config["endpointPublicAccess"]) == (True, True)
    assert vpc_config["publicAccessCidrs"] == ["54.240.196.0/24"]


def test_the_private_endpoint_answers_https_from_inside_the_network_only() -> None:
    """The cluster security group admits only its members; an operator's runner in the VPC is not one."""
    (rule,) = mine(plan("prod"), "prod", "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    network_groups = {g.id for g in plan("prod").of_type("aws:ec2/securityGroup:SecurityGroup")}
    assert rule.inputs["securityGroupId"].startswith("sg-")
    assert rule.inputs["securityGroupId"] not in network_groups  # EKS's cluster security group
    assert (rule.inputs["ipProtocol"], rule.inputs["fromPort"], rule.inputs["toPort"]) == ("tcp", 443, 443)
    assert rule.inputs["cidrIpv4"] == "10.0.0.0/16"
    assert depends_on(rule, cluster("prod"))


@pytest.mark.parametrize("stack", STACKS)
def test_secrets_are_encrypted_with_the_kubernetes_key(stack: str) -> None:
    """Rule 21 (CKV_AWS_58): envelope encryption of Secrets with the stack's kubernetes key, which
    the control plane's role may use (and no other key)."""
    eks = cluster(stack)
    assert eks.inputs["encryptionConfig"] == {
        "resources": ["secrets"],
        "provider": {"keyArn": key_arn(stack, "kubernetes")},
    }
    role = role_of(stack, eks.inputs["roleArn"])
    managed, inline = policies_of(stack, role)
    assert managed == ["arn:aws:iam::aws:policy/AmazonEKSClusterPolicy"]
    (key_policy,) = inline
    assert [s["Resource"] for s in key_policy["Statement"]] == [[key_arn(stack, "kubernetes")]]
    grants = [r for r in plan(stack).resources if r.urn in eks.options["dependsOn"]]
    assert {g.type for g in grants} >= {
        "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    }


@pytest.mark.parametrize(("stack", "days"), [("prod", 30), ("staging", 7)])
def test_control_plane_logs_are_kept_encrypted_for_the_application_retention(stack: str, days: int) -> None:
    """Rule 22 (CKV_AWS_37): all five log types, into a group created first with the retention of
    monitoring.logRetention.applicationDays and the logs key (rule 39)."""
    eks = cluster(stack)
    assert eks.inputs["enabledClusterLogTypes"] == ["api", "audit", "authenticator", "controllerManager", "scheduler"]
    group = named(plan(stack), stack, "control-plane-logs", "aws:cloudwatch/logGroup:LogGroup")
    assert group.inputs["name"] == f"/aws/eks/{eks.inputs['name']}/cluster"
    assert group.inputs["retentionInDays"] == days
    assert group.inputs["kmsKeyId"] == key_arn(stack, "logs")
    assert group.urn in eks.options["dependsOn"]


@pytest.mark.parametrize("stack", STACKS)
def test_access_is_by_access_entries_only_with_no_hidden_admin(stack: str) -> None:
    """Authentication mode API (no aws-auth ConfigMap); the creator gets no implicit access: the
    deployer's admin access is an explicit entry."""
    access = cluster(stack).inputs["accessConfig"]
    assert access == {"authenticationMode": "API", "bootstrapClusterCreatorAdminPermissions": False}
    entry = named(plan(stack), stack, "deployer", "aws:eks/accessEntry:AccessEntry")
    assert (entry.inputs["principalArn"], entry.inputs["type"]) == (DEPLOYER, "STANDARD")
    association = named(plan(stack), stack, "deployer", "aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    assert association.inputs["policyArn"] == ADMIN_POLICY
    assert association.inputs["accessScope"] == {"type": "cluster"}
    assert depends_on(association, entry)


def test_each_configured_admin_gets_a_cluster_admin_entry() -> None:
    admins = ["arn:aws:iam::123456789012:role/platform-admin", "arn:aws:iam::123456789012:user/oncall"]
    edited = plan_with("prod", "admins", json.dumps({"aws": admins}))
    entries = {e.inputs["principalArn"]: e for e in mine(edited, "prod", "aws:eks/accessEntry:AccessEntry")}
    assert set(entries) == {DEPLOYER, *admins}
    associations = mine(edited, "prod", "aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    for association in associations:
        assert association.inputs["policyArn"] == ADMIN_POLICY
        assert association.inputs["accessScope"] == {"type": "cluster"}
        assert depends_on(association, entries[association.inputs["principalArn"]])
    assert {a.inputs["principalArn"] for a in associations} == set(entries)


@pytest.mark.parametrize("stack", STACKS)
def test_the_cluster_is_built_from_managed_add_ons_on_standard_support(stack: str) -> None:
    eks = cluster(stack)
    assert eks.inputs["name"] == prefix(stack)
    assert eks.inputs["version"] == "1.35"
    assert eks.inputs["bootstrapSelfManagedAddons"] is False
    assert eks.inputs["upgradePolicy"] == {"supportType": "STANDARD"}
    assert eks.inputs["kubernetesNetworkConfig"] == {"ipFamily": "ipv4", "serviceIpv4Cidr": "172.20.0.0/16"}
    # The name is fixed: a replacement must delete the old cluster first.
    assert eks.options["deleteBeforeReplace"] is True


def test_the_cluster_role_is_trusted_by_eks_alone() -> None:
    """Rule 30: no Principal "*"; the role is EKS's (no aws:SourceAccount, which EKS does not send)."""
    role = role_of("prod", cluster("prod").inputs["roleArn"])
    (statement,) = json.loads(role.inputs["assumeRolePolicy"])["Statement"]
    assert statement == {"Effect": "Allow", "Principal": {"Service": "eks.amazonaws.com"}, "Action": "sts:AssumeRole"}


@pytest.mark.parametrize("stack", STACKS)
def test_one_kubernetes_provider_waits_for_the_deployers_access(stack: str) -> None:
    (provider,) = plan(stack).of_type("pulumi:providers:kubernetes")
    assert provider.inputs["clusterIdentifier"] == prefix(stack)
    assert provider.inputs["kubeconfig"] == "[secret]"
    association = named(plan(stack), stack, "deployer", "aws:eks/accessPolicyAssociation:AccessPolicyAssociation")
    assert association.urn in provider.options["dependsOn"]


def test_the_default_storage_class_encrypts_gp3_volumes_with_the_kubernetes_key() -> None:
    (storage_class,) = plan("prod").of_type("kubernetes:storage.k8s.io/v1:StorageClass")
    assert storage_class.inputs["provisioner"] == "ebs.csi.aws.com"
    assert storage_class.inputs["parameters"] == {
        "type": "gp3",
        "encrypted": "true",
        "kmsKeyId": key_arn("prod", "kubernetes"),
    }


def _kubeconfig(stack: str) -> dict[str, Any]:
    """The component's kubeconfig in plain text (the recording only ever shows it masked)."""
    config: StackConfig = load(stack_values(stack, "aws"), stack)
    context = DeployContext(config.identity, config.cloud, config.provider, config.protect_stateful)
    seen: list[str] = []

    def program() -> None:
        stack_keys = keys(config, context)
        args = KubeClusterArgs(
            kubernetes=config.kubernetes,
            vpc=vpc(config, context, stack_keys),
            keys=stack_keys,
            log_retention_days=config.monitoring.log_retention.application_days,
            context=context,
        )
        built = AwsKubeCluster("kc", args)
        built.kubeconfig.apply(seen.append)
        pulumi.export("secret", built.kubeconfig)

    recording = run_offline(program, project="bettafish", stack=stack, config={}, secret_keys=[], fake_cloud=Mocks())
    assert recording.outputs == {"secret": "[secret]"}
    (text,) = seen
    parsed: dict[str, Any] = json.loads(text)
    return parsed


def test_the_kubeconfig_signs_in_with_the_aws_cli_and_stores_no_token() -> None:
    kubeconfig = _kubeconfig("prod")
    (user,) = kubeconfig["users"]
    exec_plugin = user["user"]["exec"]
    assert exec_plugin["apiVersion"] == "client.authentication.k8s.io/v1beta1"
    assert exec_plugin["command"] == "aws"
    assert exec_plugin["args"] == [
        "--region",
        "us-east-1",
        "eks",
        "get-token",
        "--cluster-name",
        "kc",
        "--output",
        "json",
    ]
    assert "token" not in json.dumps(user["user"]).replace("get-token", "")
    (entry,) = kubeconfig["clusters"]
    assert entry["cluster"]["server"].endswith(".gr7.us-east-1.eks.amazonaws.com")
    assert entry["cluster"]["certificate-authority-data"]


def test_outputs_are_the_clusters_as_eks_forms_them() -> None:
    outputs = plan("prod").outputs
    endpoint_id = outputs["clusterEndpoint"].removeprefix("https://").split(".")[0]
    assert outputs["clusterEndpoint"] == f"https://{endpoint_id}.gr7.us-east-1.eks.amazonaws.com"
    assert outputs["oidcIssuerUrl"] == f"https://oidc.eks.us-east-1.amazonaws.com/id/{endpoint_id}"
    assert len(endpoint_id) == 32
    assert endpoint_id == endpoint_id.upper()


@pytest.mark.parametrize("stack", STACKS)
def test_every_role_of_the_cluster_trusts_one_service_and_no_policy_grants_everything(stack: str) -> None:
    """Rule 30 (CKV_AWS_62/63/355): no Principal "*", no Action "*", and Resource "*" only on
    describe/list/get calls, which take no resource."""
    for role in mine(plan(stack), stack, ROLE):
        for statement in json.loads(role.inputs["assumeRolePolicy"])["Statement"]:
            assert "*" not in json.dumps(statement["Principal"]), role.name
            assert list(statement["Principal"]) == ["Service"], role.name
        _, inline = policies_of(stack, role)
        for document in inline:
            for statement in document["Statement"]:
                actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
                assert not [a for a in actions if a == "*" or a.endswith(":*")], (role.name, statement)
                if statement["Resource"] == "*":
                    verbs = {a.split(":", 1)[1] for a in actions}
                    assert all(v.startswith(("Describe", "List", "Get")) for v in verbs), (role.name, statement)


def test_the_cluster_waits_for_its_log_group_and_its_grants_only() -> None:
    """The cluster waits for exactly its log group and its two grants (and what its inputs carry)."""
    eks = cluster("prod")
    kinds = sorted(by_urn("prod", urn).type for urn in eks.options["dependsOn"])
    assert kinds == [
        "aws:cloudwatch/logGroup:LogGroup",
        "aws:iam/rolePolicy:RolePolicy",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
    ]
