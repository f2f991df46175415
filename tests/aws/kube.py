"""Shared lookups for the AWS KubeCluster tests: the whole program's plan per stack, the cluster's
resources by role, and the policy documents they carry."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from bettafish.plan import RecordedResource, Recording
from tests.mocks import run_program, run_stack, stack_values

K8S = "bettafish:kubernetes"
STACKS = ["prod", "staging"]
CLUSTER = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
ADDON = "aws:eks/addon:Addon"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
RELEASE = "kubernetes:helm.sh/v3:Release"


def prefix(stack: str) -> str:
    return f"bettafish-{stack}-k8s"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "aws")


@cache
def plan_with(stack: str, key: str, value_json: str) -> Recording:
    """The whole program with ``bettafish:kubernetes.<key>`` set to a JSON value (cached per edit)."""
    values = stack_values(stack, "aws")
    k8s = json.loads(values[K8S])
    k8s[key] = json.loads(value_json)
    return run_program({**values, K8S: json.dumps(k8s)}, stack)


def mine(recording: Recording, stack: str, type_token: str) -> list[RecordedResource]:
    """The cluster's resources of a type (other components create roles, subnets, log groups too)."""
    return [r for r in recording.of_type(type_token) if r.name.startswith(f"{prefix(stack)}-")]


def named(recording: Recording, stack: str, suffix: str, type_token: str) -> RecordedResource:
    (found,) = [r for r in recording.of_type(type_token) if r.name == f"{prefix(stack)}-{suffix}"]
    return found


def cluster(stack: str, recording: Recording | None = None) -> RecordedResource:
    return named(recording or plan(stack), stack, "eks", CLUSTER)


def node_groups(stack: str, recording: Recording | None = None) -> dict[str, RecordedResource]:
    return {g.name.removeprefix(f"{prefix(stack)}-"): g for g in mine(recording or plan(stack), stack, NODE_GROUP)}


def addons(stack: str, recording: Recording | None = None) -> dict[str, RecordedResource]:
    return {a.inputs["addonName"]: a for a in mine(recording or plan(stack), stack, ADDON)}


def key_arn(stack: str, purpose: str) -> str:
    return str(plan(stack).outputs["keyIds"][purpose])


def by_urn(stack: str, urn: str) -> RecordedResource:
    (found,) = [r for r in plan(stack).resources if r.urn == urn]
    return found


def depends_on(resource: RecordedResource, other: RecordedResource) -> bool:
    """Whether ``resource`` waits for ``other`` (through an input or ``dependsOn``)."""
    return other.urn in resource.dependencies


def document(resource: RecordedResource, field: str = "policy") -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(resource.inputs[field])
    return parsed


def role_of(stack: str, arn: str) -> RecordedResource:
    """The role whose ARN (as the fake cloud forms it) is ``arn``."""
    (found,) = [r for r in plan(stack).of_type(ROLE) if arn.endswith(f":role/{r.id}")]
    return found


def policies_of(stack: str, role: RecordedResource) -> tuple[list[str], list[dict[str, Any]]]:
    """The managed policy ARNs attached to ``role`` and its inline policy documents."""
    managed = [a.inputs["policyArn"] for a in plan(stack).of_type(ATTACHMENT) if a.inputs["role"] == role.id]
    inline = [document(p) for p in plan(stack).of_type(ROLE_POLICY) if p.inputs["role"] == role.id]
    return managed, inline
