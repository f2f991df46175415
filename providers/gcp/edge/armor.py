"""Cloud Armor: the WAF on the edge's backend services, the geo restriction at the edge, and the
lock on the origin that lets only the edge in.

- ``waf_policy`` (type ``CLOUD_ARMOR``, a backend policy): Google's preconfigured OWASP rules
  (``evaluatePreconfiguredWaf`` on the ModSecurity CRS 3.3 sets), a per-client throttle from
  ``edge.waf.ratePerFiveMinutes`` and a default allow. ``edge.waf.mode: detection`` puts every rule
  in preview: Cloud Armor logs what it would have done and lets the request through. A backend policy
  sees cache misses only (Cloud CDN answers hits before it): the only cached paths are the static
  ones (``STATIC_PATHS``), and every API request reaches it.
- ``geo_policy`` (type ``CLOUD_ARMOR_EDGE``), only for ``edge.cdn.geoRestriction`` other than none:
  edge policies run before the cache, so cache hits are filtered too; they take IP and region
  matches, not the WAF's rules.
- ``origin_lock``: a backend policy for the origin's own load balancer (GKE Ingress) that allows
  only requests carrying the edge's secret header and denies the rest, so nobody reaches the API
  past the edge and its WAF by calling ``origin.<zone>``.

Rule expressions take at most five subexpressions each (Cloud Armor's rule language), hence the
region codes in groups of five.
"""

from __future__ import annotations

from collections.abc import Iterator

import pulumi
import pulumi_gcp as gcp

from bettafish.config.edge import Edge
from components.base import NeutralComponent
from providers.gcp.firewall import gcp_name

DEFAULT_PRIORITY = 2147483647
"""The default rule's priority: every policy has one, matching ``*``."""
OWASP_RULE_SETS: tuple[str, ...] = (
    "sqli-v33-stable",
    "xss-v33-stable",
    "lfi-v33-stable",
    "rfi-v33-stable",
    "rce-v33-stable",
    "methodenforcement-v33-stable",
    "scannerdetection-v33-stable",
    "protocolattack-v33-stable",
    "sessionfixation-v33-stable",
    "cve-canary",
)
"""Cloud Armor's preconfigured WAF rules for the OWASP Top 10 (ModSecurity CRS 3.3) and the Log4j
canary: https://cloud.google.com/armor/docs/waf-rules."""
OWASP_SENSITIVITY = 1
"""Paranoia level 1: the CRS rules with the fewest false positives, as Google recommends to start."""
RATE_INTERVAL_SECONDS = 300
"""Five minutes, one of the intervals Cloud Armor accepts (10 s to 3600 s, listed values)."""
THROTTLE_MAX = 1_000_000
"""The largest ``rateLimitThreshold.count`` of a throttle rule."""
EDGE_HEADER = "X-BettaFish-Edge"
"""The header the edge adds to every request it sends to the origin; its value is a secret."""
ALLOW, DENY_403, DENY_429 = "allow", "deny(403)", "deny(429)"
_GROUP = 5


def _any_ip() -> dict[str, object]:
    return {"versioned_expr": "SRC_IPS_V1", "config": {"src_ip_ranges": ["*"]}}


def _default(action: str) -> gcp.compute.SecurityPolicyRuleArgs:
    return gcp.compute.SecurityPolicyRuleArgs(
        action=action, priority=DEFAULT_PRIORITY, match=_any_ip(), description="Default rule"
    )


def waf_rules(edge: Edge) -> list[gcp.compute.SecurityPolicyRuleArgs]:
    """The OWASP rules (priorities 1000...), the throttle (2000) and the default allow."""
    preview = edge.waf.mode == "detection"
    rules = [
        gcp.compute.SecurityPolicyRuleArgs(
            action=DENY_403,
            priority=1000 + i,
            preview=preview,
            match={
                "expr": {"expression": f"evaluatePreconfiguredWaf('{name}', {{'sensitivity': {OWASP_SENSITIVITY}}})"}
            },
            description=f"OWASP: {name}",
        )
        for i, name in enumerate(OWASP_RULE_SETS)
    ]
    rules.append(
        gcp.compute.SecurityPolicyRuleArgs(
            action="throttle",
            priority=2000,
            preview=preview,
            match=_any_ip(),
            rate_limit_options={
                "conform_action": ALLOW,
                "exceed_action": DENY_429,
                "enforce_on_key": "IP",
                "rate_limit_threshold": {
                    "count": edge.waf.rate_per_five_minutes,
                    "interval_sec": RATE_INTERVAL_SECONDS,
                },
            },
            description=f"At most {edge.waf.rate_per_five_minutes} requests per client in five minutes",
        )
    )
    rules.append(_default(ALLOW))
    return rules


def waf_policy(
    parent: NeutralComponent, name: str, *, project: str, edge: Edge, opts: pulumi.ResourceOptions
) -> gcp.compute.SecurityPolicy:
    return gcp.compute.SecurityPolicy(
        gcp_name(name, "waf"),
        project=project,
        type="CLOUD_ARMOR",
        description=f"BettaFish edge WAF ({edge.waf.mode})",
        rules=waf_rules(edge),
        labels=parent.context.tags("edge"),
        opts=opts,
    )


def _region_groups(codes: list[str]) -> Iterator[str]:
    for start in range(0, len(codes), _GROUP):
        yield " || ".join(f"origin.region_code == '{code}'" for code in codes[start : start + _GROUP])


def geo_rules(edge: Edge) -> list[gcp.compute.SecurityPolicyRuleArgs]:
    """Allowlist: allow the listed regions, deny the rest; blocklist: deny them, allow the rest."""
    geo = edge.cdn.geo_restriction
    listed, other = (ALLOW, DENY_403) if geo.type == "allowlist" else (DENY_403, ALLOW)
    rules = [
        gcp.compute.SecurityPolicyRuleArgs(
            action=listed, priority=1000 + i, match={"expr": {"expression": expression}}, description=f"Geo {geo.type}"
        )
        for i, expression in enumerate(_region_groups(sorted(geo.locations)))
    ]
    return [*rules, _default(other)]


def geo_policy(
    parent: NeutralComponent, name: str, *, project: str, edge: Edge, opts: pulumi.ResourceOptions
) -> gcp.compute.SecurityPolicy | None:
    if edge.cdn.geo_restriction.type == "none":
        return None
    return gcp.compute.SecurityPolicy(
        gcp_name(name, "geo"),
        project=project,
        type="CLOUD_ARMOR_EDGE",
        description=f"BettaFish edge geo restriction ({edge.cdn.geo_restriction.type})",
        rules=geo_rules(edge),
        labels=parent.context.tags("edge"),
        opts=opts,
    )


def origin_lock(
    parent: NeutralComponent, name: str, *, project: str, secret: pulumi.Output[str], opts: pulumi.ResourceOptions
) -> gcp.compute.SecurityPolicy:
    """Allows the requests that carry ``EDGE_HEADER`` with ``secret``; the default denies the rest."""
    header = EDGE_HEADER.lower()
    allow = gcp.compute.SecurityPolicyRuleArgs(
        action=ALLOW,
        priority=1000,
        match={"expr": {"expression": secret.apply(lambda value: f"request.headers['{header}'] == '{value}'")}},
        description="Requests from the BettaFish edge",
    )
    return gcp.compute.SecurityPolicy(
        gcp_name(name, "origin-lock"),
        project=project,
        type="CLOUD_ARMOR",
        description="Only the BettaFish edge reaches the origin",
        rules=[allow, _default(DENY_403)],
        labels=parent.context.tags("edge"),
        opts=opts,
    )
