"""AKS part of the fake cloud: computed outputs of the cluster's resources (ids come from ``azure``)
and the user credentials AKS hands out."""

from __future__ import annotations

import base64
from typing import Any

import pulumi
import yaml

from bettafish.plan.fake_cloud.common import TENANT_ID, fake_uuid, hex_digest

_FAKE_CA = base64.b64encode(
    b"-----BEGIN CERTIFICATE-----\n"
    b"MIIE6DCCAtCgAwIBAgIQYlZ0YWZpc2gtZmFrZS1jYTANBgkqhkiG9w0BAQsFADANMQswCQYDVQQDEwJjYTAgFw0y\n"
    b"-----END CERTIFICATE-----\n"
).decode()
"""The cluster CA every fake AKS cluster presents (base64 PEM, as kubeconfigs carry it)."""


def _user_kubeconfig() -> str:
    """What ``listClusterUserCredential`` returns for an Entra ID cluster (format ``exec``): base64 YAML
    with the server, the CA and a kubelogin user, and no secret in it."""
    server = "https://bettafish-k8s-2b7e51c9.7d1c9a3e-51f0-4c2b-9e8f-0a5b6c7d8e9f.privatelink.eastus.azmk8s.io:443"
    config = {
        "apiVersion": "v1",
        "kind": "Config",
        "clusters": [{"name": "cluster", "cluster": {"server": server, "certificate-authority-data": _FAKE_CA}}],
        "contexts": [{"name": "cluster", "context": {"cluster": "cluster", "user": "clusterUser"}}],
        "current-context": "cluster",
        "users": [
            {
                "name": "clusterUser",
                "user": {
                    "exec": {
                        "apiVersion": "client.authentication.k8s.io/v1beta1",
                        "command": "kubelogin",
                        "args": [
                            "get-token",
                            "--login",
                            "devicecode",
                            "--server-id",
                            "6dae42f8-4368-4678-94ff-3960e28e3630",
                        ],
                    }
                },
            }
        ],
    }
    return base64.b64encode(yaml.safe_dump(config).encode()).decode()


CALLS: dict[str, dict[str, Any]] = {
    "azure-native:containerservice:listManagedClusterUserCredentials": {
        "kubeconfigs": [{"name": "clusterUser", "value": _user_kubeconfig()}]
    },
}
"""Answers to the AKS data sources the program reads."""


def aks_attributes(args: pulumi.runtime.MockResourceArgs, resource_id: str) -> dict[str, Any]:
    """Outputs Azure computes for a cluster resource (empty for types this module does not own)."""
    inputs = args.inputs
    location = inputs.get("location", "eastus")
    match args.typ:
        case "azure-native:containerservice:ManagedCluster":
            return _cluster(inputs, resource_id, location)
        case "azure-native:containerservice:AgentPool":
            return {"provisioningState": "Succeeded", "nodeImageVersion": "AzureLinux-V3gen2-202608.18.0"}
        case "azure-native:operationalinsights:Workspace":
            return {"customerId": fake_uuid(resource_id, "customer"), "provisioningState": "Succeeded"}
    return {}


def _cluster(inputs: dict[str, Any], resource_id: str, location: str) -> dict[str, Any]:
    """FQDNs as AKS forms them (``<dnsPrefix>-<hash>.hcp.<location>.azmk8s.io``, private ones under
    ``privatelink``), the OIDC issuer, the kubelet identity AKS creates and the node resource group."""
    name = resource_id.rsplit("/", 1)[-1]
    group = resource_id.split("/resourceGroups/", 1)[1].split("/", 1)[0]
    host = f"{inputs.get('dnsPrefix', name)}-{hex_digest(resource_id, length=8)}"
    node_group = f"MC_{group}_{name}_{location}"
    kubelet = f"/subscriptions/{resource_id.split('/')[2]}/resourceGroups/{node_group}/providers"
    kubelet += f"/Microsoft.ManagedIdentity/userAssignedIdentities/{name}-agentpool"
    computed: dict[str, Any] = {
        "azurePortalFQDN": f"{host}.portal.hcp.{location}.azmk8s.io",
        "nodeResourceGroup": node_group,
        "identityProfile": {
            "kubeletidentity": {
                "resourceId": kubelet,
                "clientId": fake_uuid(kubelet, "client"),
                "objectId": fake_uuid(kubelet, "principal"),
            }
        },
        "provisioningState": "Succeeded",
        "powerState": {"code": "Running"},
        "maxAgentPools": 100,
    }
    if inputs.get("apiServerAccessProfile", {}).get("enablePrivateCluster"):
        computed["privateFQDN"] = f"{host}.{fake_uuid(resource_id, 'dns')}.privatelink.{location}.azmk8s.io"
    else:
        computed["fqdn"] = f"{host}.hcp.{location}.azmk8s.io"
    if inputs.get("oidcIssuerProfile", {}).get("enabled"):
        issuer = f"https://{location}.oic.prod-aks.azure.com/{TENANT_ID}/{fake_uuid(resource_id, 'oidc')}/"
        computed["oidcIssuerProfile"] = {"enabled": True, "issuerURL": issuer}
    return computed
