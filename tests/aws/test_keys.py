"""AWS Keys: a rotated KMS key and alias per purpose, a DR-region database key, the account's own policy."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from bettafish.plan import RecordedResource, Recording, run_offline
from bettafish.plan.fake_cloud import ACCOUNT_ID
from bettafish.plan.fake_cloud.constraints import CloudRefusalError
from components.keys import KEY_PURPOSES
from tests.constraints import violations_aws
from tests.mocks import Mocks, edited, run_program, run_stack, stack_values

PREFIX = {"prod": "bettafish-prod-keys", "staging": "bettafish-staging-keys"}
KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "aws")


def keys(stack: str) -> dict[str, RecordedResource]:
    """The Keys component's keys (the public zone's DNSSEC key is tested with the zone)."""
    return {
        k.name.removeprefix(f"{PREFIX[stack]}-"): k
        for k in plan(stack).of_type(KEY)
        if k.name.startswith(PREFIX[stack])
    }


@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_one_key_and_alias_per_purpose(stack: str) -> None:
    expected = set(KEY_PURPOSES) | ({"database-dr", "storage-dr"} if stack == "prod" else set())
    assert set(keys(stack)) == expected
    aliases = {
        a.inputs["name"]: a.inputs["targetKeyId"]
        for a in plan(stack).of_type(ALIAS)
        if a.name.startswith(PREFIX[stack])
    }
    assert aliases == {f"alias/{PREFIX[stack]}-{purpose}": key.id for purpose, key in keys(stack).items()}
    for purpose, key in keys(stack).items():
        assert key.inputs["tags"]["purpose"] == purpose.removesuffix("-dr")
        assert key.inputs["keyUsage"] == "ENCRYPT_DECRYPT"
        assert key.inputs["customerMasterKeySpec"] == "SYMMETRIC_DEFAULT"


@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_every_key_rotates_and_waits_the_full_window_before_deletion(stack: str) -> None:
    """Rule 29 (CKV_AWS_7): rotation on, every encryption.keyRotationDays; 30-day deletion window."""
    for key in keys(stack).values():
        assert key.inputs["enableKeyRotation"] is True, key.name
        assert key.inputs["rotationPeriodInDays"] == 90, key.name
        assert key.inputs["deletionWindowInDays"] == 30, key.name
        assert key.inputs["isEnabled"] is True


def statements(key: RecordedResource) -> list[dict[str, Any]]:
    return list(json.loads(key.inputs["policy"])["Statement"])


@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_the_account_administers_every_key_and_nothing_is_open_to_anyone(stack: str) -> None:
    for name, key in keys(stack).items():
        first, *others = statements(key)
        assert first["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}, name
        assert first["Action"] == "kms:*"
        assert "*" not in json.dumps([s["Principal"] for s in statements(key)]), name
        assert key.inputs["bypassPolicyLockoutSafetyCheck"] is False
        # Only the logs key (CloudWatch Logs) and the kubernetes key (EC2 Auto Scaling's
        # service-linked role, for node volumes) let a service use it as itself.
        assert bool(others) is (name in ("logs", "kubernetes")), name


@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_cloudwatch_logs_may_use_the_logs_key_for_our_log_groups_only(stack: str) -> None:
    """Rule 39: CloudWatch Logs reads only the key policy (IAM delegation does not count), and only
    for the log groups the encryption context names; before, every key had the account statement
    alone and the log groups could not have been encrypted."""
    (_, service, alarms) = statements(keys(stack)["logs"])
    assert alarms["Principal"] == {"Service": "cloudwatch.amazonaws.com"}  # alarms to the encrypted topics
    assert alarms["Action"] == ["kms:Decrypt", "kms:GenerateDataKey*"]
    assert service["Principal"] == {"Service": "logs.us-east-1.amazonaws.com"}
    assert {"kms:Encrypt*", "kms:Decrypt*", "kms:GenerateDataKey*"} <= set(service["Action"])
    log_group = f"arn:aws:logs:us-east-1:{ACCOUNT_ID}:log-group:"
    assert service["Condition"] == {
        "ArnLike": {
            "kms:EncryptionContext:aws:logs:arn": [
                f"{log_group}/bettafish/*",
                f"{log_group}/aws/rds/instance/*",
                f"{log_group}/aws/eks/*",
                f"{log_group}aws-waf-logs-*",
                f"{log_group}/aws/containerinsights/*",
            ]
        }
    }


def test_a_log_group_the_key_policy_does_not_name_is_refused() -> None:
    """The constraint reads the patterns: the key serves CloudWatch Logs, but for other log groups."""
    with pytest.raises(CloudRefusalError) as refused:
        run_offline(
            violations_aws.log_group_outside_the_keys_log_groups,
            project="p",
            stack="s",
            config={},
            secret_keys=[],
            fake_cloud=Mocks(),
        )
    assert refused.value.constraint.id == "aws-logs-key-policy"


def test_hsm_and_software_protection_give_the_same_hsm_backed_keys() -> None:
    """Rule 40: AWS KMS keeps every symmetric key in FIPS-validated HSMs; protectionLevel changes nothing."""
    values = edited(stack_values("prod", "aws"), "bettafish:encryption", lambda e: {**e, "protectionLevel": "software"})
    software = {k.name: k.inputs for k in run_program(values).of_type(KEY)}
    assert software == {k.name: k.inputs for k in plan("prod").of_type(KEY)}


def test_the_dr_database_key_lives_in_the_dr_region() -> None:
    dr = keys("prod")["database-dr"]
    assert dr.inputs["region"] == "us-west-2"
    (alias,) = [a for a in plan("prod").of_type(ALIAS) if a.inputs["targetKeyId"] == dr.id]
    assert alias.inputs["region"] == "us-west-2"
    for purpose in KEY_PURPOSES:
        assert "region" not in keys("prod")[purpose].inputs  # the stack's region


@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_key_ids_are_the_arns_of_the_purpose_keys(stack: str) -> None:
    arns = {p: f"arn:aws:kms:us-east-1:{ACCOUNT_ID}:key/{keys(stack)[p].id}" for p in KEY_PURPOSES}
    assert plan(stack).outputs["keyIds"] == arns


@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_keys_are_protected_in_prod_only(stack: str) -> None:
    """Rule 32: a mistaken destroy cannot schedule a prod key for deletion."""
    assert all(key.protect is (stack == "prod") for key in keys(stack).values())
