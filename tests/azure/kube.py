"""The AKS cluster as recorded from the real program run offline on Azure (one run per stack, shared
with the data-tier tests), and helpers to read it."""

from __future__ import annotations

from typing import Any

from bettafish.plan import RecordedResource, Recording
from tests.azure.stacks import children, computed, config, named, of_type, plan
from tests.mocks import edited, run_program, stack_values

CLUSTER = "azure-native:containerservice:ManagedCluster"
AGENT_POOL = "azure-native:containerservice:AgentPool"
DES = "azure-native:compute:DiskEncryptionSet"
WORKSPACE = "azure-native:operationalinsights:Workspace"
DIAGNOSTICS = "azure-native:monitor:DiagnosticSetting"
MAINTENANCE = "azure-native:containerservice:MaintenanceConfiguration"
RULE = "azure-native:network:SecurityRule"
NSG = "azure-native:network:NetworkSecurityGroup"
CONFIG_MAP = "kubernetes:core/v1:ConfigMap"
STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"
K8S_PROVIDER = "pulumi:providers:kubernetes"

NETWORK_CONTRIBUTOR = "4d97b98b-1d4f-4787-a291-c67834d212e7"
CRYPTO_USER = "12338af0-0e69-4776-bea7-57ae8d297424"
VAULT_CONTRIBUTOR = "f25e0fa2-a7c8-4377-a976-54943a77a395"
AKS_RBAC_CLUSTER_ADMIN = "b1ff04bb-8a4e-4dc4-8eb5-8693973ce19b"
AKS_CLUSTER_USER = "4abbcc35-e782-43d8-92c5-2d3f1bd2253f"
DEPLOYER = "33333333-3333-4333-8333-333333333333"
"""The deployer's object id as the fake cloud's getClientConfig answers it."""


def k8s(stack: str, suffix: str) -> RecordedResource:
    """A child of the cluster component by its suffix (``cluster``, ``general1``, ``disks``...)."""
    return named(stack, "k8s", suffix)


def cluster(stack: str) -> RecordedResource:
    return k8s(stack, "cluster")


def cluster_inputs(stack: str) -> dict[str, Any]:
    return cluster(stack).inputs


def pools(stack: str) -> dict[str, dict[str, Any]]:
    """Every agent pool by AKS name, the inline System pool included, with its inputs."""
    found = {p["name"]: p for p in cluster_inputs(stack)["agentPoolProfiles"]}
    for pool in of_type(stack, "k8s", AGENT_POOL):
        found[pool.inputs["agentPoolName"]] = pool.inputs
    return found


def grants(stack: str) -> list[RecordedResource]:
    return of_type(stack, "k8s", "azure-native:authorization:RoleAssignment")


def out(stack: str, resource: RecordedResource) -> dict[str, Any]:
    """The resource's outputs as the fake cloud computes them."""
    return computed(resource)


def vpc_child(stack: str, suffix: str) -> RecordedResource:
    return named(stack, "net", suffix)


def key(stack: str) -> RecordedResource:
    return named(stack, "keys", "kubernetes")


def edited_plan(change: Any, stack: str = "prod", key_name: str = "bettafish:kubernetes") -> Recording:
    """The whole program on Azure with one config value rewritten."""
    return run_program(edited(stack_values(stack, "azure"), key_name, change), stack)


__all__ = ["children", "config", "plan"]
