"""Contract of the edge (CDN, WAF, certificate, the API's names) and of operations (logs, alarms,
notifications, budget, disaster-recovery copies) on every cloud."""

from __future__ import annotations

from bettafish.config import StackConfig
from bettafish.plan import Recording
from components import Cdn, CdnArgs, DeployContext, Operations, OperationsArgs
from tests.contract.platform import cdn_args, operations_args, platform
from tests.contract.suite import ComponentContract
from tests.mocks import load, stack_values


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
        return operations_args(config, context)

    def test_every_configured_alarm_exists(self, built: Recording, cloud: str, stack: str) -> None:
        config = load(stack_values(stack, cloud), stack)
        names = " ".join(built.outputs["alarm_names"])
        for alarm in config.monitoring.alarms:
            assert alarm.name in names, alarm.name
