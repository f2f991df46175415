"""Azure KubeCluster: the AKS managed cluster per security rules 20 (private API), 21 (secrets with
KMS), 22 (control-plane logs), 23 (auth and network hardening) and 36 (workload identity), its
addressing, upgrades, add-ons, the kubeconfig and outputs, as recorded from the real program."""

from __future__ import annotations

import base64
from ipaddress import IPv4Address, IPv4Network
from typing import Any

import pytest
import yaml

from bettafish.plan.fake_cloud.aks import CALLS
from providers.azure.kubernetes.access import render_kubeconfig
from tests.azure.kube import (
    CLUSTER,
    DIAGNOSTICS,
    STORAGE_CLASS,
    WORKSPACE,
    cluster,
    cluster_inputs,
    config,
    edited_plan,
    k8s,
    key,
    out,
    plan,
    vpc_child,
)
from tests.azure.stacks import STACKS, named
from tests.contract import test_kube_cluster as contract
from tests.mocks import build_component

AKS_SERVER_APP = "6dae42f8-4368-4678-94ff-3960e28e3630"


@pytest.mark.parametrize("stack", STACKS)
def test_rule_20_the_api_server_is_private_and_in_the_vnet(stack: str) -> None:
    profile = cluster_inputs(stack)["apiServerAccessProfile"]
    assert profile["enablePrivateCluster"] is True
    assert profile["privateDNSZone"] == "system"
    assert profile["enablePrivateClusterPublicFQDN"] is False
    assert "authorizedIPRanges" not in profile
    # API Server VNet Integration: the API server's own subnet, delegated to AKS.
    assert profile["enableVnetIntegration"] is True
    assert profile["subnetId"] == k8s(stack, "apiserver").id
    endpoint = plan(stack).outputs["clusterEndpoint"]
    assert endpoint == f"https://{out(stack, cluster(stack))['privateFQDN']}:443"
    assert ".privatelink." in endpoint


def test_rule_20_a_public_endpoint_answers_only_the_authorized_cidrs() -> None:
    def public(k8s_config: Any) -> Any:
        k8s_config["controlPlane"] = {"privateEndpoint": False, "authorizedCidrs": ["203.0.113.0/24"]}
        return k8s_config

    recording = edited_plan(public)
    (managed,) = recording.of_type(CLUSTER)
    profile = managed.inputs["apiServerAccessProfile"]
    assert profile["enablePrivateCluster"] is False
    assert profile["authorizedIPRanges"] == ["203.0.113.0/24"]
    assert profile["enableVnetIntegration"] is True
    rule = recording.named("bettafish-prod-k8s-apiserver-allow-authorized")
    assert (rule.inputs["sourceAddressPrefix"], rule.inputs["destinationPortRanges"]) == ("203.0.113.0/24", ["443"])
    assert ".hcp.eastus.azmk8s.io" in recording.outputs["clusterEndpoint"]


@pytest.mark.parametrize("stack", STACKS)
def test_rule_21_secrets_are_encrypted_with_the_kubernetes_key_through_a_private_vault(stack: str) -> None:
    kms = cluster_inputs(stack)["securityProfile"]["azureKeyVaultKms"]
    assert kms["enabled"] is True
    # KMS pins a key version; the vault's firewall admits the plugin only through a private endpoint.
    assert kms["keyId"] == out(stack, key(stack))["keyUriWithVersion"]
    assert kms["keyVaultNetworkAccess"] == "Private"
    assert kms["keyVaultResourceId"] == named(stack, "keys", "vault").id


@pytest.mark.parametrize("stack", STACKS)
def test_rule_21_node_disks_and_volumes_are_encrypted_with_the_kubernetes_key(stack: str) -> None:
    des = k8s(stack, "disks")
    assert des.inputs["encryptionType"] == "EncryptionAtRestWithCustomerKey"
    assert des.inputs["activeKey"]["keyUrl"] == out(stack, key(stack))["keyUri"]
    assert des.inputs["rotationToLatestKeyVersionEnabled"] is True
    assert cluster_inputs(stack)["diskEncryptionSetID"] == des.id
    (storage_class,) = [r for r in plan(stack).of_type(STORAGE_CLASS)]
    assert storage_class.inputs["parameters"] == {
        "skuName": "Premium_ZRS",
        "diskEncryptionSetID": des.id,
        "diskEncryptionType": "EncryptionAtRestWithCustomerKey",
    }
    assert storage_class.inputs["provisioner"] == "disk.csi.azure.com"


@pytest.mark.parametrize("stack", STACKS)
def test_rule_22_control_plane_logs_go_to_a_workspace_kept_for_the_retention(stack: str) -> None:
    (setting,) = [d for d in plan(stack).of_type(DIAGNOSTICS) if d.inputs.get("resourceUri") == cluster(stack).id]
    (workspace,) = [w for w in plan(stack).of_type(WORKSPACE) if w.id == setting.inputs["workspaceId"]]
    assert workspace.inputs["retentionInDays"] == config(stack).monitoring.log_retention.application_days
    assert workspace.inputs["features"]["disableLocalAuth"] is True
    assert setting.inputs["logAnalyticsDestinationType"] == "Dedicated"
    assert [log["category"] for log in setting.inputs["logs"] if log["enabled"]] == [
        "kube-apiserver",
        "kube-audit",
        "guard",
        "kube-controller-manager",
        "kube-scheduler",
    ]


def test_rule_22_only_the_configured_control_plane_logs_are_sent() -> None:
    def audit_only(k8s_config: Any) -> Any:
        k8s_config["controlPlane"]["logs"] = ["audit"]
        return k8s_config

    recording = edited_plan(audit_only)
    cluster_id = recording.named("bettafish-prod-k8s-cluster").id
    (setting,) = [d for d in recording.of_type(DIAGNOSTICS) if d.inputs.get("resourceUri") == cluster_id]
    assert setting.inputs["logs"] == [{"category": "kube-audit", "enabled": True}]


@pytest.mark.parametrize("stack", STACKS)
def test_rule_23_entra_id_only_with_azure_rbac_and_cilium_network_policy(stack: str) -> None:
    inputs = cluster_inputs(stack)
    assert inputs["disableLocalAccounts"] is True
    assert inputs["enableRBAC"] is True
    assert inputs["aadProfile"] == {"managed": True, "enableAzureRBAC": True}
    assert (inputs["networkProfile"]["networkDataplane"], inputs["networkProfile"]["networkPolicy"]) == (
        "cilium",
        "cilium",
    )


@pytest.mark.parametrize("stack", STACKS)
def test_rule_24_the_control_plane_is_zone_redundant_with_an_uptime_sla(stack: str) -> None:
    assert cluster_inputs(stack)["sku"] == {"name": "Base", "tier": "Standard"}


@pytest.mark.parametrize("stack", STACKS)
def test_rule_36_workload_identity_with_the_clusters_oidc_issuer(stack: str) -> None:
    inputs = cluster_inputs(stack)
    assert inputs["oidcIssuerProfile"] == {"enabled": True}
    assert inputs["securityProfile"]["workloadIdentity"] == {"enabled": True}
    assert plan(stack).outputs["oidcIssuerUrl"] == out(stack, cluster(stack))["oidcIssuerProfile"]["issuerURL"]


@pytest.mark.parametrize("stack", STACKS)
def test_overlay_addressing_from_config_keeps_clear_of_the_vnet(stack: str) -> None:
    cfg, profile = config(stack).kubernetes, cluster_inputs(stack)["networkProfile"]
    assert (profile["networkPlugin"], profile["networkPluginMode"]) == ("azure", "overlay")
    assert (profile["podCidr"], profile["serviceCidr"]) == (str(cfg.pod_cidr), str(cfg.service_cidr))
    assert IPv4Address(profile["dnsServiceIP"]) in IPv4Network(profile["serviceCidr"])
    assert profile["dnsServiceIP"] == cfg.dns_service_ip()
    vnet = IPv4Network(vpc_child(stack, "vnet").inputs["addressSpace"]["addressPrefixes"][0])
    assert not vnet.overlaps(IPv4Network(profile["podCidr"]))
    assert not vnet.overlaps(IPv4Network(profile["serviceCidr"]))


@pytest.mark.parametrize("stack", STACKS)
def test_nodes_egress_through_the_private_subnets_nat_gateways(stack: str) -> None:
    assert cluster_inputs(stack)["networkProfile"]["outboundType"] == "userAssignedNATGateway"
    for zone in range(1, len(config(stack).network.zones.of("azure")) + 1):
        assert vpc_child(stack, f"private-{zone}").inputs["natGateway"]["id"]


@pytest.mark.parametrize("stack", STACKS)
def test_version_upgrades_and_add_ons(stack: str) -> None:
    inputs = cluster_inputs(stack)
    assert inputs["kubernetesVersion"] == config(stack).kubernetes.version
    assert inputs["autoUpgradeProfile"] == {"upgradeChannel": "patch", "nodeOSUpgradeChannel": "NodeImage"}
    assert inputs["storageProfile"] == {
        "diskCSIDriver": {"enabled": True},
        "snapshotController": {"enabled": True},
        "fileCSIDriver": {"enabled": False},
        "blobCSIDriver": {"enabled": False},
    }
    for schedule in ("aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule"):
        window = k8s(stack, schedule).inputs["maintenanceWindow"]
        assert window == {
            "schedule": {"weekly": {"dayOfWeek": "Sunday", "intervalWeeks": 1}},
            "startTime": "00:00",
            "durationHours": 4,
            "utcOffset": "+00:00",
        }


@pytest.mark.parametrize("stack", STACKS)
def test_the_cluster_lives_in_its_own_resource_group(stack: str) -> None:
    assert cluster_inputs(stack)["resourceGroupName"] == k8s(stack, "rg").id.rsplit("/", 1)[-1]
    assert k8s(stack, "rg").id != vpc_child(stack, "rg").id


def test_the_kubeconfig_authenticates_with_kubelogin_and_holds_no_credential() -> None:
    document = yaml.safe_load(render_kubeconfig("aks", "https://aks.example:443", "Q0E="))
    (user,) = document["users"]
    assert user["user"]["exec"]["command"] == "kubelogin"
    assert user["user"]["exec"]["args"] == ["get-token", "--login", "azurecli", "--server-id", AKS_SERVER_APP]
    assert set(user["user"]) == {"exec"}
    assert document["clusters"][0]["cluster"] == {
        "server": "https://aks.example:443",
        "certificate-authority-data": "Q0E=",
    }


@pytest.mark.parametrize("stack", STACKS)
def test_the_ca_comes_from_the_clusters_own_credentials(stack: str) -> None:
    suite = contract.TestKubeClusterContract
    built = build_component(suite.component, suite.make_args, cloud="azure", stack=stack)
    handed_out = yaml.safe_load(
        base64.b64decode(
            CALLS["azure-native:containerservice:listManagedClusterUserCredentials"]["kubeconfigs"][0]["value"]
        )
    )
    assert built.outputs["certificate_authority"] == handed_out["clusters"][0]["cluster"]["certificate-authority-data"]
    assert built.outputs["kubeconfig"] == "[secret]"
