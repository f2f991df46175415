"""AWS config checks of the services and the edge's DNS: what the ALB, ACM, Route 53 and ECR refuse
(the flows and the public zone are checked on every cloud: test_workloads_checks)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.config.test_loader import problems, set_path
from tests.mocks import edited, stack_values


@pytest.mark.parametrize(
    ("field", "value", "bounds"),
    [
        ("healthyThreshold", 1, "2 to 10"),
        ("unhealthyThreshold", 1, "2 to 10"),
        ("intervalSeconds", 301, "5 to 300"),
        ("timeoutSeconds", 1, "2 to 120"),
    ],
)
def test_the_gateways_health_check_must_fit_an_alb_target_group(field: str, value: int, bounds: str) -> None:
    values = edited(
        stack_values("prod", "aws"), "bettafish:services", set_path(["apiGateway", "healthCheck", field], value)
    )
    assert problems(values) == [
        f"bettafish:services.apiGateway.healthCheck.{field}: aws: the ALB's target group takes {bounds}, not {value}"
    ]


def test_the_ingress_needs_the_load_balancer_controller() -> None:
    def without(k8s: dict[str, Any]) -> dict[str, Any]:
        k8s["addons"] = [a for a in k8s["addons"] if a != "loadBalancerController"]
        return k8s

    assert problems(edited(stack_values("prod", "aws"), "bettafish:kubernetes", without)) == [
        "bettafish:kubernetes.addons: aws: the API gateway's Ingress (class alb) needs the AWS Load Balancer"
        " Controller: add loadBalancerController"
    ]


def test_the_origin_name_must_fit_acms_64_characters() -> None:
    zone = "a" * 50 + ".example.com"

    def long_zone(edge: dict[str, Any]) -> dict[str, Any]:
        edge["dns"]["zoneName"] = zone
        edge["tls"]["subjectAlternativeNames"] = [f"api.{zone}"]
        return edge

    assert problems(edited(stack_values("prod", "aws"), "bettafish:edge", long_zone)) == [
        "bettafish:edge.dns.zoneName: aws: ACM takes at most 64 characters in a certificate's first name, and"
        f" origin.{zone} has 69"
    ]


def test_internal_records_need_a_ttl() -> None:
    def no_ttl(edge: dict[str, Any]) -> dict[str, Any]:
        for record in edge["dns"]["records"]:
            if record["name"] == "db.internal":
                del record["ttlSeconds"]
        return edge

    values = edited(stack_values("staging", "aws"), "bettafish:edge", no_ttl)
    assert problems(values) == [
        "bettafish:edge.dns.records[3].ttlSeconds: aws: the record is a CNAME in the private Route 53 zone,"
        " which needs a TTL"
    ]


def test_ecr_repository_names_include_the_stack_prefix() -> None:
    repository = "bettafish/" + "a" * 240
    values = edited(
        stack_values("prod", "aws"), "bettafish:services", set_path(["reportEngine", "image", "repository"], repository)
    )
    (problem,) = problems(values)
    assert problem.startswith("bettafish:services.reportEngine.image.repository: aws: the ECR repository")
    assert "is 265 characters, ECR takes 256 (the stack prefix bettafish-prod/ included)" in problem


def test_the_registry_keeps_untagged_images_at_least_a_day() -> None:
    values = {**stack_values("prod", "aws"), "bettafish:registry": '{"untaggedExpiryDays": 0}'}
    (problem,) = problems(values)
    assert problem.startswith("bettafish:registry.untaggedExpiryDays:")
