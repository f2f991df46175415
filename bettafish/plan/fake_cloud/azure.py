"""Azure part of the fake cloud: ARM resource ids (nested for child resources), computed attributes."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi.runtime.rpc import _special_secret_sig, _special_sig_key

from bettafish.plan.fake_cloud import azure_edge as edge
from bettafish.plan.fake_cloud import azure_workloads as workloads
from bettafish.plan.fake_cloud.aks import CALLS as AKS_CALLS
from bettafish.plan.fake_cloud.aks import aks_attributes
from bettafish.plan.fake_cloud.common import (
    SUBSCRIPTION_ID,
    TENANT_ID,
    Computed,
    fake_uuid,
    hex_digest,
    physical_name,
)

_AZURE_NAMESPACE = {
    "network": "Microsoft.Network",
    "privatedns": "Microsoft.Network",
    "storage": "Microsoft.Storage",
    "resources": "Microsoft.Resources",
    "managedidentity": "Microsoft.ManagedIdentity",
    "authorization": "Microsoft.Authorization",
    "keyvault": "Microsoft.KeyVault",
    "dbforpostgresql": "Microsoft.DBforPostgreSQL",
    "redisenterprise": "Microsoft.Cache",
    "dataprotection": "Microsoft.DataProtection",
    "containerservice": "Microsoft.ContainerService",
    "operationalinsights": "Microsoft.OperationalInsights",
    "monitor": "Microsoft.Insights",
    "costmanagement": "Microsoft.CostManagement",
    **workloads.NAMESPACES,
    **edge.NAMESPACES,
}
_AZURE_NAME_KEY = {
    "UserAssignedIdentity": "resourceName",
    "StorageAccount": "accountName",
    "RedisEnterprise": "clusterName",
    "BlobServiceProperties": "blobServicesName",
    "BlobContainer": "containerName",
    "BackupVault": "vaultName",
    "ManagementLockByScope": "lockName",
    "MaintenanceConfiguration": "configName",
    "DiagnosticSetting": "name",
    "MetricAlert": "ruleName",
    "DataCollectionRuleAssociation": "associationName",
    "ScheduledActionByScope": "name",
    **workloads.NAME_KEYS,
    **edge.NAME_KEYS,
}
_AZURE_COLLECTION = {
    "Server": "flexibleServers",
    "RedisEnterprise": "redisEnterprise",
    "PrivateZone": "privateDnsZones",
    **workloads.COLLECTIONS,
    **edge.COLLECTIONS,
}
"""ARM collection names that are not the plural of the kind."""
_AZURE_CHILDREN: dict[str, tuple[str, str, str]] = {
    "network:Subnet": ("virtualNetworkName", "virtualNetworks", "subnets"),
    "network:SecurityRule": ("networkSecurityGroupName", "networkSecurityGroups", "securityRules"),
    "network:FlowLog": ("networkWatcherName", "networkWatchers", "flowLogs"),
    "network:PrivateDnsZoneGroup": ("privateEndpointName", "privateEndpoints", "privateDnsZoneGroups"),
    "privatedns:VirtualNetworkLink": ("privateZoneName", "privateDnsZones", "virtualNetworkLinks"),
    "keyvault:Key": ("vaultName", "vaults", "keys"),
    "keyvault:Secret": ("vaultName", "vaults", "secrets"),
    "dbforpostgresql:Configuration": ("serverName", "flexibleServers", "configurations"),
    "dbforpostgresql:Database": ("serverName", "flexibleServers", "databases"),
    "redisenterprise:Database": ("clusterName", "redisEnterprise", "databases"),
    "storage:BlobServiceProperties": ("accountName", "storageAccounts", "blobServices"),
    "storage:BlobContainer": ("accountName", "storageAccounts", "blobServices/default/containers"),
    "storage:ManagementPolicy": ("accountName", "storageAccounts", "managementPolicies"),
    "dataprotection:BackupPolicy": ("vaultName", "backupVaults", "backupPolicies"),
    "dataprotection:BackupInstance": ("vaultName", "backupVaults", "backupInstances"),
    "containerservice:AgentPool": ("resourceName", "managedClusters", "agentPools"),
    "containerservice:MaintenanceConfiguration": ("resourceName", "managedClusters", "maintenanceConfigurations"),
    **workloads.CHILDREN,
    **edge.CHILDREN,
}
"""Azure child resources, whose ids nest under their parent's: module:kind -> (parent input,
parent collection, own collection)."""
_EXTENSIONS = {
    "azure-native:authorization:RoleAssignment": ("scope", "Microsoft.Authorization/roleAssignments"),
    "azure-native:authorization:ManagementLockByScope": ("scope", "Microsoft.Authorization/locks"),
    "azure-native:monitor:DiagnosticSetting": ("resourceUri", "Microsoft.Insights/diagnosticSettings"),
    "azure-native:monitor:DataCollectionRuleAssociation": (
        "resourceUri",
        "Microsoft.Insights/dataCollectionRuleAssociations",
    ),
    # Subscription-scoped: their scope is ``/subscriptions/<id>`` (Cost Management writes it without the slash).
    "azure-native:consumption:Budget": ("scope", "Microsoft.Consumption/budgets"),
    "azure-native:costmanagement:ScheduledActionByScope": ("scope", "Microsoft.CostManagement/scheduledActions"),
    **workloads.EXTENSIONS,
}
"""Extension resources, whose ids hang under another resource: type -> (its input, collection)."""


def _plural(kind: str) -> str:
    word = kind[0].lower() + kind[1:]
    if word.endswith("y"):
        return word[:-1] + "ies"
    return word + ("es" if word.endswith("s") else "s")


CALLS: dict[str, dict[str, Any]] = {
    "azure-native:authorization:getClientConfig": {
        "clientId": "22222222-2222-4222-8222-222222222222",
        "objectId": "33333333-3333-4333-8333-333333333333",
        "subscriptionId": SUBSCRIPTION_ID,
        "tenantId": TENANT_ID,
    },
    **AKS_CALLS,
}
"""Answers to the Azure data sources the program reads."""


def azure_state(args: pulumi.runtime.MockResourceArgs) -> Computed:
    inputs = args.inputs
    module, kind = args.typ.split(":")[1:]
    namespace = _AZURE_NAMESPACE.get(module, f"Microsoft.{module.title()}")
    name = physical_name(args.name, inputs, _AZURE_NAME_KEY.get(kind, kind[0].lower() + kind[1:] + "Name"))
    group = inputs.get("resourceGroupName", name)
    scope = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{group}"
    child = _AZURE_CHILDREN.get(f"{module}:{kind}")
    special = workloads.special_id(args.typ, scope, name, inputs) or edge.special_id(args.typ, scope, name, inputs)
    if args.typ == "azure-native:resources:ResourceGroup":
        resource_id = scope
    elif special:
        resource_id = special
    elif child:
        parent_key, parent_collection, collection = child
        parent = inputs.get(parent_key, "parent")
        resource_id = f"{scope}/providers/{namespace}/{parent_collection}/{parent}/{collection}/{name}"
    elif args.typ in _EXTENSIONS:
        # Role assignments are named by a GUID; locks and diagnostic settings by their name.
        target, collection = _EXTENSIONS[args.typ]
        own = fake_uuid(args.name) if kind == "RoleAssignment" else name
        if kind == "RoleDefinition":
            own = workloads.extension_name(args.typ, args.name, inputs)
        resource_id = f"/{str(inputs.get(target, scope)).lstrip('/')}/providers/{collection}/{own}"
    else:
        resource_id = f"{scope}/providers/{namespace}/{_AZURE_COLLECTION.get(kind, _plural(kind))}/{name}"
    computed: dict[str, Any] = {
        "name": name,
        "type": f"{namespace}/{_AZURE_COLLECTION.get(kind, _plural(kind))}",
        "azureApiVersion": "2024-05-01",
    }
    computed |= _identity(inputs.get("identity"), resource_id)
    computed |= _attributes(args.typ, name, inputs)
    computed |= aks_attributes(args, resource_id)
    computed |= workloads.attributes(args.typ, name, inputs, resource_id)
    computed |= edge.attributes(args.typ, name, inputs, resource_id)
    return resource_id, computed


def _identity(identity: Any, resource_id: str) -> dict[str, Any]:
    """Principal ids of system-assigned identities and of each user-assigned one (a list of ids, or
    a map keyed by id as PostgreSQL takes it)."""
    if not isinstance(identity, dict):
        return {}
    out = dict(identity)
    if "SystemAssigned" in str(identity.get("type", "")):
        out |= {"principalId": fake_uuid(resource_id, "principal"), "tenantId": TENANT_ID}
    assigned = identity.get("userAssignedIdentities")
    if isinstance(assigned, list | dict):
        out["userAssignedIdentities"] = {
            uid: {"principalId": fake_uuid(uid, "principal"), "clientId": fake_uuid(uid, "client")} for uid in assigned
        }
    return {"identity": out}


def _attributes(typ: str, name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """Attributes Azure computes for the types the program reads back."""
    location = inputs.get("location", "eastus")
    match typ:
        case "azure-native:managedidentity:UserAssignedIdentity":
            return {
                "principalId": fake_uuid(name, "principal"),
                "clientId": fake_uuid(name, "client"),
                "tenantId": TENANT_ID,
            }
        case "azure-native:network:PublicIPAddress":
            return {"ipAddress": f"20.{int(hex_digest(name, length=2), 16) % 255}.30.40"}
        case "azure-native:storage:StorageAccount":
            return {"primaryEndpoints": {"blob": f"https://{name}.blob.core.windows.net/"}}
        case "azure-native:keyvault:Vault":
            return {"properties": {**inputs.get("properties", {}), "vaultUri": f"https://{name}.vault.azure.net/"}}
        case "azure-native:keyvault:Key":
            vault = inputs.get("vaultName", "vault")
            version = hex_digest(vault, name, "version", length=32)
            uri = f"https://{vault}.vault.azure.net/keys/{name}"
            return {"keyUri": uri, "keyUriWithVersion": f"{uri}/{version}"}
        case "azure-native:keyvault:Secret":
            # Azure never returns a secret's value (the engine sends the properties holding it as a secret).
            props = {k: v for k, v in _revealed(inputs.get("properties", {})).items() if k != "value"}
            uri = f"https://{inputs.get('vaultName', 'vault')}.vault.azure.net/secrets/{name}"
            version = hex_digest(uri, "version", length=32)
            return {"properties": {**props, "secretUri": uri, "secretUriWithVersion": f"{uri}/{version}"}}
        case "azure-native:dbforpostgresql:Server":
            return {"fullyQualifiedDomainName": f"{name}.postgres.database.azure.com", "state": "Ready"}
        case "azure-native:redisenterprise:RedisEnterprise":
            return {"hostName": f"{name}.{location}.redis.azure.net", "redisVersion": "7.4"}
    return {}


def _revealed(value: Any) -> Any:
    """``value`` without the engine's secret wrapper, if it has one."""
    if isinstance(value, dict) and value.get(_special_sig_key) == _special_secret_sig:
        return value.get("value")
    return value
