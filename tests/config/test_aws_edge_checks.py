"""What CloudFront, AWS WAF and ACM cannot honour in ``bettafish:edge`` is refused on AWS, naming the
key, and only on AWS."""

from __future__ import annotations

from typing import Any

import pytest

from tests.config.test_loader import problems, set_path
from tests.mocks import edited, load, stack_values


def aws_edge(path: list[Any], value: Any, section: str = "edge", cloud: str = "aws") -> dict[str, str]:
    return edited(stack_values("prod", cloud), f"bettafish:{section}", set_path(path, value))


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            ["cdn", "allowedMethods"],
            ["GET", "HEAD", "POST"],
            "bettafish:edge.cdn.allowedMethods: aws: CloudFront takes [GET, HEAD], [GET, HEAD, OPTIONS] or all seven"
            " methods",
        ),
        (
            ["cdn", "cachedMethods"],
            ["GET"],
            "bettafish:edge.cdn.cachedMethods: aws: CloudFront caches [GET, HEAD] or [GET, HEAD, OPTIONS]",
        ),
        (
            ["cdn", "originTlsProtocols"],
            ["TLSv1.2", "TLSv1.3"],
            "bettafish:edge.cdn.originTlsProtocols: aws: CloudFront's origin protocol list takes SSLv3, TLSv1,"
            " TLSv1.1, TLSv1.2, not TLSv1.3",
        ),
        (
            ["cdn", "geoRestriction"],
            {"type": "allowlist", "locations": []},
            "bettafish:edge.cdn.geoRestriction.locations: aws: CloudFront needs locations for an allowlist or a"
            " blocklist, and none without one",
        ),
        (
            ["cdn", "enabled"],
            False,
            "bettafish:edge.cdn.enabled: aws: the API is served through CloudFront only (its WAF, its certificate;"
            " the load balancer admits CloudFront alone): set true",
        ),
        (
            ["cdn", "originHttpsPort"],
            8443,
            "bettafish:edge.cdn.originHttpsPort: aws: the API's load balancer listens for CloudFront on 443 only",
        ),
        (
            ["waf", "enabled"],
            False,
            "bettafish:edge.waf.enabled: aws: CloudFront always has its WAFv2 web ACL (security rule 28): set true",
        ),
        (
            ["waf", "ratePerFiveMinutes"],
            3_000_000_000,
            "bettafish:edge.waf.ratePerFiveMinutes: aws: a WAFv2 rate-based rule counts 10 to 2000000000 requests"
            " per window",
        ),
        (
            ["tls", "subjectAlternativeNames"],
            ["api.bettafish.example.com", "www.example.org"],
            "bettafish:edge.tls.subjectAlternativeNames[1]: aws: ACM validates www.example.org in the zone"
            " bettafish.example.com, which it lies outside",
        ),
        (
            ["tls", "subjectAlternativeNames"],
            [f"n{i}.bettafish.example.com" for i in range(9)],
            "bettafish:edge.tls.subjectAlternativeNames: aws: an ACM certificate holds 10 names, and the CDN's"
            " would hold 11 (api, the public records and these)",
        ),
    ],
)
def test_what_aws_cannot_honour_is_refused_naming_the_key(path: list[Any], value: Any, expected: str) -> None:
    assert problems(aws_edge(path, value)) == [expected]


def test_the_same_settings_are_not_judged_on_another_cloud() -> None:
    load(aws_edge(["cdn", "originTlsProtocols"], ["TLSv1.2", "TLSv1.3"], cloud="gcp"))


def test_the_load_balancer_retention_must_be_one_cloudwatch_offers() -> None:
    values = aws_edge(["logRetention", "loadBalancerDays"], 100, section="monitoring")
    (issue,) = problems(values)
    assert issue.startswith("bettafish:monitoring.logRetention.loadBalancerDays: aws: the WAF's CloudWatch log group")


def test_the_internet_flow_must_open_the_origin_port() -> None:
    values = edited(
        stack_values("prod", "aws"),
        "bettafish:network",
        lambda network: {
            **network,
            "flows": [f | {"ports": [80]} if f["name"] == "internet-to-lb" else f for f in network["flows"]],
        },
    )
    assert problems(values) == [
        "bettafish:network.flows[0].ports: aws: CloudFront reaches the load balancer on 443, which this flow must open"
    ]


def test_the_logs_bucket_keeps_the_load_balancers_logs_as_long_as_the_retention_asks() -> None:
    logs = {"versioning": True, "expireDays": 30, "encryption": "providerManaged"}
    assert problems(aws_edge(["buckets", "logs"], logs, section="storage")) == [
        "bettafish:storage.buckets.logs.expireDays: aws: the load balancer's access logs live in the logs bucket,"
        " which must keep them monitoring.logRetention.loadBalancerDays (90) at least"
    ]
