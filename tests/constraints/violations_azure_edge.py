"""Azure Front Door registrations the real APIs refuse: one small program per constraint id. Each starts
from a bare resource that breaks nothing and adds only the refused setting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pulumi_azure_native import cdn, frontdoor

PREMIUM = {"name": "Premium_AzureFrontDoor"}
DRS = {"rule_set_type": "Microsoft_DefaultRuleSet", "rule_set_version": "2.1", "rule_set_action": "Block"}
EVERY_REQUEST = {
    "match_variable": "RequestHeader",
    "selector": "Host",
    "operator": "GreaterThanOrEqual",
    "match_value": ["0"],
}


def _waf(name: str = "waf", **inputs: Any) -> frontdoor.Policy:
    return frontdoor.Policy(name, resource_group_name="rg", **{"policy_name": "waf", "sku": PREMIUM, **inputs})


def _rate_rule(**rule: Any) -> dict[str, Any]:
    return {
        "name": "ratelimit",
        "priority": 1,
        "rule_type": "RateLimitRule",
        "rate_limit_threshold": 1000,
        "action": "Block",
        **rule,
    }


def waf_name_with_a_hyphen() -> None:
    _waf(policy_name="edge-waf")


def managed_rules_on_standard() -> None:
    _waf(sku={"name": "Standard_AzureFrontDoor"}, managed_rules={"managed_rule_sets": [DRS]})


def rate_limit_over_ten_minutes() -> None:
    rule = _rate_rule(rate_limit_duration_in_minutes=10, match_conditions=[EVERY_REQUEST])
    _waf(custom_rules={"rules": [rule]})


def rate_limit_without_a_condition() -> None:
    _waf(custom_rules={"rules": [_rate_rule(rate_limit_duration_in_minutes=5, match_conditions=[])]})


def _profile() -> cdn.Profile:
    return cdn.Profile("fd", profile_name="fd", resource_group_name="rg", location="global", sku=PREMIUM)


def route_before_its_origin() -> None:
    profile = _profile()
    group = cdn.AFDOriginGroup("og", origin_group_name="og", profile_name=profile.name, resource_group_name="rg")
    cdn.AFDOrigin(
        "o",
        origin_name="o",
        origin_group_name=group.name,
        profile_name=profile.name,
        resource_group_name="rg",
        host_name="origin.example.com",
    )
    # No depends_on the origin: Front Door may create the route first.
    cdn.Route(
        "r",
        route_name="r",
        endpoint_name="e",
        profile_name=profile.name,
        resource_group_name="rg",
        origin_group={"id": group.id},
    )


def rule_set_name_with_a_hyphen() -> None:
    cdn.RuleSet("rs", rule_set_name="static-content", profile_name="fd", resource_group_name="rg")


def rule_name_with_a_hyphen() -> None:
    cdn.Rule(
        "rule",
        rule_name="cache-ttl",
        rule_set_name="rs",
        profile_name="fd",
        resource_group_name="rg",
        order=1,
        actions=[],
    )


def custom_domain_on_tls_1_0() -> None:
    cdn.AFDCustomDomain(
        "d",
        custom_domain_name="api",
        host_name="api.example.com",
        profile_name="fd",
        resource_group_name="rg",
        tls_settings={"certificate_type": "ManagedCertificate", "minimum_tls_version": "TLS10"},
    )


def _security_policy(waf: frontdoor.Policy, patterns: list[str]) -> None:
    cdn.SecurityPolicy(
        "sp",
        security_policy_name="waf",
        profile_name="fd",
        resource_group_name="rg",
        parameters={
            "type": "WebApplicationFirewall",
            "waf_policy": {"id": waf.id},
            "associations": [{"domains": [{"id": "/d"}], "patterns_to_match": patterns}],
        },
    )


def waf_on_the_api_path_only() -> None:
    _security_policy(_waf(), ["/api/*"])


def standard_waf_on_a_premium_profile() -> None:
    _profile()
    _security_policy(_waf(sku={"name": "Standard_AzureFrontDoor"}), ["/*"])


VIOLATIONS: dict[str, Callable[[], None]] = {
    "azure-frontdoor-waf-policy-name": waf_name_with_a_hyphen,
    "azure-frontdoor-waf-managed-rules-premium": managed_rules_on_standard,
    "azure-frontdoor-rate-limit-window": rate_limit_over_ten_minutes,
    "azure-frontdoor-rate-limit-match-condition": rate_limit_without_a_condition,
    "azure-afd-route-needs-an-origin": route_before_its_origin,
    "azure-afd-rule-set-name": rule_set_name_with_a_hyphen,
    "azure-afd-rule-name": rule_name_with_a_hyphen,
    "azure-afd-custom-domain-min-tls": custom_domain_on_tls_1_0,
    "azure-afd-waf-association-paths": waf_on_the_api_path_only,
    "azure-afd-waf-tier-matches-profile": standard_waf_on_a_premium_profile,
}
