"""Front Door's WAF policy and the security policy attaching it to every domain Front Door serves.

- Tier: the policy's SKU must be the profile's (``Premium_AzureFrontDoor``); managed rule sets and
  bot protection exist on Premium only.
- Managed rules: the Default Rule Set 2.1 (OWASP-based, anomaly scoring: a request whose matched
  rules add up past the threshold gets the rule set's action, Block) and the Bot Manager rule set 1.1.
- Custom rules, in priority order: geo restriction (``edge.cdn.geoRestriction``, a GeoMatch on the
  client's address), the methods ``edge.cdn.allowedMethods`` leaves out (Front Door itself forwards
  all seven), then the rate limit: ``waf.ratePerFiveMinutes`` requests per client socket address in a
  5-minute window (Front Door counts over 1 or 5 minutes), matched on every request through the Host
  header, which every request carries.
- Mode: ``waf.mode`` (Prevention blocks, Detection only logs), request bodies inspected.
- Names: WAF policy and custom rule names take letters and digits only, starting with a letter.
"""

from __future__ import annotations

import re
from typing import Any

import pulumi
from pulumi_azure_native import cdn, frontdoor, resources

from bettafish.config.edge import Edge, HttpMethod
from components.base import NeutralComponent
from providers.azure.edge.front_door import SKU

DEFAULT_RULE_SET = ("Microsoft_DefaultRuleSet", "2.1")
BOT_RULE_SET = ("Microsoft_BotManagerRuleSet", "1.1")
RATE_WINDOW_MINUTES = 5
"""``waf.ratePerFiveMinutes`` counts over five minutes, one of Front Door's two windows."""
MODES = {"prevention": "Prevention", "detection": "Detection"}
ALL_METHODS: tuple[HttpMethod, ...] = ("GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE")
EVERY_REQUEST = {
    "match_variable": "RequestHeader",
    "selector": "Host",
    "operator": "GreaterThanOrEqual",
    "match_value": ["0"],
}
"""Front Door's documented match for "all requests": a Host header of length 0 or more."""
_NOT_ALNUM = re.compile(r"[^A-Za-z0-9]")


def waf_policy(
    parent: NeutralComponent, name: str, rg: resources.ResourceGroup, tags: dict[str, str], edge: Edge
) -> frontdoor.Policy:
    waf = edge.waf
    return frontdoor.Policy(
        f"{name}-waf",
        policy_name=policy_name(name),
        resource_group_name=rg.name,
        location="Global",
        sku={"name": SKU},
        policy_settings={
            "enabled_state": "Enabled" if waf.enabled else "Disabled",
            "mode": MODES[waf.mode],
            "request_body_check": "Enabled",
        },
        managed_rules={
            "managed_rule_sets": [
                {
                    "rule_set_type": DEFAULT_RULE_SET[0],
                    "rule_set_version": DEFAULT_RULE_SET[1],
                    "rule_set_action": "Block",
                },
                {"rule_set_type": BOT_RULE_SET[0], "rule_set_version": BOT_RULE_SET[1]},
            ]
        },
        custom_rules={"rules": custom_rules(edge)},
        tags=tags,
        opts=parent.child(),
    )


def policy_name(name: str) -> str:
    """``prod-edge`` -> ``prodedgewaf``."""
    return f"{_NOT_ALNUM.sub('', name)}waf"


def custom_rules(edge: Edge) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    geo = edge.cdn.geo_restriction
    if geo.type != "none":
        rules.append(
            _block(
                "georestriction",
                {
                    "match_variable": "RemoteAddr",
                    "operator": "GeoMatch",
                    "match_value": list(geo.locations),
                    # An allowlist blocks every other country; a blocklist the ones listed.
                    "negate_condition": geo.type == "allowlist",
                },
            )
        )
    if set(edge.cdn.allowed_methods) != set(ALL_METHODS):
        rules.append(
            _block(
                "methodsnotallowed",
                {
                    "match_variable": "RequestMethod",
                    "operator": "Equal",
                    "match_value": list(edge.cdn.allowed_methods),
                    "negate_condition": True,
                },
            )
        )
    rules.append(
        {
            "name": "ratelimit",
            "rule_type": "RateLimitRule",
            "rate_limit_duration_in_minutes": RATE_WINDOW_MINUTES,
            "rate_limit_threshold": edge.waf.rate_per_five_minutes,
            "group_by": [{"variable_name": "SocketAddr"}],
            "match_conditions": [EVERY_REQUEST],
            "action": "Block",
            "enabled_state": "Enabled",
        }
    )
    # Priorities follow the order above: 1, 2, 3 (lower runs first).
    return [{**rule, "priority": i} for i, rule in enumerate(rules, start=1)]


def _block(rule: str, condition: dict[str, Any]) -> dict[str, Any]:
    return {
        "name": rule,
        "rule_type": "MatchRule",
        "match_conditions": [condition],
        "action": "Block",
        "enabled_state": "Enabled",
    }


def attach(
    parent: NeutralComponent,
    name: str,
    rg: resources.ResourceGroup,
    profile: cdn.Profile,
    policy: frontdoor.Policy,
    domains: list[pulumi.Input[str]],
) -> cdn.SecurityPolicy:
    """The WAF on every domain (the endpoint's own and the custom ones), every path: a WAF
    association's only pattern is ``/*``."""
    return cdn.SecurityPolicy(
        f"{name}-waf-attachment",
        security_policy_name="waf",
        profile_name=profile.name,
        resource_group_name=rg.name,
        parameters={
            "type": "WebApplicationFirewall",
            "waf_policy": {"id": policy.id},
            "associations": [{"domains": [{"id": d} for d in domains], "patterns_to_match": ["/*"]}],
        },
        opts=parent.child(),
    )
