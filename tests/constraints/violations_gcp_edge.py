"""Registrations of the edge's GCP resources that the real APIs refuse: one small program per
constraint id of ``constraints.gcp_edge``, each satisfying every row but the one it violates."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pulumi
import pulumi_gcp as gcp

from tests.constraints.violations_gcp import enabled

CERTIFICATE_API = "certificatemanager.googleapis.com"
ANY_IP = {"versioned_expr": "SRC_IPS_V1", "config": {"src_ip_ranges": ["*"]}}


def authorization(opts: pulumi.ResourceOptions | None = None) -> gcp.certificatemanager.DnsAuthorization:
    return gcp.certificatemanager.DnsAuthorization(
        "auth", location="global", domain="example.com", opts=opts or enabled(CERTIFICATE_API)
    )


def internet_backend(**args: Any) -> None:
    neg = gcp.compute.GlobalNetworkEndpointGroup("origin", network_endpoint_type="INTERNET_FQDN_PORT", default_port=443)
    gcp.compute.BackendService(
        "edge",
        **{"protocol": "HTTPS", "load_balancing_scheme": "EXTERNAL_MANAGED", "backends": [{"group": neg.id}], **args},
    )


def policy(rule: dict[str, Any], policy_type: str = "CLOUD_ARMOR") -> None:
    gcp.compute.SecurityPolicy("policy", type=policy_type, rules=[{"priority": 1000, **rule}])


def throttle(count: int, interval: int) -> None:
    options = {
        "conform_action": "allow",
        "exceed_action": "deny(429)",
        "enforce_on_key": "IP",
        "rate_limit_threshold": {"count": count, "interval_sec": interval},
    }
    policy({"action": "throttle", "match": ANY_IP, "rate_limit_options": options})


def wildcard_without_authorization() -> None:
    gcp.certificatemanager.Certificate(
        "cert", location="global", managed={"domains": ["*.example.com"]}, opts=enabled(CERTIFICATE_API)
    )


SIX_REGIONS = " || ".join(f"origin.region_code == '{c}'" for c in ("AA", "BB", "CC", "DD", "EE", "FF"))

VIOLATIONS: dict[str, Callable[[], None]] = {
    "gcp-api-certificatemanager-enabled": lambda: authorization(pulumi.ResourceOptions()),
    "gcp-internet-neg-no-health-check": partial(internet_backend, health_checks="projects/p/global/healthChecks/hc"),
    "gcp-cdn-ttl-per-cache-mode": partial(
        internet_backend, enable_cdn=True, cdn_policy={"cache_mode": "USE_ORIGIN_HEADERS", "default_ttl": 0}
    ),
    "gcp-armor-edge-policy-rules": partial(
        policy,
        {"action": "deny(403)", "match": {"expr": {"expression": "evaluatePreconfiguredWaf('sqli-v33-stable')"}}},
        "CLOUD_ARMOR_EDGE",
    ),
    "gcp-armor-rate-threshold": partial(throttle, 2000, 500),
    "gcp-armor-expression-subexpressions": partial(
        policy, {"action": "deny(403)", "match": {"expr": {"expression": SIX_REGIONS}}}
    ),
    "gcp-certificate-wildcard-dns-authorization": wildcard_without_authorization,
}
