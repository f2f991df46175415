"""Azure: what Front Door and its WAF refuse (see the package docstring): names, the WAF policy's tier,
rate-limit rules, a route on an empty origin group, old TLS on a custom domain, and the WAF
association's paths."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bettafish.plan.fake_cloud.constraints import Constraint, Refuses, registered, upstream, value

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

WAF_POLICY = "azure-native:frontdoor:Policy"
PROFILE = "azure-native:cdn:Profile"
ORIGIN = "azure-native:cdn:AFDOrigin"
ROUTE = "azure-native:cdn:Route"
RULE_SET = "azure-native:cdn:RuleSet"
RULE = "azure-native:cdn:Rule"
CUSTOM_DOMAIN = "azure-native:cdn:AFDCustomDomain"
SECURITY_POLICY = "azure-native:cdn:SecurityPolicy"
PREMIUM = "Premium_AzureFrontDoor"
RATE_WINDOWS = (1, 5)
_LETTERS_AND_DIGITS = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,127}$")
_RULES_NAME = re.compile(r"^[A-Za-z][A-Za-z0-9]{0,259}$")
WAF_DOCS = "https://learn.microsoft.com/azure/web-application-firewall/afds"


def _named_badly(key: str, pattern: re.Pattern[str]) -> Refuses:
    def refuses(resource: RecordedResource, _: Sequence[RecordedResource]) -> bool:
        name = resource.inputs.get(key)
        return isinstance(name, str) and not pattern.match(name)

    return refuses


def _managed_rules_below_premium(policy: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    managed = value(policy.inputs, "managedRules.managedRuleSets") or []
    return bool(managed) and value(policy.inputs, "sku.name") != PREMIUM


def _rate_rules(policy: RecordedResource) -> list[dict[str, Any]]:
    rules = value(policy.inputs, "customRules.rules") or []
    return [r for r in rules if r.get("ruleType") == "RateLimitRule"]


def _rate_window(policy: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    return any(r.get("rateLimitDurationInMinutes", 1) not in RATE_WINDOWS for r in _rate_rules(policy))


def _rate_without_condition(policy: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    return any(not r.get("matchConditions") for r in _rate_rules(policy))


def _route_on_empty_group(route: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """The route's origin group has no origin the route waits for (Front Door checks when it creates it)."""
    group = value(route.inputs, "originGroup.id")
    if not isinstance(group, str):
        return False
    return not any(o.id.startswith(f"{group}/origins/") for o in upstream(route, before) if o.type == ORIGIN)


def _old_tls(domain: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    old: bool = value(domain.inputs, "tlsSettings.minimumTlsVersion") == "TLS10"
    return old


def _waf_on_some_paths(policy: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    associations = value(policy.inputs, "parameters.associations") or []
    return any(a.get("patternsToMatch") != ["/*"] for a in associations)


def _waf_tier_differs(policy: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    waf_id = value(policy.inputs, "parameters.wafPolicy.id")
    profile_name = policy.inputs.get("profileName")
    wafs = [w for w in registered(before, WAF_POLICY) if w.id == waf_id]
    profiles = [p for p in registered(before, PROFILE) if p.id.endswith(f"/profiles/{profile_name}")]
    return any(value(w.inputs, "sku.name") != value(p.inputs, "sku.name") for w in wafs for p in profiles)


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="azure-frontdoor-waf-policy-name",
        type=WAF_POLICY,
        refuses=_named_badly("policyName", _LETTERS_AND_DIGITS),
        error="The policy name must begin with a letter and contain only letters and numbers",
        doc="https://learn.microsoft.com/azure/templates/microsoft.network/frontdoorwebapplicationfirewallpolicies",
    ),
    Constraint(
        id="azure-frontdoor-waf-managed-rules-premium",
        type=WAF_POLICY,
        refuses=_managed_rules_below_premium,
        error="Managed rule sets (Default Rule Set, Bot Manager) are available on Premium_AzureFrontDoor only",
        doc="https://learn.microsoft.com/azure/frontdoor/standard-premium/tier-comparison",
    ),
    Constraint(
        id="azure-frontdoor-rate-limit-window",
        type=WAF_POLICY,
        refuses=_rate_window,
        error="rateLimitDurationInMinutes must be 1 or 5",
        doc=f"{WAF_DOCS}/waf-front-door-rate-limit",
    ),
    Constraint(
        id="azure-frontdoor-rate-limit-match-condition",
        type=WAF_POLICY,
        refuses=_rate_without_condition,
        error="A rate limit rule must specify at least one match condition",
        doc=f"{WAF_DOCS}/waf-front-door-rate-limit",
    ),
    Constraint(
        id="azure-afd-route-needs-an-origin",
        type=ROUTE,
        refuses=_route_on_empty_group,
        error=(
            "BadRequest: Please make sure that the originGroup is created successfully and at least one enabled"
            " origin is created under the origin group."
        ),
        doc="https://github.com/Azure/bicep-types-az/issues/1923",
    ),
    Constraint(
        id="azure-afd-rule-set-name",
        type=RULE_SET,
        refuses=_named_badly("ruleSetName", _RULES_NAME),
        error="A rule set name must start with a letter and contain only letters and numbers",
        doc="https://learn.microsoft.com/azure/frontdoor/front-door-rules-engine",
    ),
    Constraint(
        id="azure-afd-rule-name",
        type=RULE,
        refuses=_named_badly("ruleName", _RULES_NAME),
        error="A rule name must start with a letter and contain only letters and numbers",
        doc="https://learn.microsoft.com/azure/frontdoor/front-door-rules-engine",
    ),
    Constraint(
        id="azure-afd-custom-domain-min-tls",
        type=CUSTOM_DOMAIN,
        refuses=_old_tls,
        error="TLS 1.0 and 1.1 minimum versions are disallowed on Azure Front Door since March 1, 2025",
        doc="https://learn.microsoft.com/azure/frontdoor/standard-premium/tls-policy",
    ),
    Constraint(
        id="azure-afd-waf-association-paths",
        type=SECURITY_POLICY,
        refuses=_waf_on_some_paths,
        error="A WAF security policy applies to whole domains: its association's patternsToMatch must be ['/*']",
        doc="https://learn.microsoft.com/azure/templates/microsoft.cdn/profiles/securitypolicies",
    ),
    Constraint(
        id="azure-afd-waf-tier-matches-profile",
        type=SECURITY_POLICY,
        refuses=_waf_tier_differs,
        error="The WAF policy's SKU must match the Front Door profile's tier",
        doc=f"{WAF_DOCS}/afds-overview",
    ),
)
