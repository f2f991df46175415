"""Azure Operations built on its own from a stack file, over the platform below it and the real Front
Door edge (the contract suite's ``operations_args``)."""

from __future__ import annotations

from functools import cache
from typing import Any

import pulumi

from bettafish.plan import RecordedResource, Recording, run_offline
from components import DeployContext, Operations
from providers.azure.operations import AzureOperations
from tests.contract.platform import operations_args
from tests.mocks import Mocks, build_component, load


@cache
def built(stack: str) -> Recording:
    return build_component(Operations, operations_args, cloud="azure", stack=stack)


def built_from(values: dict[str, str], stack: str = "prod") -> Recording:
    """Operations from edited config values (``tests.mocks.edited``), built afresh."""
    config = load(values, stack)
    context = DeployContext(config.identity, config.cloud, config.provider, config.protect_stateful)

    def program() -> None:
        ops = AzureOperations(f"test-{stack}", operations_args(config, context))
        pulumi.export("budget_name", ops.budget_name)

    return run_offline(program, project="bettafish", stack=stack, config={}, secret_keys=[], fake_cloud=Mocks())


def of_type(stack: str, token: str) -> list[RecordedResource]:
    return built(stack).of_type(f"azure-native:{token}")


def alert(stack: str, rule: str) -> RecordedResource:
    (found,) = [r for r in of_type(stack, "monitor:MetricAlert") if r.inputs["ruleName"] == rule]
    return found


def criterion(resource: RecordedResource) -> dict[str, Any]:
    (only,) = resource.inputs["criteria"]["allOf"]
    return dict(only)


def profile_id(stack: str) -> str:
    """The Front Door profile's ARM id, which the edge alerts and charts watch."""
    (profile,) = of_type(stack, "cdn:Profile")
    return profile.id
