"""Azure part of the fake cloud: ARM resource ids (nested for child resources), computed attributes."""

from __future__ import annotations

from typing import Any

import pulumi

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
    "storage": "Microsoft.Storage",
    "resources": "Microsoft.Resources",
    "managedidentity": "Microsoft.ManagedIdentity",
    "authorization": "Microsoft.Authorization",
}
_AZURE_NAME_KEY = {"UserAssignedIdentity": "resourceName", "StorageAccount": "accountName"}
_AZURE_CHILDREN = {
    "Subnet": ("virtualNetworkName", "virtualNetworks", "subnets"),
    "SecurityRule": ("networkSecurityGroupName", "networkSecurityGroups", "securityRules"),
    "FlowLog": ("networkWatcherName", "networkWatchers", "flowLogs"),
}
"""Azure child resources, whose ids nest under their parent's: kind -> (parent input, parent
collection, own collection)."""


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
}
"""Answers to the Azure data sources the program reads."""


def azure_state(args: pulumi.runtime.MockResourceArgs) -> Computed:
    inputs = args.inputs
    module, kind = args.typ.split(":")[1:]
    namespace = _AZURE_NAMESPACE.get(module, f"Microsoft.{module.title()}")
    name = physical_name(args.name, inputs, _AZURE_NAME_KEY.get(kind, kind[0].lower() + kind[1:] + "Name"))
    group = inputs.get("resourceGroupName", name)
    scope = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{group}"
    if args.typ == "azure-native:resources:ResourceGroup":
        resource_id = scope
    elif kind in _AZURE_CHILDREN:
        parent_key, parent_collection, collection = _AZURE_CHILDREN[kind]
        parent = inputs.get(parent_key, "parent")
        resource_id = f"{scope}/providers/{namespace}/{parent_collection}/{parent}/{collection}/{name}"
    elif args.typ == "azure-native:authorization:RoleAssignment":
        resource_id = (
            f"{inputs.get('scope', scope)}/providers/Microsoft.Authorization/roleAssignments/{fake_uuid(args.name)}"
        )
    else:
        resource_id = f"{scope}/providers/{namespace}/{_plural(kind)}/{name}"
    computed: dict[str, Any] = {
        "name": name,
        "type": f"{namespace}/{_plural(kind)}",
        "azureApiVersion": "2024-05-01",
    }
    identity = inputs.get("identity")
    if isinstance(identity, dict) and isinstance(identity.get("userAssignedIdentities"), list):
        computed["identity"] = {
            **identity,
            "userAssignedIdentities": {
                uid: {"principalId": fake_uuid(uid, "principal"), "clientId": fake_uuid(uid, "client")}
                for uid in identity["userAssignedIdentities"]
            },
        }
    if args.typ == "azure-native:managedidentity:UserAssignedIdentity":
        computed.update(
            principalId=fake_uuid(args.name, "principal"), clientId=fake_uuid(args.name, "client"), tenantId=TENANT_ID
        )
    if args.typ == "azure-native:network:PublicIPAddress":
        computed["ipAddress"] = f"20.{int(hex_digest(name, length=2), 16) % 255}.30.40"
    if args.typ == "azure-native:storage:StorageAccount":
        computed["primaryEndpoints"] = {"blob": f"https://{name}.blob.core.windows.net/"}
    return resource_id, computed
