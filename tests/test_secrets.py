"""Neither the Redis token nor any generated database password appears in plain text in a plan
(table or JSON) or in the stack outputs, on any cloud."""

from __future__ import annotations

import pulumi
import pytest

from bettafish.plan.fake_cloud.random import random_state
from bettafish.plan.render import as_json, as_table
from tests.mocks import CLOUDS, STACKS, run_program, stack_values

TOKEN = "tok-Zx81-not-for-plans-0042"


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("stack", STACKS)
def test_secrets_never_reach_plans_or_outputs(cloud: str, stack: str) -> None:
    values = {**stack_values(stack, cloud), "bettafish:redisAuthToken": TOKEN}
    recording = run_program(values, stack, secret_keys=["bettafish:redisAuthToken"])
    generated = [
        str(random_state(pulumi.runtime.MockResourceArgs(r.type, r.name, {}, "", "", True))[1]["result"])
        for r in recording.of_type("random:index/randomPassword:RandomPassword")
    ]
    # Every cloud's database gets a generated password (kept in Secrets Manager, Secret Manager, Key Vault).
    assert generated
    shown = as_json(recording, cloud) + as_table(recording, cloud) + repr(recording.outputs)
    for secret in (TOKEN, *generated):
        assert secret not in shown
    assert "[secret]" in as_json(recording, cloud)
