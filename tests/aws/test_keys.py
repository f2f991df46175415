"""AWS Keys: a rotated KMS key and alias per purpose, a DR-region database key, the account's own policy."""

from __future__ import annotations

import json
from functools import cache

import pytest

from bettafish.plan import RecordedResource, Recording
from bettafish.plan.fake_cloud import ACCOUNT_ID
from components.keys import KEY_PURPOSES
from tests.mocks import run_stack

PREFIX = {"prod": "bettafish-prod-keys", "staging": "bettafish-staging-keys"}
KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "aws")


def keys(stack: str) -> dict[str, RecordedResource]:
    return {k.name.removeprefix(f"{PREFIX[stack]}-"): k for k in plan(stack).of_type(KEY)}


@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_one_key_and_alias_per_purpose(stack: str) -> None:
    expected = set(KEY_PURPOSES) | ({"database-dr"} if stack == "prod" else set())
    assert set(keys(stack)) == expected
    aliases = {a.inputs["name"]: a.inputs["targetKeyId"] for a in plan(stack).of_type(ALIAS)}
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


def test_key_policy_lets_only_this_account_administer() -> None:
    for purpose, key in keys("prod").items():
        policy = json.loads(key.inputs["policy"])
        principals = [s["Principal"] for s in policy["Statement"]]
        assert principals[0] == {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}, key.name
        # The kubernetes key also names EC2 Auto Scaling's service-linked role (tests/aws/test_kube_cluster.py).
        assert purpose == "kubernetes" or len(principals) == 1, key.name
        assert all(p["AWS"].startswith(f"arn:aws:iam::{ACCOUNT_ID}:") for p in principals), key.name
        assert "*" not in json.dumps(principals)
        assert key.inputs["bypassPolicyLockoutSafetyCheck"] is False


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
