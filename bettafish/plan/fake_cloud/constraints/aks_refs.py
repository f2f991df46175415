"""Lookups the AKS constraints need: what a registration refers to among the resources registered
before it (subnets by id, their virtual network, keys by URL, vaults by name) and what it waits for."""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from bettafish.plan.fake_cloud.constraints import Constraint, Refuses, registered, value, waits_for

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

CLUSTER = "azure-native:containerservice:ManagedCluster"
AGENT_POOL = "azure-native:containerservice:AgentPool"
SUBNET = "azure-native:network:Subnet"
VNET = "azure-native:network:VirtualNetwork"
KEY = "azure-native:keyvault:Key"
VAULT = "azure-native:keyvault:Vault"
GRANT = "azure-native:authorization:RoleAssignment"
AKS_DOCS = "https://learn.microsoft.com/azure/aks"
NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
CRYPTO_SERVICE_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"


def physical(resource: RecordedResource) -> str:
    return resource.id.rsplit("/", 1)[-1]


def by_id(before: Sequence[RecordedResource], type_token: str, resource_id: Any) -> RecordedResource | None:
    return next((r for r in registered(before, type_token) if resource_id and r.id == resource_id), None)


def vnet_ranges(subnet: RecordedResource, before: Sequence[RecordedResource]) -> list[IPv4Network]:
    """The address space of the virtual network a subnet belongs to."""
    name = subnet.inputs.get("virtualNetworkName")
    for vnet in registered(before, VNET):
        if physical(vnet) == name:
            return [IPv4Network(p) for p in value(vnet.inputs, "addressSpace.addressPrefixes", [])]
    return []


def pool_profiles(resource: RecordedResource) -> list[dict[str, Any]]:
    """The agent pools a registration defines: a cluster's inline ones, or the agent pool itself."""
    if resource.type == AGENT_POOL:
        return [{**resource.inputs, "name": resource.inputs.get("agentPoolName", physical(resource))}]
    return list(resource.inputs.get("agentPoolProfiles") or [])


def cluster_of(pool: RecordedResource, before: Sequence[RecordedResource]) -> RecordedResource | None:
    return next((c for c in registered(before, CLUSTER) if physical(c) == pool.inputs.get("resourceName")), None)


def key_by_url(url: Any, before: Sequence[RecordedResource]) -> RecordedResource | None:
    """The Key Vault key a key URL (with or without a version) names."""
    if not isinstance(url, str) or not url.startswith("https://"):
        return None
    parsed = urlparse(url)
    vault, parts = parsed.hostname.split(".", 1)[0] if parsed.hostname else "", parsed.path.strip("/").split("/")
    if len(parts) < 2 or parts[0] != "keys":
        return None
    return next(
        (k for k in registered(before, KEY) if k.inputs.get("vaultName") == vault and physical(k) == parts[1]),
        None,
    )


def vault_named(name: str, before: Sequence[RecordedResource]) -> RecordedResource | None:
    return next((v for v in registered(before, VAULT) if physical(v) == name), None)


def granted(resource: RecordedResource, before: Sequence[RecordedResource], role: str, scope: Any) -> bool:
    """Whether ``resource`` waits for a grant of ``role`` on ``scope`` or on a scope containing it
    (a grant on a virtual network holds for its subnets)."""
    ancestors = waits_for(resource, before)
    target = str(scope)
    return any(
        g.urn in ancestors
        and (target == g.inputs.get("scope") or target.startswith(f"{g.inputs.get('scope')}/"))
        and str(g.inputs.get("roleDefinitionId", "")).endswith(role)
        for g in registered(before, GRANT)
    )


def cidr(text: Any) -> IPv4Network | None:
    return IPv4Network(text) if isinstance(text, str) else None


def subnets_of(resource: RecordedResource, before: Sequence[RecordedResource]) -> list[RecordedResource]:
    """The registered subnets the agent pools of ``resource`` join."""
    found = [by_id(before, SUBNET, profile.get("vnetSubnetID")) for profile in pool_profiles(resource)]
    return [subnet for subnet in found if subnet is not None]


def on_pools(id_: str, refuses: Refuses, error: str, doc: str) -> tuple[Constraint, Constraint]:
    """A refusal of agent pool settings, which come inline in a cluster or as an agent pool:
    ``<id>-managedcluster`` and ``<id>-agentpool``."""
    cluster, pool = (
        Constraint(id=f"{id_}-{t.rsplit(':', 1)[1].lower()}", type=t, refuses=refuses, error=error, doc=doc)
        for t in (CLUSTER, AGENT_POOL)
    )
    return cluster, pool
