"""The Pulumi program itself: an invalid config stops it before anything is registered, and the
stack outputs are the Vpc's neutral outputs."""

from __future__ import annotations

import pulumi
import pytest

from bettafish.plan import run_offline
from bettafish.program import main
from tests.mocks import Mocks, edited, run_program, stack_values


class CountingMocks(Mocks):
    def __init__(self) -> None:
        super().__init__()
        self.created = 0

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, object]]:
        self.created += 1
        return super().new_resource(args)


def test_invalid_config_raises_run_error_before_any_resource() -> None:
    values = edited(stack_values(), "bettafish:network", lambda n: {**n, "cidr": "300.0.0.0/16"})
    mocks = CountingMocks()
    with pytest.raises(pulumi.RunError, match=r"bettafish:network.cidr: '300.0.0.0/16' is not a valid IPv4 CIDR"):
        run_offline(main, project="bettafish", stack="prod", config=values, secret_keys=[], fake_cloud=mocks)
    assert mocks.created == 0


def test_stack_outputs_are_the_components_neutral_outputs() -> None:
    outputs = run_program(stack_values("prod", "aws")).outputs
    assert set(outputs) == {
        *("cloud", "networkId", "networkCidr", "zones", "publicSubnetIds", "privateSubnetIds", "databaseSubnetIds"),
        *("keyIds", "databaseWriterEndpoint", "databaseReaderEndpoints", "databasePort", "databaseName"),
        *("databaseCredentialsRef", "cacheEndpoints", "cachePort", "cacheTlsEnabled", "bucketNames", "bucketUrls"),
        *("clusterName", "clusterEndpoint", "kubeconfig", "oidcIssuerUrl", "nodePoolNames"),
        *("zoneNameServers", "originHost", "registryUrl", "internalZone"),
        *("cdnEndpoint", "cdnDistributionId", "wafPolicyId", "apiUrl"),
        *("notificationTarget", "alarmNames", "dashboard", "budgetName"),
    }
    assert outputs["kubeconfig"] == "[secret]"
    assert outputs["clusterName"] == "bettafish-prod-k8s"
    assert outputs["nodePoolNames"] == ["general", "generalspot", "compute", "computespot", "memory"]
    assert outputs["databasePort"] == 5432
    assert len(outputs["databaseReaderEndpoints"]) == 2
    assert set(outputs["keyIds"]) == {"database", "cache", "storage", "kubernetes", "logs"}
    assert set(outputs["bucketNames"]) == {"mediaContent", "reports", "logs"}
    assert outputs["networkCidr"] == "10.0.0.0/16"
    assert outputs["zones"] == ["us-east-1a", "us-east-1b", "us-east-1c"]
    assert all(len(outputs[key]) == 3 for key in ("publicSubnetIds", "privateSubnetIds", "databaseSubnetIds"))


def test_the_recording_engine_masks_secret_inputs_and_outputs() -> None:
    def program() -> None:
        token = pulumi.Config("bettafish").require_secret("redisAuthToken")
        pulumi.CustomResource("aws:ssm/parameter:Parameter", "token", {"value": token, "type": "SecureString"})
        pulumi.export("token", token)
        pulumi.export("plain", "visible")

    recording = run_offline(
        program,
        project="bettafish",
        stack="prod",
        config={"bettafish:redisAuthToken": "tok-6f1d2c"},
        secret_keys=["bettafish:redisAuthToken"],
        fake_cloud=Mocks(),
    )
    (parameter,) = recording.of_type("aws:ssm/parameter:Parameter")
    assert parameter.inputs == {"value": "[secret]", "type": "SecureString"}
    assert recording.outputs == {"token": "[secret]", "plain": "visible"}


def test_outputs_a_resource_declares_secret_stay_secret() -> None:
    import pulumi_random as random

    def program() -> None:
        password = random.RandomPassword("db", length=32, special=False)
        pulumi.CustomResource("aws:ssm/parameter:Parameter", "p", {"value": password.result, "type": "SecureString"})
        pulumi.export("password", password.result)

    recording = run_offline(program, project="bettafish", stack="prod", config={}, secret_keys=[], fake_cloud=Mocks())
    assert recording.one("aws:ssm/parameter:Parameter").inputs["value"] == "[secret]"
    assert recording.outputs == {"password": "[secret]"}
