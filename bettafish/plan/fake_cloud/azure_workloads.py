"""Azure workloads and DNS in the fake cloud: the ids and computed outputs of the registry, the public
and private DNS zones and their records, Application Gateway for Containers, federated credentials,
Redis access policy assignments and custom roles, as Azure forms them."""

from __future__ import annotations

from typing import Any

from bettafish.plan.fake_cloud.common import fake_uuid, hex_digest

NAMESPACES = {
    "dns": "Microsoft.Network",
    "containerregistry": "Microsoft.ContainerRegistry",
    "servicenetworking": "Microsoft.ServiceNetworking",
}
NAME_KEYS = {
    "RecordSet": "relativeRecordSetName",
    "PrivateRecordSet": "relativeRecordSetName",
    "TrafficControllerInterface": "trafficControllerName",
    "FrontendsInterface": "frontendName",
    "AssociationsInterface": "associationName",
    "FederatedIdentityCredential": "federatedIdentityCredentialResourceName",
    "AccessPolicyAssignment": "accessPolicyAssignmentName",
    "RoleDefinition": "roleDefinitionId",
}
COLLECTIONS = {"Zone": "dnszones", "TrafficControllerInterface": "trafficControllers"}
CHILDREN: dict[str, tuple[str, str, str]] = {
    "servicenetworking:FrontendsInterface": ("trafficControllerName", "trafficControllers", "frontends"),
    "servicenetworking:AssociationsInterface": ("trafficControllerName", "trafficControllers", "associations"),
    "managedidentity:FederatedIdentityCredential": (
        "resourceName",
        "userAssignedIdentities",
        "federatedIdentityCredentials",
    ),
}
EXTENSIONS = {"azure-native:authorization:RoleDefinition": ("scope", "Microsoft.Authorization/roleDefinitions")}
AZURE_DNS_SERVERS = ("azure-dns.com", "azure-dns.net", "azure-dns.org", "azure-dns.info")


def special_id(typ: str, scope: str, name: str, inputs: dict[str, Any]) -> str | None:
    """Ids that nest under a record type or two parents, which the generic rules do not form."""
    match typ:
        case "azure-native:dns:RecordSet":
            return f"{scope}/providers/Microsoft.Network/dnszones/{inputs.get('zoneName')}/{inputs.get('recordType')}/{name}"
        case "azure-native:privatedns:PrivateRecordSet":
            zone = inputs.get("privateZoneName")
            return f"{scope}/providers/Microsoft.Network/privateDnsZones/{zone}/{inputs.get('recordType')}/{name}"
        case "azure-native:dns:DnssecConfig":
            return f"{scope}/providers/Microsoft.Network/dnszones/{inputs.get('zoneName')}/dnssecConfigs/default"
        case "azure-native:redisenterprise:AccessPolicyAssignment":
            cluster, database = inputs.get("clusterName"), inputs.get("databaseName")
            return (
                f"{scope}/providers/Microsoft.Cache/redisEnterprise/{cluster}/databases/{database}"
                f"/accessPolicyAssignments/{name}"
            )
    return None


def attributes(typ: str, name: str, inputs: dict[str, Any], resource_id: str) -> dict[str, Any]:
    """What Azure computes for the workload resources the program reads back."""
    location = inputs.get("location", "eastus")
    match typ:
        case "azure-native:containerregistry:Registry":
            return {"loginServer": f"{name.lower()}.azurecr.io", "provisioningState": "Succeeded"}
        case "azure-native:dns:Zone":
            shard = int(hex_digest(resource_id, length=2), 16) % 9 + 1
            return {
                "nameServers": [f"ns{i}-0{shard}.{domain}." for i, domain in enumerate(AZURE_DNS_SERVERS, start=1)],
                "maxNumberOfRecordSets": 10000,
            }
        case "azure-native:dns:DnssecConfig":
            return {"signingKeys": [_key_signing_key(str(inputs.get("zoneName", "")), resource_id)]}
        case "azure-native:dns:RecordSet":
            zone = inputs.get("zoneName")
            apex = name == "@"
            return {"fqdn": f"{zone}." if apex else f"{name}.{zone}.", "provisioningState": "Succeeded"}
        case "azure-native:servicenetworking:FrontendsInterface":
            return {"fqdn": f"{hex_digest(resource_id, length=32)}.fz{hex_digest(name, length=2)}.alb.azure.com"}
        case "azure-native:servicenetworking:TrafficControllerInterface":
            return {"configurationEndpoints": [f"{hex_digest(resource_id, length=32)}.{location}.alb.azure.com"]}
        case "azure-native:managedidentity:FederatedIdentityCredential":
            return {"type": "Microsoft.ManagedIdentity/userAssignedIdentities/federatedIdentityCredentials"}
        case "azure-native:redisenterprise:AccessPolicyAssignment":
            return {"provisioningState": "Succeeded"}
    return {}


def extension_name(typ: str, args_name: str, inputs: dict[str, Any]) -> str:
    """Role definitions are named by the GUID the caller gives (or one Azure makes)."""
    given = inputs.get("roleDefinitionId")
    return str(given) if given else fake_uuid(typ, args_name)


def _key_signing_key(zone: str, resource_id: str) -> dict[str, Any]:
    """A key-signing key as Azure reports it: ECDSA P-256 (algorithm 13), flags 257, its DS record."""
    key_tag = int(hex_digest(resource_id, "ksk", length=4), 16)
    digest = hex_digest(resource_id, "ds", length=64).upper()
    return {
        "flags": 257,
        "keyTag": key_tag,
        "protocol": 3,
        "securityAlgorithmType": 13,
        "publicKey": hex_digest(resource_id, "public", length=64),
        "delegationSignerInfo": [
            {"digestAlgorithmType": 2, "digestValue": digest, "record": f"{zone}. IN DS {key_tag} 13 2 {digest}"}
        ],
    }
