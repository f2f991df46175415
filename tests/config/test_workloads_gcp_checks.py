"""What the services' ingress and internal names need on GCP, refused before anything is registered."""

from __future__ import annotations

from typing import Any

import pytest

from tests.config.test_loader import problems, set_path
from tests.mocks import edited, load, stack_values


def gcp_values(key: str, change: Any) -> dict[str, str]:
    return edited(stack_values("prod", "gcp"), key, change)


def test_the_origin_name_fits_a_managed_certificate() -> None:
    zone = "a-rather-long-department-name.bettafish-analytics.example.com"  # origin.<zone>: 68 characters

    def move(edge: dict[str, Any]) -> dict[str, Any]:
        edge["dns"]["zoneName"] = zone
        edge["tls"]["subjectAlternativeNames"] = [f"api.{zone}"]
        return edge

    issues = problems(gcp_values("bettafish:edge", move))
    assert issues == [
        f"bettafish:edge.dns.zoneName: the gateway's certificate on gcp is a GKE ManagedCertificate, whose"
        f" domains take at most 63 characters: origin.{zone} has 68"
    ]


def test_the_load_balancer_must_reach_the_gateway_s_own_port() -> None:
    issues = problems(gcp_values("bettafish:services", set_path(["apiGateway", "port"], 8080)))
    assert issues == [
        "bettafish:services.apiGateway.port: on gcp the load balancer and its health checks reach the gateway's"
        " pods on their own port (container-native load balancing): add 8080 to a flow from loadBalancer to"
        " application"
    ]


def test_internal_records_need_a_ttl() -> None:
    def drop_ttl(edge: dict[str, Any]) -> dict[str, Any]:
        edge["dns"]["records"][3].pop("ttlSeconds")
        return edge

    issues = problems(gcp_values("bettafish:edge", drop_ttl))
    assert issues == [
        "bettafish:edge.dns.records[3].ttlSeconds: the internal records are A records on gcp (the data services'"
        " endpoints are IP addresses), which carry a TTL: set ttlSeconds"
    ]


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_other_clouds_are_not_held_to_it(cloud: str) -> None:
    values = edited(stack_values("prod", cloud), "bettafish:services", set_path(["apiGateway", "port"], 8080))
    assert load(values).services.api_gateway.port == 8080
