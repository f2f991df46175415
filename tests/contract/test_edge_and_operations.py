"""Contract of the edge (CDN, WAF, certificate, the API's names) and of operations (logs, alarms,
notifications, budget, disaster-recovery copies) on every cloud."""

from __future__ import annotations

from bettafish.config import StackConfig
from bettafish.plan import Recording
from components import Cdn, CdnArgs, DeployContext, Operations, OperationsArgs
from providers import implementation
from tests.contract.platform import Platform, platform, workloads
from tests.contract.suite import ComponentContract
from tests.mocks import load, stack_values


def cdn_args(config: StackConfig, context: DeployContext, below: Platform) -> CdnArgs:
    return CdnArgs(
        edge=config.edge,
        dns=below.dns,
        workloads=workloads(config, context, below),
        health_check=config.services.api_gateway.health_check,
        keys=below.keys,
        store=below.store,
        log_retention_days=config.monitoring.log_retention.load_balancer_days,
        context=context,
    )


class TestCdnContract(ComponentContract):
    component = Cdn
    stateful = {
        # The edge's address (the API's records point at it) and its log bucket.
        "gcp": frozenset(
            {"gcp:compute/globalAddress:GlobalAddress", "gcp:logging/projectBucketConfig:ProjectBucketConfig"}
        ),
    }

    @staticmethod
    def make_args(config: StackConfig, context: DeployContext) -> CdnArgs:
        return cdn_args(config, context, platform(config, context))

    def test_the_api_is_served_over_https_on_the_zones_api_name(self, built: Recording, cloud: str, stack: str) -> None:
        zone = load(stack_values(stack, cloud), stack).edge.dns.zone_name
        assert built.outputs["api_url"] == f"https://api.{zone}"


class TestOperationsContract(ComponentContract):
    component = Operations

    @staticmethod
    def make_args(config: StackConfig, context: DeployContext) -> OperationsArgs:
        below = platform(config, context)
        edge_args = cdn_args(config, context, below)
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
            workloads=edge_args.workloads,
            cdn=implementation(config.cloud, Cdn)("dep-edge", edge_args),
            context=context,
        )

    def test_every_configured_alarm_exists(self, built: Recording, cloud: str, stack: str) -> None:
        config = load(stack_values(stack, cloud), stack)
        names = " ".join(built.outputs["alarm_names"])
        for alarm in config.monitoring.alarms:
            assert alarm.name in names, alarm.name
