"""Shared lookups for the AWS Dns and Workloads tests: the whole program's plan per stack (and in
another region), the two components' resources by name, and their policy documents."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

from bettafish.config import StackConfig
from bettafish.plan import RecordedResource, Recording
from tests.mocks import load, run_program, run_stack, stack_values

STACKS = ["prod", "staging"]
ZONE = "aws:route53/zone:Zone"
RECORD = "aws:route53/record:Record"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
ASSOCIATION = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
REPOSITORY = "aws:ecr/repository:Repository"


def apps(stack: str) -> str:
    return f"bettafish-{stack}-apps"


def dns(stack: str) -> str:
    return f"bettafish-{stack}-dns"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "aws")


@cache
def config(stack: str) -> StackConfig:
    return load(stack_values(stack, "aws"), stack)


@cache
def plan_in(region: str) -> Recording:
    """Prod in another region (the ALB's hosted zone and the stack's resources follow it; Route 53's
    DNSSEC key does not)."""
    values = {**stack_values("prod", "aws"), "aws:region": region}
    zones = json.loads(values["bettafish:network"])
    zones["zones"]["aws"] = [f"{region}{letter}" for letter in "abc"]
    values["bettafish:network"] = json.dumps(zones)
    return run_program(values, "prod")


def named(recording: Recording, name: str, type_token: str) -> RecordedResource:
    (found,) = [r for r in recording.of_type(type_token) if r.name == name]
    return found


def by_urn(recording: Recording, urn: str) -> RecordedResource:
    (found,) = [r for r in recording.resources if r.urn == urn]
    return found


def document(resource: RecordedResource, field: str = "policy") -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(resource.inputs[field])
    return parsed


def public_zone(stack: str, recording: Recording | None = None) -> RecordedResource:
    return named(recording or plan(stack), f"{dns(stack)}-zone", ZONE)
