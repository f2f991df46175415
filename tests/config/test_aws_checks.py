"""AWS config checks of the deploy-readiness work: the stateless public ACL, the logs bucket's
encryption, and the Redis token update that only AWS has."""

from __future__ import annotations

from ipaddress import IPv4Address
from typing import Any

import pytest

from bettafish.config.checks.network_aws import acl_allows
from bettafish.config.network import AclRule
from tests.config.test_loader import problems, set_path
from tests.mocks import edited, load, stack_values


def without_inbound(rule_no: int) -> Any:
    def change(network: dict[str, Any]) -> dict[str, Any]:
        acl = network["aws"]["publicAcl"]
        acl["inbound"] = [r for r in acl["inbound"] if r["ruleNo"] != rule_no]
        return network

    return change


@pytest.mark.parametrize(
    ("rule_no", "expected"),
    [
        (
            90,
            "bettafish:network.aws.publicAcl.inbound: aws network ACLs are stateless: private egress through NAT"
            " (private subnet -> NAT gateway) is dropped (tcp port 22, from 10.0.11.1)",
        ),
        (
            130,
            "bettafish:network.aws.publicAcl.inbound: aws network ACLs are stateless: replies through NAT"
            " (internet -> NAT gateway) is dropped (udp port 1024, from 203.0.113.10)",
        ),
        (
            110,
            "bettafish:network.aws.publicAcl.inbound: aws network ACLs are stateless: flow internet-to-lb is"
            " dropped (tcp port 443, from 203.0.113.10)",
        ),
    ],
)
def test_the_public_acl_must_carry_every_flow_through_the_public_subnets(rule_no: int, expected: str) -> None:
    """The ACL the stack files had before (80, 443, TCP replies) dropped NAT egress on other ports and UDP."""
    values = edited(stack_values("prod", "aws"), "bettafish:network", without_inbound(rule_no))
    assert problems(values) == [f"{expected}; add a rule that allows it"]


def test_replies_to_clients_and_load_balancer_traffic_must_leave() -> None:
    only_web = [
        {"ruleNo": 100, "protocol": "tcp", "fromPort": 443, "toPort": 443, "action": "allow", "cidr": "0.0.0.0/0"}
    ]
    values = edited(
        stack_values("prod", "aws"), "bettafish:network", set_path(["aws", "publicAcl", "outbound"], only_web)
    )
    found = problems(values)
    assert "replies of flow internet-to-lb is dropped (tcp port 1024, to 203.0.113.10)" in found[0]
    assert any("flow lb-to-app and its health checks is dropped (tcp port 8000, to 10.0.11.1)" in p for p in found)


def test_other_clouds_have_no_subnet_acl_to_check() -> None:
    values = edited(stack_values("prod", "gcp"), "bettafish:network", without_inbound(90))
    assert load(values).cloud == "gcp"


def test_the_first_matching_rule_decides() -> None:
    rules = [
        AclRule.model_validate(
            {"ruleNo": 10, "protocol": "tcp", "fromPort": 22, "toPort": 22, "action": "deny", "cidr": "0.0.0.0/0"}
        ),
        AclRule.model_validate({"ruleNo": 20, "protocol": "all", "action": "allow", "cidr": "0.0.0.0/0"}),
    ]
    assert not acl_allows(rules, "tcp", 22, IPv4Address("10.0.11.1"))
    assert acl_allows(rules, "udp", 22, IPv4Address("10.0.11.1"))
    assert not acl_allows(rules[:1], "tcp", 443, IPv4Address("10.0.11.1"))  # nothing matches: denied


def test_aws_logs_bucket_must_stay_sse_s3() -> None:
    """S3 does not deliver server access logs into a bucket whose default encryption is SSE-KMS."""
    values = edited(
        stack_values("prod", "aws"), "bettafish:storage", set_path(["buckets", "logs", "encryption"], "customerManaged")
    )
    assert problems(values) == [
        "bettafish:storage.buckets.logs.encryption: aws S3 delivers server access logs only into a bucket whose"
        " default encryption is SSE-S3 (providerManaged), not SSE-KMS"
    ]


@pytest.mark.parametrize("cloud", ["gcp", "azure"])
def test_only_aws_has_a_static_redis_token_to_set(cloud: str) -> None:
    values = edited(stack_values("prod", cloud), "bettafish:cache", set_path(["authTokenUpdate"], "set"))
    assert problems(values) == [
        f"bettafish:cache.authTokenUpdate: {cloud} issues its own Redis credentials: there is no static token"
        " to set; leave rotate"
    ]


def test_aws_takes_both_steps_of_a_rotation() -> None:
    values = edited(stack_values("prod", "aws"), "bettafish:cache", set_path(["authTokenUpdate"], "set"))
    assert load(values).cache.auth_token_update == "set"
