"""What the edge cannot do on GCP, refused at config time naming the key."""

from __future__ import annotations

from typing import Any

import pytest

from bettafish.config.checks.edge_gcp import check_gcp_edge
from tests.config.test_loader import problems, set_path
from tests.mocks import edited, load, stack_values


def gcp_edge(path: list[str], change: Any, stack: str = "prod", cloud: str = "gcp") -> list[str]:
    return problems(edited(stack_values(stack, cloud), "bettafish:edge", set_path(path, change)))


@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_both_stacks_pass(stack: str) -> None:
    assert load(stack_values(stack, "gcp"), stack).edge.cdn.enabled


def test_cloud_cdn_caches_get_and_head_only() -> None:
    assert gcp_edge(["cdn", "cachedMethods"], ["GET", "HEAD", "OPTIONS"]) == [
        "bettafish:edge.cdn.cachedMethods: Cloud CDN on gcp caches GET and HEAD only, not OPTIONS"
    ]


def test_every_method_is_forwarded() -> None:
    assert gcp_edge(["cdn", "allowedMethods"], ["GET", "HEAD", "OPTIONS", "POST", "PUT", "PATCH"]) == [
        "bettafish:edge.cdn.allowedMethods: the edge on gcp (a global external Application Load Balancer) forwards"
        " every method and has no per-method allow list: list all seven (missing DELETE)"
    ]


def test_no_minimum_ttl() -> None:
    issues = gcp_edge(["cdn", "ttl"], {"defaultSeconds": 60, "minSeconds": 30, "maxSeconds": 60})
    assert issues == ["bettafish:edge.cdn.ttl.minSeconds: Cloud CDN on gcp has no minimum TTL: set 0"]


def test_static_ttl_within_a_year() -> None:
    assert gcp_edge(["cdn", "staticTtlSeconds"], 40_000_000) == [
        "bettafish:edge.cdn.staticTtlSeconds: Cloud CDN on gcp caches at most 31622400 s (a year): 40000000"
    ]


def test_rate_within_cloud_armor_bounds() -> None:
    assert gcp_edge(["waf", "ratePerFiveMinutes"], 2_000_000) == [
        "bettafish:edge.waf.ratePerFiveMinutes: a Cloud Armor throttle on gcp counts at most 1000000 requests per"
        " interval"
    ]


def test_cipher_suites_of_the_restricted_profile() -> None:
    issues = gcp_edge(
        ["tls", "cipherSuites"], ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA"]
    )
    assert issues == [
        "bettafish:edge.tls.cipherSuites: the edge's SSL policy on gcp (RESTRICTED profile) offers only"
        " forward-secret AEAD suites, not TLS_RSA_WITH_AES_128_CBC_SHA"
    ]


def test_origin_tls_follows_the_origin_ssl_policy() -> None:
    assert gcp_edge(["cdn", "originTlsProtocols"], ["TLSv1.3"]) == [
        "bettafish:edge.cdn.originTlsProtocols: on gcp the edge reaches the origin with what the origin's SSL"
        " policy admits, TLS 1.2 or newer (edge.tls.minVersion), and cannot be held to TLSv1.3 or newer alone:"
        " raise edge.tls.minVersion or list TLSv1.2"
    ]


def test_certificate_names_inside_the_zone() -> None:
    assert gcp_edge(["tls", "subjectAlternativeNames"], ["api.bettafish.example.com", "*.example.org"]) == [
        "bettafish:edge.tls.subjectAlternativeNames[1]: on gcp the certificate is validated by DNS records in the"
        " stack's zone bettafish.example.com: *.example.org is outside it"
    ]


@pytest.mark.parametrize("cloud", ["aws", "azure"])
def test_other_clouds_are_not_judged_by_cloud_cdn(cloud: str) -> None:
    config = load(stack_values("prod", cloud))
    waf = config.edge.waf.model_copy(update={"rate_per_five_minutes": 2_000_000})
    edge = config.edge.model_copy(update={"waf": waf})
    assert list(check_gcp_edge(config.model_copy(update={"edge": edge}))) == []
