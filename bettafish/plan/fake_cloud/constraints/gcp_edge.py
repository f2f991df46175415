"""GCP resources of the edge: what Cloud CDN, Cloud Armor, internet network endpoint groups and
Certificate Manager refuse that the SDK's types allow."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bettafish.plan.fake_cloud.constraints import Constraint, registered, value
from bettafish.plan.fake_cloud.constraints.gcp import api_rows

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

BACKEND_SERVICE = "gcp:compute/backendService:BackendService"
ARMOR_POLICY = "gcp:compute/securityPolicy:SecurityPolicy"
NEG = "gcp:compute/globalNetworkEndpointGroup:GlobalNetworkEndpointGroup"
AUTHORIZATION = "gcp:certificatemanager/dnsAuthorization:DnsAuthorization"
CERTIFICATE = "gcp:certificatemanager/certificate:Certificate"
RATE_INTERVALS = (10, 30, 60, 120, 180, 240, 300, 600, 900, 1200, 1800, 2700, 3600)
"""The ``rateLimitThreshold.intervalSec`` values Cloud Armor accepts."""
THROTTLE_MAX, BAN_MAX = 1_000_000, 10_000
SUBEXPRESSIONS_MAX = 5
_TTL_FIELDS = ("defaultTtl", "maxTtl", "clientTtl")
_DOC_TTL = "https://cloud.google.com/cdn/docs/using-ttl-overrides"
_DOC_RATE = "https://cloud.google.com/armor/docs/rate-limiting-overview"


def _internet_neg_ids(before: Sequence[RecordedResource]) -> set[str]:
    return {
        n.id for n in registered(before, NEG) if str(n.inputs.get("networkEndpointType", "")).startswith("INTERNET")
    }


def _health_checked_internet_neg(backend: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    negs = _internet_neg_ids(before)
    internet = any(b.get("group") in negs for b in backend.inputs.get("backends", []))
    return internet and bool(backend.inputs.get("healthChecks"))


def _ttl_against_cache_mode(backend: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    policy: dict[str, Any] = backend.inputs.get("cdnPolicy") or {}
    mode = policy.get("cacheMode", "CACHE_ALL_STATIC")
    if mode == "USE_ORIGIN_HEADERS":
        return any(policy.get(f) is not None for f in _TTL_FIELDS)
    if mode == "FORCE_CACHE_ALL":
        return policy.get("maxTtl") is not None
    return False


def _rules(policy: RecordedResource) -> list[dict[str, Any]]:
    return list(policy.inputs.get("rules") or [])


def _edge_policy_with_waf_rules(policy: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    if policy.inputs.get("type") != "CLOUD_ARMOR_EDGE":
        return False
    return any(
        "evaluatePreconfiguredWaf" in str(value(r, "match.expr.expression", "")) or r.get("rateLimitOptions")
        for r in _rules(policy)
    )


def _bad_rate_threshold(policy: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    for rule in _rules(policy):
        threshold = value(rule, "rateLimitOptions.rateLimitThreshold")
        if not threshold:
            continue
        most = BAN_MAX if rule.get("action") == "rate_based_ban" else THROTTLE_MAX
        count, interval = threshold.get("count", 0), threshold.get("intervalSec", 0)
        if interval not in RATE_INTERVALS or not 1 <= count <= most:
            return True
    return False


def _too_many_subexpressions(policy: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    for rule in _rules(policy):
        expression = str(value(rule, "match.expr.expression", ""))
        if expression and len(re.findall(r"\|\||&&", expression)) + 1 > SUBEXPRESSIONS_MAX:
            return True
    return False


def _wildcard_without_dns_authorization(cert: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    managed: dict[str, Any] = cert.inputs.get("managed") or {}
    wildcard = any(str(d).startswith("*.") for d in managed.get("domains", []))
    return wildcard and not managed.get("dnsAuthorizations")


CONSTRAINTS: tuple[Constraint, ...] = (
    *api_rows({AUTHORIZATION: "certificatemanager.googleapis.com"}),
    Constraint(
        id="gcp-internet-neg-no-health-check",
        type=BACKEND_SERVICE,
        refuses=_health_checked_internet_neg,
        error="Invalid value for field 'resource.healthChecks': health checks are not supported for backend"
        " services with internet network endpoint group backends",
        doc="https://cloud.google.com/load-balancing/docs/negs/internet-neg-concepts",
    ),
    Constraint(
        id="gcp-cdn-ttl-per-cache-mode",
        type=BACKEND_SERVICE,
        refuses=_ttl_against_cache_mode,
        error="Invalid value for field 'resource.cdnPolicy': USE_ORIGIN_HEADERS takes no default, max or client"
        " TTL, and FORCE_CACHE_ALL takes no max TTL",
        doc=_DOC_TTL,
    ),
    Constraint(
        id="gcp-armor-edge-policy-rules",
        type=ARMOR_POLICY,
        refuses=_edge_policy_with_waf_rules,
        error="Edge security policies support only IP address and region-code matches: preconfigured WAF rules"
        " and rate limiting need a backend security policy (type CLOUD_ARMOR)",
        doc="https://cloud.google.com/armor/docs/security-policy-overview#edge-policies",
    ),
    Constraint(
        id="gcp-armor-rate-threshold",
        type=ARMOR_POLICY,
        refuses=_bad_rate_threshold,
        error="Invalid value for field 'resource.rules[].rateLimitOptions.rateLimitThreshold': intervalSec must"
        " be one of 10, 30, 60, 120, 180, 240, 300, 600, 900, 1200, 1800, 2700 or 3600 and count between 1 and"
        " 1,000,000 (10,000 for a rate-based ban)",
        doc=_DOC_RATE,
    ),
    Constraint(
        id="gcp-armor-expression-subexpressions",
        type=ARMOR_POLICY,
        refuses=_too_many_subexpressions,
        error="Each expression of a Cloud Armor rule takes at most five subexpressions",
        doc="https://cloud.google.com/armor/docs/rules-language-reference",
    ),
    Constraint(
        id="gcp-certificate-wildcard-dns-authorization",
        type=CERTIFICATE,
        refuses=_wildcard_without_dns_authorization,
        error="Wildcard domain names are supported only with DNS authorization: a load balancer authorization"
        " cannot prove control of *.<domain>",
        doc="https://cloud.google.com/certificate-manager/docs/domain-authorization",
    ),
)
