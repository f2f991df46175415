"""The recording engine: every resource option reaches the record, and the offline plan is
deterministic (no clock, no randomness outside pulumi_random's fake)."""

from __future__ import annotations

import pulumi
import pytest

from bettafish.plan import run_offline
from bettafish.plan.render import as_json
from tests.mocks import CLOUDS, STACKS, Mocks, run_program, run_stack, stack_values


def test_every_resource_option_is_recorded() -> None:
    def program() -> None:
        first = pulumi.CustomResource("aws:ssm/parameter:Parameter", "first", {"value": "a"})
        provider = pulumi.ProviderResource("aws", "east", {"region": "us-east-1"})
        pulumi.CustomResource(
            "aws:ssm/parameter:Parameter",
            "second",
            {"value": first.id},
            opts=pulumi.ResourceOptions(
                protect=True,
                ignore_changes=["value"],
                replace_on_changes=["type"],
                delete_before_replace=True,
                retain_on_delete=True,
                depends_on=[first],
                provider=provider,
                aliases=[pulumi.Alias(name="old-second")],
                custom_timeouts=pulumi.CustomTimeouts(create="30m"),
                additional_secret_outputs=["value"],
                deleted_with=first,
            ),
        )

    recording = run_offline(program, project="p", stack="s", config={}, secret_keys=[], fake_cloud=Mocks())
    second = recording.named("second")
    first_urn = recording.named("first").urn
    assert second.protect is True
    assert second.options["ignoreChanges"] == ["value"]
    assert second.options["replaceOnChanges"] == ["type"]
    assert second.options["deleteBeforeReplace"] is True
    assert second.options["retainOnDelete"] is True
    assert "dependsOn" not in second.options  # ``first`` is also an input dependency: not told apart
    assert first_urn in second.dependencies
    assert second.options["provider"].startswith(recording.named("east").urn)
    assert second.options["aliases"] == [{"name": "old-second"}]
    assert second.options["customTimeouts"] == {"create": "30m"}
    assert second.options["additionalSecretOutputs"] == ["value"]
    assert second.options["deletedWith"] == first_urn
    assert recording.named("first").options == {}


def test_explicit_depends_on_is_told_apart_from_input_dependencies() -> None:
    def program() -> None:
        first = pulumi.CustomResource("aws:ssm/parameter:Parameter", "first", {"value": "a"})
        pulumi.CustomResource(
            "aws:ssm/parameter:Parameter", "second", {"value": "b"}, opts=pulumi.ResourceOptions(depends_on=[first])
        )

    recording = run_offline(program, project="p", stack="s", config={}, secret_keys=[], fake_cloud=Mocks())
    assert recording.named("second").options == {"dependsOn": [recording.named("first").urn]}


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("stack", STACKS)
def test_the_plan_is_byte_identical_across_runs(stack: str, cloud: str) -> None:
    again = run_program(stack_values(stack, cloud), stack)
    assert as_json(again, cloud) == as_json(run_stack(stack, cloud), cloud)
