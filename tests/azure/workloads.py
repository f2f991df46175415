"""The Azure workloads and DNS zone as recorded from the real program run offline (shared with the
other Azure tests), and helpers to read them."""

from __future__ import annotations

from typing import Any

from bettafish.plan import RecordedResource, Recording
from tests.azure.kube import cluster, out
from tests.azure.stacks import GRANT, IDENTITY, computed, config, named, of_type, plan
from tests.mocks import edited, run_program, stack_values

FEDERATION = "azure-native:managedidentity:FederatedIdentityCredential"
REDIS_ACCESS = "azure-native:redisenterprise:AccessPolicyAssignment"
REGISTRY = "azure-native:containerregistry:Registry"
RECORD = "azure-native:dns:RecordSet"
PRIVATE_RECORD = "azure-native:privatedns:PrivateRecordSet"
ROLE_DEFINITION = "azure-native:authorization:RoleDefinition"
RELEASE = "kubernetes:helm.sh/v3:Release"
SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"

SERVICES = ("api-gateway", "insight-engine", "media-engine", "query-engine", "report-engine")
STORAGE_BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"
ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
AGC_CONFIGURATION_MANAGER = "fbc52c3f-28ad-4303-a892-8a056630b8f1"


def apps(stack: str, suffix: str) -> RecordedResource:
    return named(stack, "apps", suffix)


def apps_of_type(stack: str, type_token: str, recording: Recording | None = None) -> list[RecordedResource]:
    if recording is None:
        return of_type(stack, "apps", type_token)
    root = f"bettafish-{stack}-apps"
    return [r for r in recording.of_type(type_token) if r.name.startswith(f"{root}-")]


def by_name(recording: Recording, name: str) -> RecordedResource:
    return recording.named(name)


def principal(resource: RecordedResource) -> str:
    """A user-assigned identity's principal id, as Azure computes it."""
    value: str = computed(resource)["principalId"]
    return value


def client_id(resource: RecordedResource) -> str:
    value: str = computed(resource)["clientId"]
    return value


def role_of(grant: RecordedResource) -> str:
    return str(grant.inputs["roleDefinitionId"]).rsplit("/", 1)[-1]


def grants_of(identity: RecordedResource, recording: Recording) -> set[tuple[str, str]]:
    """(role, scope) of every role assignment held by ``identity``, anywhere in the program."""
    who = principal(identity)
    return {(role_of(g), g.inputs["scope"]) for g in recording.of_type(GRANT) if g.inputs["principalId"] == who}


def service_identity(stack: str, account: str, recording: Recording | None = None) -> RecordedResource:
    name = f"bettafish-{stack}-apps-{account}-identity"
    return (recording or plan(stack)).named(name)


def issuer(stack: str) -> str:
    value: str = out(stack, cluster(stack))["oidcIssuerProfile"]["issuerURL"]
    return value


def kubelet_principal(stack: str) -> str:
    value: str = out(stack, cluster(stack))["identityProfile"]["kubeletidentity"]["objectId"]
    return value


def services_plan(change: Any, stack: str = "prod") -> Recording:
    """The whole program on Azure with ``bettafish:services`` rewritten."""
    return run_program(edited(stack_values(stack, "azure"), "bettafish:services", change), stack)


__all__ = ["IDENTITY", "config", "plan"]
