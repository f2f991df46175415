"""Azure Operations built on its own from a stack file, over the platform below it and a Front Door
test double (the edge lands separately): the double registers the ARM ids Front Door has."""

from __future__ import annotations

from functools import cache
from typing import Any

import pulumi

from bettafish.config import StackConfig
from bettafish.plan import RecordedResource, Recording, run_offline
from bettafish.plan.fake_cloud import SUBSCRIPTION_ID
from components import Cdn, CdnArgs, DeployContext, Operations, OperationsArgs
from providers.azure.operations import AzureOperations
from tests.contract.platform import platform, workloads
from tests.mocks import Mocks, build_component, load

EDGE_GROUP = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/bettafish-edge-rg"
PROFILE_ID = f"{EDGE_GROUP}/providers/Microsoft.Cdn/profiles/bettafish-edge-fd"
WAF_POLICY_ID = f"{EDGE_GROUP}/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/bettafishwaf"


class FrontDoorDouble(Cdn):
    """The contract's outputs as Azure forms them: the profile's and the WAF policy's ARM ids."""

    def __init__(self, name: str, args: CdnArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        zone = args.edge.dns.zone_name
        self._publish(
            endpoint=pulumi.Output.from_input("bettafish-api-a1b2c3d4e5f6g7h8.z01.azurefd.net"),
            distribution_id=pulumi.Output.from_input(PROFILE_ID),
            waf_policy_id=pulumi.Output.from_input(WAF_POLICY_ID),
            api_url=pulumi.Output.from_input(f"https://api.{zone}"),
        )


def operations_args(config: StackConfig, context: DeployContext) -> OperationsArgs:
    below = platform(config, context)
    apps = workloads(config, context, below)
    edge = CdnArgs(
        edge=config.edge,
        dns=below.dns,
        workloads=apps,
        health_check=config.services.api_gateway.health_check,
        keys=below.keys,
        store=below.store,
        log_retention_days=config.monitoring.log_retention.load_balancer_days,
        context=context,
    )
    return OperationsArgs(
        monitoring=config.monitoring,
        budget=config.budget,
        disaster_recovery=config.disaster_recovery,
        dr_region=config.database.cross_region_copy.target(config.cloud),
        vpc=below.vpc,
        keys=below.keys,
        cluster=below.cluster,
        database=below.database,
        cache=below.cache,
        store=below.store,
        workloads=apps,
        cdn=FrontDoorDouble("dep-edge", edge),
        context=context,
    )


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
