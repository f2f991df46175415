"""AKS registrations the real API refuses: one small program per constraint id. Each starts from a
bare cluster or pool that breaks nothing and adds only the refused setting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
from pulumi_azure_native import authorization, compute, containerservice, keyvault, network, operationalinsights

VERSION = "0123456789abcdef0123456789abcdef"
ROLE = "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/"
NAT = {"id": "/subscriptions/s/resourceGroups/rg/providers/Microsoft.Network/natGateways/nat"}


def _cluster(
    name: str = "c", opts: pulumi.ResourceOptions | None = None, **inputs: Any
) -> containerservice.ManagedCluster:
    return containerservice.ManagedCluster(name, resource_group_name="rg", dns_prefix="c", opts=opts, **inputs)


def _pool(name: str, cluster: pulumi.Input[str] = "c", **inputs: Any) -> containerservice.AgentPool:
    return containerservice.AgentPool(
        name, agent_pool_name=name, resource_group_name="rg", resource_name_=cluster, **inputs
    )


def _subnet(name: str = "nodes", prefix: str = "10.0.1.0/24", **inputs: Any) -> network.Subnet:
    vnet = network.VirtualNetwork(
        f"{name}-vnet",
        virtual_network_name=f"{name}-vnet",
        resource_group_name="rg",
        address_space={"address_prefixes": ["10.0.0.0/16"]},
    )
    return network.Subnet(
        name, resource_group_name="rg", virtual_network_name=vnet.name, address_prefix=prefix, **inputs
    )


def _key(ops: list[str], vault_name: str = "vault1", acls: str = "Allow") -> keyvault.Key:
    vault = keyvault.Vault(
        vault_name,
        vault_name=vault_name,
        resource_group_name="rg",
        properties={
            "tenant_id": "t",
            "sku": {"family": "A", "name": "standard"},
            "network_acls": {"default_action": acls},
        },
    )
    return keyvault.Key(
        "k", key_name="k", vault_name=vault.name, resource_group_name="rg", properties={"kty": "RSA", "key_ops": ops}
    )


def _kms(key_id: str, access: str = "Private") -> dict[str, Any]:
    return {"azure_key_vault_kms": {"enabled": True, "key_id": key_id, "key_vault_network_access": access}}


def _grant(name: str, role: str, scope: pulumi.Input[str]) -> authorization.RoleAssignment:
    return authorization.RoleAssignment(name, principal_id="p", role_definition_id=f"{ROLE}{role}", scope=scope)


def _system(**extra: Any) -> list[dict[str, Any]]:
    return [{"name": "system1", "mode": "System", "vm_size": "Standard_D2s_v5", **extra}]


def des_key_without_wrap() -> None:
    key = _key(["encrypt", "decrypt"])
    compute.DiskEncryptionSet("des", resource_group_name="rg", active_key={"key_url": key.key_uri})


def des_not_granted() -> None:
    key = _key(["wrapKey", "unwrapKey"])
    des = compute.DiskEncryptionSet("des", resource_group_name="rg", active_key={"key_url": key.key_uri})
    _cluster(disk_encryption_set_id=des.id)


def kms_key_without_encrypt() -> None:
    key = _key(["wrapKey", "unwrapKey"])
    _cluster(
        api_server_access_profile={"enable_vnet_integration": True}, security_profile=_kms(key.key_uri_with_version)
    )


def kms_not_granted() -> None:
    key = _key(["encrypt", "decrypt"])
    _cluster(
        api_server_access_profile={"enable_vnet_integration": True}, security_profile=_kms(key.key_uri_with_version)
    )


def overlapping(path: str, cidr: str, dns: str | None = None) -> Callable[[], None]:
    def program() -> None:
        subnet = _subnet(nat_gateway=NAT)
        profile = {path: cidr} | ({"service_cidr": cidr, "dns_service_ip": dns} if dns else {})
        _cluster(agent_pool_profiles=_system(vnet_subnet_id=subnet.id), network_profile=profile)

    return program


def pools_at_once() -> None:
    # The second pool is registered once the first exists, yet does not wait for it.
    _pool("general1").id.apply(lambda _: _pool("general2"))


def api_subnet_undelegated() -> None:
    subnet = _subnet("apiserver", "10.0.30.0/28")
    _cluster(api_server_access_profile={"enable_vnet_integration": True, "subnet_id": subnet.id})


def nat_missing_for_pool() -> None:
    cluster = _cluster(network_profile={"outbound_type": "userAssignedNATGateway"})
    _pool("general1", cluster.name, vnet_subnet_id=_subnet().id)


def for_both(
    label: str, cluster_program: Callable[[], None], pool_program: Callable[[], None]
) -> dict[str, Callable[[], None]]:
    return {f"{label}-managedcluster": cluster_program, f"{label}-agentpool": pool_program}


VIOLATIONS: dict[str, Callable[[], None]] = {
    "aks-private-cluster-authorized-ranges": lambda: _cluster(
        api_server_access_profile={"enable_private_cluster": True, "authorized_ip_ranges": ["203.0.113.0/24"]}
    ),
    "aks-kms-key-version": lambda: _cluster(security_profile=_kms("https://v.vault.azure.net/keys/k")),
    "aks-kms-private-vault-needs-vnet-integration": lambda: _cluster(
        security_profile=_kms(f"https://v.vault.azure.net/keys/k/{VERSION}")
    ),
    "aks-kms-public-vault-behind-firewall": lambda: _cluster(
        security_profile=_kms(_key(["encrypt", "decrypt"], "locked", "Deny").key_uri_with_version, "Public")
    ),
    "aks-kms-key-operations": kms_key_without_encrypt,
    "aks-kms-key-grant": kms_not_granted,
    "aks-disk-encryption-key-operations": des_key_without_wrap,
    "aks-disk-encryption-grant": des_not_granted,
    "aks-dns-service-ip-in-service-cidr": lambda: _cluster(
        network_profile={"service_cidr": "172.20.0.0/16", "dns_service_ip": "10.0.0.10"}
    ),
    "aks-pod-cidr-overlaps-vnet": overlapping("pod_cidr", "10.0.128.0/17"),
    "aks-service-cidr-overlaps-vnet": overlapping("service_cidr", "10.0.200.0/24", "10.0.200.10"),
    "aks-reserved-ranges": lambda: _cluster(network_profile={"pod_cidr": "172.31.0.0/16"}),
    **for_both(
        "aks-spot-system-pool",
        lambda: _cluster(agent_pool_profiles=_system(scale_set_priority="Spot")),
        lambda: _pool("system2", mode="System", scale_set_priority="Spot"),
    ),
    **for_both(
        "aks-spot-b-series",
        lambda: _cluster(
            agent_pool_profiles=[
                *_system(),
                {"name": "spot1", "scale_set_priority": "Spot", "vm_size": "Standard_B2ms"},
            ]
        ),
        lambda: _pool("generalspot1", scale_set_priority="Spot", vm_size="Standard_B2ms"),
    ),
    **for_both(
        "aks-pool-name",
        lambda: _cluster(agent_pool_profiles=[{"name": "System_Pool_1", "mode": "System"}]),
        lambda: _pool("generalspot123"),
    ),
    **for_both(
        "aks-node-subnet-delegated",
        lambda: _cluster(
            agent_pool_profiles=_system(
                vnet_subnet_id=_subnet(delegations=[{"name": "d", "service_name": "Microsoft.Web/serverFarms"}]).id
            )
        ),
        lambda: _pool(
            "general1",
            vnet_subnet_id=_subnet(delegations=[{"name": "d", "service_name": "Microsoft.Web/serverFarms"}]).id,
        ),
    ),
    **for_both(
        "aks-nat-gateway-on-node-subnet",
        lambda: _cluster(
            agent_pool_profiles=_system(vnet_subnet_id=_subnet().id),
            network_profile={"outbound_type": "userAssignedNATGateway"},
        ),
        nat_missing_for_pool,
    ),
    **for_both(
        "aks-node-subnet-grant",
        lambda: _cluster(
            identity={"type": "UserAssigned"}, agent_pool_profiles=_system(vnet_subnet_id=_subnet(nat_gateway=NAT).id)
        ),
        lambda: _pool("general1", vnet_subnet_id=_subnet(nat_gateway=NAT).id),
    ),
    "aks-agent-pools-one-at-a-time": pools_at_once,
    "aks-api-server-subnet": api_subnet_undelegated,
    "aks-workload-identity-needs-oidc": lambda: _cluster(security_profile={"workload_identity": {"enabled": True}}),
    "aks-local-accounts-need-entra": lambda: _cluster(disable_local_accounts=True),
    "aks-cilium-network-policy": lambda: _cluster(
        network_profile={"network_dataplane": "cilium", "network_policy": "azure"}
    ),
    "aks-log-analytics-retention": lambda: operationalinsights.Workspace(
        "logs", resource_group_name="rg", sku={"name": "PerGB2018"}, retention_in_days=7
    ),
    "aks-maintenance-window-hours": lambda: containerservice.MaintenanceConfiguration(
        "window",
        config_name="aksManagedAutoUpgradeSchedule",
        resource_group_name="rg",
        resource_name_="c",
        maintenance_window={
            "schedule": {"weekly": {"day_of_week": "Sunday", "interval_weeks": 1}},
            "start_time": "00:00",
            "duration_hours": 2,
        },
    ),
}
