"""Azure KubeCluster identities, grants and network access: the control plane's and the disk
encryption set's least-privilege grants (rule 30) in place before the cluster, the administrators
and the deployer, the API server's subnet and NSG, and the pod rules on the private NSG."""

from __future__ import annotations

from typing import Any

import pytest

from tests.azure.kube import (
    AKS_CLUSTER_USER,
    AKS_RBAC_CLUSTER_ADMIN,
    CRYPTO_USER,
    DEPLOYER,
    NETWORK_CONTRIBUTOR,
    VAULT_CONTRIBUTOR,
    cluster,
    config,
    edited_plan,
    grants,
    k8s,
    key,
    out,
    vpc_child,
)
from tests.azure.stacks import CRYPTO_SERVICE_ENCRYPTION_USER, READER, STACKS, named

OWNER = "8e3af657-a8ff-443c-a52d-6fe36d1bd9a0"
CONTRIBUTOR = "b24988ac-6180-42a0-ab88-20f7382dd24c"


def by_role(stack: str) -> dict[tuple[str, str], list[str]]:
    """(role id, scope) -> principals of the cluster's grants."""
    found: dict[tuple[str, str], list[str]] = {}
    for grant in grants(stack):
        found.setdefault((grant.inputs["roleDefinitionId"].rsplit("/", 1)[-1], grant.inputs["scope"]), []).append(
            grant.inputs["principalId"]
        )
    return found


@pytest.mark.parametrize("stack", STACKS)
def test_rule_30_every_grant_is_one_role_on_one_resource(stack: str) -> None:
    identity = out(stack, k8s(stack, "identity"))["principalId"]
    des = out(stack, k8s(stack, "disks"))["identity"]["principalId"]
    assert by_role(stack) == {
        (NETWORK_CONTRIBUTOR, vpc_child(stack, "vnet").id): [identity],
        (CRYPTO_USER, key(stack).id): [identity],
        (VAULT_CONTRIBUTOR, named(stack, "keys", "vault").id): [identity],
        (READER, k8s(stack, "disks").id): [identity],
        (CRYPTO_SERVICE_ENCRYPTION_USER, key(stack).id): [des],
        (AKS_RBAC_CLUSTER_ADMIN, cluster(stack).id): [DEPLOYER],
    }
    assert not {OWNER, CONTRIBUTOR} & {r for r, _ in by_role(stack)}


@pytest.mark.parametrize("stack", STACKS)
def test_the_cluster_waits_for_its_identitys_grants_and_network_rules(stack: str) -> None:
    waited = set(cluster(stack).options["dependsOn"])
    for grant in grants(stack):
        if grant.inputs["scope"] != cluster(stack).id:
            assert grant.urn in waited, grant.name
    assert k8s(stack, "private-allow-apiserver").urn in waited
    assert cluster(stack).inputs["identity"] == {
        "type": "UserAssigned",
        "userAssignedIdentities": [k8s(stack, "identity").id],
    }


def test_administrators_get_cluster_admin_and_the_credentials_role() -> None:
    admin = "0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d"

    def with_admin(k8s_config: Any) -> Any:
        k8s_config["admins"]["azure"] = [f"group:{admin}"]
        k8s_config["azure"]["deployerPrincipalType"] = "ServicePrincipal"
        return k8s_config

    recording = edited_plan(with_admin)
    roles = {
        (g.inputs["principalId"], g.inputs["principalType"], g.inputs["roleDefinitionId"].rsplit("/", 1)[-1])
        for g in recording.of_type("azure-native:authorization:RoleAssignment")
        if g.inputs["scope"].endswith(recording.named("bettafish-prod-k8s-cluster").id.rsplit("/", 1)[-1])
        and not g.name.endswith("-metrics")  # the services' custom-metrics grants (Operations)
    }
    assert roles == {
        (DEPLOYER, "ServicePrincipal", AKS_RBAC_CLUSTER_ADMIN),
        (admin, "Group", AKS_RBAC_CLUSTER_ADMIN),
        (admin, "Group", AKS_CLUSTER_USER),
    }


@pytest.mark.parametrize("stack", STACKS)
def test_the_api_server_subnet_is_delegated_to_aks_behind_its_own_nsg(stack: str) -> None:
    subnet, azure = k8s(stack, "apiserver"), config(stack).kubernetes.azure
    assert azure is not None
    assert subnet.inputs["addressPrefix"] == str(azure.api_server_subnet)
    assert subnet.inputs["virtualNetworkName"] == vpc_child(stack, "vnet").id.rsplit("/", 1)[-1]
    assert subnet.inputs["delegations"] == [
        {"name": "aks-apiserver", "serviceName": "Microsoft.ContainerService/managedClusters"}
    ]
    assert subnet.inputs["defaultOutboundAccess"] is False
    assert subnet.inputs["networkSecurityGroup"] == {"id": k8s(stack, "apiserver-nsg").id}
    # Azure takes one write at a time per virtual network: after the Vpc's own subnets.
    assert vpc_child(stack, "cache").urn in subnet.options["dependsOn"]


def rule(stack: str, suffix: str) -> dict[str, Any]:
    inputs = dict(k8s(stack, suffix).inputs)
    for wiring in ("resourceGroupName", "networkSecurityGroupName", "description", "sourcePortRange", "direction"):
        inputs.pop(wiring)
    return inputs


def private_cidrs(stack: str) -> list[str]:
    return [str(c) for c in config(stack).network.subnets.private]


@pytest.mark.parametrize("stack", STACKS)
def test_the_api_server_nsg_lets_in_the_nodes_and_probes_only(stack: str) -> None:
    azure = config(stack).kubernetes.azure
    assert azure is not None
    api = str(azure.api_server_subnet)
    assert rule(stack, "apiserver-allow-nodes") == {
        "priority": 100,
        "access": "Allow",
        "protocol": "Tcp",
        "sourceAddressPrefixes": private_cidrs(stack),
        "destinationAddressPrefix": api,
        "destinationPortRanges": ["443", "4443"],
    }
    assert rule(stack, "apiserver-allow-azure-lb")["sourceAddressPrefix"] == "AzureLoadBalancer"
    assert rule(stack, "apiserver-allow-azure-lb")["destinationPortRanges"] == ["9988"]
    assert rule(stack, "apiserver-deny-all")["priority"] == 4096
    assert rule(stack, "apiserver-deny-all")["access"] == "Deny"


@pytest.mark.parametrize("stack", STACKS)
def test_the_private_nsg_lets_overlay_pods_and_the_api_server_through(stack: str) -> None:
    pods = str(config(stack).kubernetes.pod_cidr)
    azure = config(stack).kubernetes.azure
    assert azure is not None
    private_nsg = vpc_child(stack, "private-nsg").id.rsplit("/", 1)[-1]
    for suffix in ("private-allow-pods", "private-allow-apiserver"):
        assert k8s(stack, suffix).inputs["networkSecurityGroupName"] == private_nsg
    assert rule(stack, "private-allow-pods") == {
        "priority": 4050,
        "access": "Allow",
        "protocol": "*",
        "sourceAddressPrefixes": [*private_cidrs(stack), pods],
        "destinationAddressPrefix": pods,
        "destinationPortRange": "*",
    }
    assert rule(stack, "private-allow-apiserver") == {
        "priority": 4060,
        "access": "Allow",
        "protocol": "Tcp",
        "sourceAddressPrefix": str(azure.api_server_subnet),
        "destinationAddressPrefixes": [*private_cidrs(stack), pods],
        "destinationPortRange": "*",
    }
    # Written after the Vpc's subnets (and so after its own rules), one rule after the other.
    assert vpc_child(stack, "cache").urn in k8s(stack, "private-allow-pods").options["dependsOn"]
    assert k8s(stack, "private-allow-apiserver").options["dependsOn"] == [k8s(stack, "private-allow-pods").urn]
