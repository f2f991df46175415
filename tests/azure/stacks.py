"""The Azure data tier as recorded from the real program run offline (one run per stack, shared by
the Azure data-tier tests), and helpers to read it."""

from __future__ import annotations

from functools import cache
from typing import Any

import pulumi

from bettafish.config import StackConfig
from bettafish.plan import FakeCloud, RecordedResource, Recording
from bettafish.plan.fake_cloud import SUBSCRIPTION_ID
from tests.mocks import load, physical_name, run_stack, stack_values

STACKS = ("prod", "staging")
LOCATION = "eastus"
DR_LOCATION = "westus"

RESOURCE_GROUP = "azure-native:resources:ResourceGroup"
VAULT = "azure-native:keyvault:Vault"
KEY = "azure-native:keyvault:Key"
SECRET = "azure-native:keyvault:Secret"
LOCK = "azure-native:authorization:ManagementLockByScope"
GRANT = "azure-native:authorization:RoleAssignment"
IDENTITY = "azure-native:managedidentity:UserAssignedIdentity"
SERVER = "azure-native:dbforpostgresql:Server"
PARAMETER = "azure-native:dbforpostgresql:Configuration"
PG_DATABASE = "azure-native:dbforpostgresql:Database"
PASSWORD = "random:index/randomPassword:RandomPassword"
ZONE = "azure-native:privatedns:PrivateZone"
ZONE_LINK = "azure-native:privatedns:VirtualNetworkLink"
BACKUP_VAULT = "azure-native:dataprotection:BackupVault"
BACKUP_POLICY = "azure-native:dataprotection:BackupPolicy"
BACKUP_INSTANCE = "azure-native:dataprotection:BackupInstance"
REDIS = "azure-native:redisenterprise:RedisEnterprise"
REDIS_DATABASE = "azure-native:redisenterprise:Database"
ENDPOINT = "azure-native:network:PrivateEndpoint"
ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"
ACCOUNT = "azure-native:storage:StorageAccount"
BLOB_SERVICE = "azure-native:storage:BlobServiceProperties"
CONTAINER = "azure-native:storage:BlobContainer"
LIFECYCLE = "azure-native:storage:ManagementPolicy"
SUBNET = "azure-native:network:Subnet"
RANDOM_STRING = "random:index/randomString:RandomString"
EXPIRY = "time:index/offset:Offset"
DIAGNOSTICS = "azure-native:monitor:DiagnosticSetting"
VNET = "azure-native:network:VirtualNetwork"

CRYPTO_SERVICE_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
POSTGRES_LTR_BACKUP = "c088a766-074b-43ba-90d4-1fb21feae531"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "azure")


@cache
def config(stack: str) -> StackConfig:
    return load(stack_values(stack, "azure"), stack)


def component(stack: str, short: str) -> str:
    """``bettafish-prod-db`` for ``db``."""
    return f"bettafish-{stack}-{short}"


def named(stack: str, short: str, suffix: str) -> RecordedResource:
    return plan(stack).named(f"{component(stack, short)}-{suffix}")


def children(stack: str, short: str) -> list[RecordedResource]:
    """The resources of a component, by its short name (``keys``, ``db``, ``cache``, ``store``)."""
    (root,) = [r for r in plan(stack).resources if not r.custom and r.name == component(stack, short)]
    return plan(stack).children_of(root.urn)


def of_type(stack: str, short: str, type_token: str) -> list[RecordedResource]:
    return [r for r in children(stack, short) if r.type == type_token]


def inventory(stack: str, short: str) -> list[tuple[str, str]]:
    """Sorted (type, name without the component prefix) of a component's children."""
    prefix = f"{component(stack, short)}-"
    return sorted((r.type, r.name.removeprefix(prefix)) for r in children(stack, short))


def computed(resource: RecordedResource) -> dict[str, Any]:
    """What the fake cloud computed for a resource (outputs are not on the record)."""
    args = pulumi.runtime.MockResourceArgs(resource.type, resource.name, resource.inputs, custom=True)
    _, outputs = FakeCloud().new_resource(args)
    return outputs


def role(role_id: str) -> str:
    return f"/subscriptions/{SUBSCRIPTION_ID}/providers/Microsoft.Authorization/roleDefinitions/{role_id}"


def group_name(stack: str, short: str) -> str:
    return physical_name(named(stack, short, "rg"))


def snake_case_keys(value: Any, path: str = "") -> list[str]:
    """Input keys the SDK did not translate to the API's camelCase: a misspelt nested argument
    (the SDK passes unknown keys through, and Azure ignores or rejects them)."""
    found: list[str] = []
    if isinstance(value, dict):
        for key, item in value.items():
            if "_" in key and not key.startswith("/"):  # keys that are resource ids are data
                found.append(f"{path}.{key}")
            found += snake_case_keys(item, f"{path}.{key}")
    elif isinstance(value, list):
        for item in value:
            found += snake_case_keys(item, f"{path}[]")
    return found
