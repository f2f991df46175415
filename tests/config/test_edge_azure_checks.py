"""What Front Door cannot honour, refused on Azure before anything is registered, naming the key."""

from __future__ import annotations

from typing import Any

import pytest

from tests.config.test_loader import problems, set_path
from tests.mocks import edited, load, stack_values


def edge_values(path: list[Any], value: Any) -> dict[str, str]:
    return edited(stack_values("prod", "azure"), "bettafish:edge", set_path(path, value))


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            ["tls", "cipherSuites"],
            ["TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256", "TLS_RSA_WITH_AES_128_CBC_SHA"],
            "bettafish:edge.tls.cipherSuites: azure: a Front Door TLS policy takes only",
        ),
        (["cdn", "enabled"], False, "bettafish:edge.cdn.enabled: azure: the origin admits Front Door only"),
        (["cdn", "viewerProtocolPolicy"], "https-only", "bettafish:edge.cdn.viewerProtocolPolicy: azure:"),
        (
            ["cdn", "cachedMethods"],
            ["GET", "HEAD", "OPTIONS"],
            "bettafish:edge.cdn.cachedMethods: azure: Front Door caches GET and HEAD only, not OPTIONS",
        ),
        (["cdn", "ttl"], {"defaultSeconds": 60, "minSeconds": 0, "maxSeconds": 300}, "bettafish:edge.cdn.ttl: azure:"),
        (["cdn", "cacheDynamicContent"], True, "bettafish:edge.cdn.ttl: azure:"),
        (["cdn", "staticTtlSeconds"], 400 * 86400, "bettafish:edge.cdn.staticTtlSeconds: azure: a Front Door rule"),
        (["cdn", "originHttpsPort"], 8443, "bettafish:edge.cdn.originHttpsPort: azure: the origin"),
        (
            ["tls", "subjectAlternativeNames"],
            ["api.bettafish.example.com", "api.elsewhere.example.org"],
            "bettafish:edge.tls.subjectAlternativeNames[1]: azure: Front Door validates its managed certificates",
        ),
        (
            ["tls", "subjectAlternativeNames"],
            ["bettafish.example.com"],
            "bettafish:edge.tls.subjectAlternativeNames[0]: azure: the edge serves names under the zone",
        ),
    ],
)
def test_what_front_door_cannot_honour_is_refused_naming_the_key(path: list[Any], value: Any, expected: str) -> None:
    (issue,) = problems(edge_values(path, value))
    assert issue.startswith(expected)


def test_front_door_logs_need_log_analytics_retention() -> None:
    values = edited(
        stack_values("prod", "azure"),
        "bettafish:monitoring",
        set_path(["logRetention", "loadBalancerDays"], 14),
    )
    assert problems(values) == [
        "bettafish:monitoring.logRetention.loadBalancerDays: azure keeps these logs in a pay-as-you-go Log"
        " Analytics workspace, which retains 30 to 730 days"
    ]


def test_the_probe_interval_fits_front_door() -> None:
    values = edited(
        stack_values("prod", "azure"),
        "bettafish:services",
        set_path(["apiGateway", "healthCheck", "intervalSeconds"], 300),
    )
    assert problems(values) == [
        "bettafish:services.apiGateway.healthCheck.intervalSeconds: azure: Front Door probes origins every 1 to 255 s"
    ]


def test_both_stacks_pass_on_azure() -> None:
    for stack in ("prod", "staging"):
        load(stack_values(stack, "azure"), stack)
