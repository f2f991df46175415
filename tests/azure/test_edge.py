"""The edge on Azure: Front Door Premium in front of the API gateway's origin, its routes and caching,
the custom domains with managed certificates validated in the stack's zone, the records pointing at
the endpoint, the WAF attached to every domain, its logs, and security rules 27 and 28."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pytest

from bettafish.plan import RecordedResource, Recording
from bettafish.plan.fake_cloud.common import SUBSCRIPTION_ID
from bettafish.policy.offline import stack_of
from tests.azure.stacks import DIAGNOSTICS, STACKS, computed, config, named, of_type, plan
from tests.mocks import edited, run_program, stack_values
from tests.policy.fixtures import violations

PROFILE = "azure-native:cdn:Profile"
ROUTE = "azure-native:cdn:Route"
DOMAIN = "azure-native:cdn:AFDCustomDomain"
WAF = "azure-native:frontdoor:Policy"
SECURITY_POLICY = "azure-native:cdn:SecurityPolicy"
RECORD = "azure-native:dns:RecordSet"
WORKSPACE = "azure-native:operationalinsights:Workspace"
GROUP = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/[^/]+"


def edge(stack: str, suffix: str) -> RecordedResource:
    return named(stack, "edge", suffix)


def one(stack: str, type_token: str) -> RecordedResource:
    (found,) = of_type(stack, "edge", type_token)
    return found


def zone(stack: str) -> str:
    return config(stack).edge.dns.zone_name


@cache
def edited_edge(key: str, value: str) -> Recording:
    """The prod program with ``bettafish:edge`` changed at ``key`` (``waf.mode``) to ``value`` (JSON)."""

    def change(edge: dict[str, Any]) -> dict[str, Any]:
        section, field = key.split(".")
        edge[section][field] = json.loads(value)
        return edge

    return run_program(edited(stack_values("prod", "azure"), "bettafish:edge", change), "prod")


def waf_rules(recording: Recording) -> dict[str, dict[str, Any]]:
    (waf,) = recording.of_type(WAF)
    return {r["name"]: r for r in waf.inputs["customRules"]["rules"]}


@pytest.mark.parametrize("stack", STACKS)
def test_the_outputs_are_the_profile_the_waf_policy_and_the_endpoint_as_azure_forms_them(stack: str) -> None:
    outputs = plan(stack).outputs
    profile, waf, endpoint = one(stack, PROFILE), one(stack, WAF), edge(stack, "endpoint")
    assert profile.inputs["sku"] == {"name": "Premium_AzureFrontDoor"}
    assert outputs["cdnDistributionId"] == profile.id
    assert re.fullmatch(f"{GROUP}/providers/Microsoft.Cdn/profiles/[^/]+", profile.id)
    assert outputs["wafPolicyId"] == waf.id
    assert re.fullmatch(
        f"{GROUP}/providers/Microsoft.Network/frontDoorWebApplicationFirewallPolicies/[A-Za-z0-9]+", waf.id
    )
    assert outputs["cdnEndpoint"] == computed(endpoint)["hostName"]
    assert re.fullmatch(rf"bettafish-{stack}-edge-[a-z2-7]{{16}}\.z01\.azurefd\.net", outputs["cdnEndpoint"])
    assert outputs["apiUrl"] == f"https://api.{zone(stack)}"


@pytest.mark.parametrize("stack", STACKS)
def test_the_origin_is_the_gateway_over_https_with_its_name_checked(stack: str) -> None:
    cdn, origin_host = config(stack).edge.cdn, plan(stack).outputs["originHost"]
    origin = edge(stack, "origin")
    assert (origin.inputs["hostName"], origin.inputs["originHostHeader"]) == (origin_host, origin_host)
    assert origin.inputs["httpsPort"] == cdn.origin_https_port == 443
    assert origin.inputs["enforceCertificateNameCheck"] is True
    check = config(stack).services.api_gateway.health_check
    group = edge(stack, "origins")
    assert group.inputs["healthProbeSettings"] == {
        "probePath": check.path,
        "probeProtocol": "Https",
        "probeRequestType": "GET",
        "probeIntervalInSeconds": check.interval_seconds,
    }
    balancing = group.inputs["loadBalancingSettings"]
    assert balancing["sampleSize"] - balancing["successfulSamplesRequired"] + 1 == check.unhealthy_threshold
    assert balancing["successfulSamplesRequired"] == check.healthy_threshold


@pytest.mark.parametrize("stack", STACKS)
def test_viewers_are_redirected_to_https_and_the_origin_is_reached_over_https(stack: str) -> None:
    routes = {r.inputs["routeName"]: r for r in of_type(stack, "edge", ROUTE)}
    assert set(routes) == {"api", "static"}
    domains = [{"id": d.id} for d in of_type(stack, "edge", DOMAIN)]
    for route in routes.values():
        assert route.inputs["httpsRedirect"] == "Enabled"
        assert route.inputs["supportedProtocols"] == ["Http", "Https"]
        assert route.inputs["forwardingProtocol"] == "HttpsOnly"
        assert route.inputs["originGroup"] == {"id": edge(stack, "origins").id}
        assert route.inputs["customDomains"] == domains
        # Front Door refuses a route whose group has no origin yet.
        assert edge(stack, "origin").urn in route.dependencies


@pytest.mark.parametrize("stack", STACKS)
def test_the_api_is_never_cached_and_static_content_is_cached_for_the_static_ttl(stack: str) -> None:
    cdn = config(stack).edge.cdn
    api, static = edge(stack, "api-route"), edge(stack, "static-route")
    assert api.inputs["patternsToMatch"] == ["/*"]
    assert "cacheConfiguration" not in api.inputs
    assert "ruleSets" not in api.inputs
    assert static.inputs["patternsToMatch"] == ["/static/*"]
    assert static.inputs["cacheConfiguration"]["queryStringCachingBehavior"] == "UseQueryString"
    assert static.inputs["cacheConfiguration"]["compressionSettings"]["isCompressionEnabled"] is cdn.compress
    assert static.inputs["ruleSets"] == [{"id": edge(stack, "static-rules").id}]
    (action,) = edge(stack, "static-ttl").inputs["actions"]
    assert action["name"] == "RouteConfigurationOverride"
    assert action["parameters"]["cacheConfiguration"] == {
        "cacheBehavior": "OverrideAlways",
        "cacheDuration": "1.00:00:00",
        "queryStringCachingBehavior": "UseQueryString",
        "isCompressionEnabled": "Enabled",
    }
    assert cdn.static_ttl_seconds == 86400


@pytest.mark.parametrize("stack", STACKS)
def test_each_served_name_has_a_managed_certificate_on_tls_1_2_with_the_configured_suites(stack: str) -> None:
    domains = {d.inputs["hostName"]: d for d in of_type(stack, "edge", DOMAIN)}
    assert sorted(domains) == [f"api.{zone(stack)}", f"cdn.{zone(stack)}"]
    dns_zone = named(stack, "dns", "zone")
    for domain in domains.values():
        assert domain.inputs["azureDnsZone"] == {"id": dns_zone.id}
        assert domain.inputs["tlsSettings"] == {
            "certificateType": "ManagedCertificate",
            "minimumTlsVersion": "TLS12",
            "cipherSuiteSetType": "Customized",
            "customizedCipherSuiteSet": {
                "cipherSuiteSetForTls12": ["ECDHE_RSA_AES256_GCM_SHA384", "ECDHE_RSA_AES128_GCM_SHA256"],
                "cipherSuiteSetForTls13": ["TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"],
            },
        }


@pytest.mark.parametrize("stack", STACKS)
def test_the_zone_holds_the_validation_tokens_and_the_names_point_at_the_endpoint(stack: str) -> None:
    records = {(r.inputs["relativeRecordSetName"], r.inputs["recordType"]): r for r in of_type(stack, "edge", RECORD)}
    host = plan(stack).outputs["cdnEndpoint"]
    dns = config(stack).edge.dns
    for name in ("api", "cdn"):
        domain = edge(stack, f"domain-{name}")
        token = computed(domain)["validationProperties"]["validationToken"]
        txt = records[(f"_dnsauth.{name}", "TXT")]
        assert txt.inputs["txtRecords"] == [{"value": [token]}]
        assert txt.inputs["ttl"] == dns.record_ttl_seconds
        cname = records[(name, "CNAME")]
        assert cname.inputs["cnameRecord"] == {"cname": host}
        assert cname.inputs["zoneName"] == dns.zone_name
    # The api record follows the platform's record TTL; cdn has its own in edge.dns.records.
    assert records[("api", "CNAME")].inputs["ttl"] == dns.record_ttl_seconds
    assert records[("cdn", "CNAME")].inputs["ttl"] == 300


@pytest.mark.parametrize("stack", STACKS)
def test_the_waf_blocks_with_the_default_and_bot_rule_sets_and_rate_limits_per_five_minutes(stack: str) -> None:
    waf = one(stack, WAF)
    assert waf.inputs["sku"] == {"name": "Premium_AzureFrontDoor"}
    assert waf.inputs["policySettings"] == {
        "enabledState": "Enabled",
        "mode": "Prevention",
        "requestBodyCheck": "Enabled",
    }
    assert waf.inputs["managedRules"]["managedRuleSets"] == [
        {"ruleSetType": "Microsoft_DefaultRuleSet", "ruleSetVersion": "2.1", "ruleSetAction": "Block"},
        {"ruleSetType": "Microsoft_BotManagerRuleSet", "ruleSetVersion": "1.1"},
    ]
    assert list(waf_rules(plan(stack))) == ["ratelimit"]  # no geo restriction, all seven methods
    rate = waf_rules(plan(stack))["ratelimit"]
    assert (rate["ruleType"], rate["rateLimitDurationInMinutes"], rate["rateLimitThreshold"], rate["action"]) == (
        "RateLimitRule",
        5,
        config(stack).edge.waf.rate_per_five_minutes,
        "Block",
    )


def test_detection_mode_only_logs() -> None:
    (waf,) = edited_edge("waf.mode", '"detection"').of_type(WAF)
    assert waf.inputs["policySettings"]["mode"] == "Detection"


@pytest.mark.parametrize(("kind", "negate"), [("allowlist", True), ("blocklist", False)])
def test_geo_restriction_is_a_geo_match_on_the_client_address(kind: str, negate: bool) -> None:
    rules = waf_rules(edited_edge("cdn.geoRestriction", json.dumps({"type": kind, "locations": ["FR", "DE"]})))
    assert list(rules) == ["georestriction", "ratelimit"]
    assert rules["georestriction"]["matchConditions"] == [
        {"matchVariable": "RemoteAddr", "operator": "GeoMatch", "matchValue": ["FR", "DE"], "negateCondition": negate}
    ]
    assert (rules["georestriction"]["action"], rules["georestriction"]["priority"]) == ("Block", 1)


def test_methods_outside_allowed_methods_are_blocked_by_the_waf() -> None:
    rules = waf_rules(edited_edge("cdn.allowedMethods", '["GET", "HEAD", "POST"]'))
    assert rules["methodsnotallowed"]["matchConditions"] == [
        {
            "matchVariable": "RequestMethod",
            "operator": "Equal",
            "matchValue": ["GET", "HEAD", "POST"],
            "negateCondition": True,
        }
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_the_waf_covers_every_domain_front_door_serves(stack: str) -> None:
    policy, waf = one(stack, SECURITY_POLICY), one(stack, WAF)
    assert policy.inputs["parameters"]["type"] == "WebApplicationFirewall"
    assert policy.inputs["parameters"]["wafPolicy"] == {"id": waf.id}
    domains = [edge(stack, "endpoint").id, *(d.id for d in of_type(stack, "edge", DOMAIN))]
    assert policy.inputs["parameters"]["associations"] == [
        {"domains": [{"id": d} for d in domains], "patternsToMatch": ["/*"]}
    ]
    assert waf.urn in policy.input_dependencies["parameters"]


@pytest.mark.parametrize("stack", STACKS)
def test_access_waf_and_probe_logs_are_kept_for_the_load_balancer_retention(stack: str) -> None:
    (setting,) = [d for d in of_type(stack, "edge", DIAGNOSTICS)]
    assert setting.inputs["resourceUri"] == one(stack, PROFILE).id
    assert [log["category"] for log in setting.inputs["logs"] if log["enabled"]] == [
        "FrontDoorAccessLog",
        "FrontDoorWebApplicationFirewallLog",
        "FrontDoorHealthProbeLog",
    ]
    workspace = one(stack, WORKSPACE)
    assert setting.inputs["workspaceId"] == workspace.id
    assert workspace.inputs["retentionInDays"] == config(stack).monitoring.log_retention.load_balancer_days
    assert workspace.inputs["retentionInDays"] == {"prod": 90, "staging": 30}[stack]


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("rule", [27, 28])
def test_rules_27_and_28_hold_and_see_the_front_door_resources(stack: str, rule: int) -> None:
    planned = stack_of(plan(stack))
    assert violations(planned, rule) == []
    from bettafish.policy.rules import edge as edge_rules

    (chosen,) = [r for r in edge_rules.RULES if r.number == rule]
    assert any(chosen.checks[0].matches(r.type) for r in planned.resources if r.type.startswith("azure-native:"))


def test_rule_28_fails_in_detection_mode() -> None:
    found = violations(stack_of(edited_edge("waf.mode", '"detection"')), 28)
    assert [(v.rule, v.property) for v in found] == [(28, "policySettings")]
