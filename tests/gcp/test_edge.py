"""GCP Cdn as recorded from the real program run offline: the edge's load balancer with Cloud CDN
in front of the gateway's ingress (rule 27), Cloud Armor attached and logged (rule 28), the origin
locked to the edge, the certificate and the API's public names."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from bettafish.plan import RecordedResource, Recording
from tests.mocks import edited, load, physical_name, run_program, run_stack, stack_values

STACKS = ("prod", "staging")
BACKEND = "gcp:compute/backendService:BackendService"
ARMOR = "gcp:compute/securityPolicy:SecurityPolicy"
RULE = "gcp:compute/globalForwardingRule:GlobalForwardingRule"
RECORD = "gcp:dns/recordSet:RecordSet"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "gcp")


def edge(stack: str, role: str, recording: Recording | None = None) -> RecordedResource:
    return (recording or plan(stack)).named(f"bettafish-{stack}-edge-{role}")


def of_type(recording: Recording, type_token: str, role: str) -> RecordedResource:
    (found,) = [r for r in recording.of_type(type_token) if r.name == f"bettafish-{recording.stack}-edge-{role}"]
    return found


def zone(stack: str) -> str:
    return load(stack_values(stack, "gcp"), stack).edge.dns.zone_name


@cache
def _edited(path: tuple[str, ...], value_json: str) -> Recording:
    value = json.loads(value_json)

    def rewrite(tree: dict[str, Any]) -> dict[str, Any]:
        node = tree
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
        return tree

    return run_program(edited(stack_values("prod", "gcp"), "bettafish:edge", rewrite))


def edited_edge(change: tuple[tuple[str, ...], Any]) -> Recording:
    """The prod program on GCP with ``bettafish:edge`` at ``change[0]`` set to ``change[1]``."""
    return _edited(change[0], json.dumps(change[1]))


def rules(policy: RecordedResource) -> dict[int, dict[str, Any]]:
    return {int(rule["priority"]): rule for rule in policy.inputs["rules"]}


# Rule 27: HTTPS only, TLS 1.2 or newer, the origin over HTTPS.


@pytest.mark.parametrize("stack", STACKS)
def test_viewers_get_tls_1_2_or_newer_under_an_ssl_policy(stack: str) -> None:
    proxy, policy = edge(stack, "https"), edge(stack, "tls")
    assert proxy.inputs["sslPolicy"] == policy.id
    assert policy.inputs["minTlsVersion"] == "TLS_1_2"
    assert policy.inputs["profile"] == "RESTRICTED"
    (https,) = [r for r in plan(stack).of_type(RULE) if r.inputs["portRange"] == "443"]
    assert https.inputs["target"] == proxy.id
    assert https.inputs["loadBalancingScheme"] == "EXTERNAL_MANAGED"


@pytest.mark.parametrize("stack", STACKS)
def test_plain_http_only_redirects_to_https(stack: str) -> None:
    (http,) = [r for r in plan(stack).of_type(RULE) if r.inputs["portRange"] == "80"]
    proxy = edge(stack, "http")
    assert http.inputs["target"] == proxy.id
    redirect = edge(stack, "redirect")
    assert proxy.inputs["urlMap"] == redirect.id
    assert redirect.inputs["defaultUrlRedirect"]["httpsRedirect"] is True
    assert "defaultService" not in redirect.inputs
    assert http.inputs["ipAddress"] == edge(stack, "https-rule").inputs["ipAddress"]


def test_https_only_opens_no_port_80() -> None:
    recording = edited_edge((("cdn", "viewerProtocolPolicy"), "https-only"))
    assert [r.inputs["portRange"] for r in recording.of_type(RULE) if "-edge-" in r.name] == ["443"]


@pytest.mark.parametrize("stack", STACKS)
def test_the_origin_is_the_gateway_s_ingress_over_https(stack: str) -> None:
    neg, endpoint = edge(stack, "origin"), edge(stack, "origin-endpoint")
    assert endpoint.inputs["globalNetworkEndpointGroup"] == physical_name(neg)
    assert neg.inputs["networkEndpointType"] == "INTERNET_FQDN_PORT"
    assert endpoint.inputs["fqdn"] == f"origin.{zone(stack)}" == plan(stack).outputs["originHost"]
    assert endpoint.inputs["port"] == 443
    for role in ("api", "static"):
        backend = edge(stack, role)
        assert backend.inputs["protocol"] == "HTTPS"
        assert backend.inputs["backends"] == [{"group": neg.id}]
        assert "healthChecks" not in backend.inputs  # Google refuses them on internet NEGs


# Caching.


@pytest.mark.parametrize("stack", STACKS)
def test_api_paths_are_not_cached_and_static_paths_for_a_day(stack: str) -> None:
    api, static = edge(stack, "api").inputs, edge(stack, "static").inputs
    assert api["enableCdn"] is True
    assert static["enableCdn"] is True
    assert api["cdnPolicy"]["cacheMode"] == "CACHE_ALL_STATIC"
    assert (api["cdnPolicy"]["defaultTtl"], api["cdnPolicy"]["maxTtl"], api["cdnPolicy"]["clientTtl"]) == (0, 0, 0)
    assert static["cdnPolicy"]["cacheMode"] == "FORCE_CACHE_ALL"
    assert static["cdnPolicy"]["defaultTtl"] == static["cdnPolicy"]["clientTtl"] == 86400
    assert api["compressionMode"] == static["compressionMode"] == "AUTOMATIC"


@pytest.mark.parametrize("stack", STACKS)
def test_only_static_paths_reach_the_cached_backend(stack: str) -> None:
    routes = edge(stack, "routes").inputs
    api, static = edge(stack, "api").id, edge(stack, "static").id
    assert routes["defaultService"] == api
    (matcher,) = routes["pathMatchers"]
    assert matcher["defaultService"] == api
    assert matcher["pathRules"] == [{"paths": ["/static/*"], "service": static}]
    assert edge(stack, "https").inputs["urlMap"] == edge(stack, "routes").id


def test_compression_follows_the_config() -> None:
    recording = edited_edge((("cdn", "compress"), False))
    assert of_type(recording, BACKEND, "api").inputs["compressionMode"] == "DISABLED"


# Rule 28: the WAF attached, with rules and logging.


@pytest.mark.parametrize("stack", STACKS)
def test_both_backends_carry_the_waf_and_log_every_request(stack: str) -> None:
    waf = edge(stack, "waf")
    assert waf.inputs["type"] == "CLOUD_ARMOR"
    for role in ("api", "static"):
        backend = edge(stack, role).inputs
        assert backend["securityPolicy"] == waf.id
        assert backend["logConfig"] == {"enable": True, "sampleRate": 1}
        assert "edgeSecurityPolicy" not in backend  # geoRestriction none
    assert plan(stack).outputs["wafPolicyId"] == waf.id


@pytest.mark.parametrize("stack", STACKS)
def test_the_waf_runs_the_owasp_rules_and_the_configured_rate_limit(stack: str) -> None:
    by_priority = rules(edge(stack, "waf"))
    expressions = [r["match"]["expr"]["expression"] for p, r in by_priority.items() if 1000 <= p < 2000]
    for name in ("sqli", "xss", "lfi", "rfi", "rce", "scannerdetection", "protocolattack", "sessionfixation"):
        assert any(f"evaluatePreconfiguredWaf('{name}-v33-stable'" in e for e in expressions), name
    assert all(by_priority[p]["action"] == "deny(403)" for p in by_priority if 1000 <= p < 2000)
    throttle = by_priority[2000]
    rate = load(stack_values(stack, "gcp"), stack).edge.waf.rate_per_five_minutes
    assert throttle["action"] == "throttle"
    assert throttle["rateLimitOptions"]["rateLimitThreshold"] == {"count": rate, "intervalSec": 300}
    assert throttle["rateLimitOptions"]["enforceOnKey"] == "IP"
    assert throttle["rateLimitOptions"]["exceedAction"] == "deny(429)"
    assert by_priority[2147483647]["action"] == "allow"
    assert not any(rule.get("preview") for rule in by_priority.values())  # prevention


def test_detection_mode_previews_every_rule() -> None:
    waf = of_type(edited_edge((("waf", "mode"), "detection")), ARMOR, "waf")
    assert all(rule["preview"] is True for p, rule in rules(waf).items() if p < 2147483647)


@pytest.mark.parametrize("stack", STACKS)
def test_waf_and_load_balancer_logs_are_kept_the_load_balancer_days(stack: str) -> None:
    days = load(stack_values(stack, "gcp"), stack).monitoring.log_retention.load_balancer_days
    bucket = next(r for r in plan(stack).resources if r.type.endswith("ProjectBucketConfig") and "-edge-" in r.name)
    assert bucket.inputs["retentionDays"] == days
    logs_key = plan(stack).outputs["keyIds"]["logs"]
    assert bucket.inputs["cmekSettings"] == {"kmsKeyName": logs_key}
    sink = next(r for r in plan(stack).resources if r.type.endswith("ProjectSink") and "-edge-" in r.name)
    assert sink.inputs["filter"] == 'resource.type="http_load_balancer"'
    assert sink.inputs["destination"] == f"logging.googleapis.com/{bucket.id}"


# Geo restriction, at the edge so cache hits are filtered too.


def test_an_allowlist_is_an_edge_policy_in_groups_of_five_with_a_default_deny() -> None:
    codes = ["DE", "FR", "GB", "IE", "NL", "US", "CA"]
    recording = edited_edge((("cdn", "geoRestriction"), {"type": "allowlist", "locations": codes}))
    geo = of_type(recording, ARMOR, "geo")
    assert geo.inputs["type"] == "CLOUD_ARMOR_EDGE"
    by_priority = rules(geo)
    assert by_priority[2147483647]["action"] == "deny(403)"
    allowed = [r["match"]["expr"]["expression"] for p, r in sorted(by_priority.items()) if p < 2147483647]
    assert allowed == [
        " || ".join(f"origin.region_code == '{c}'" for c in ("CA", "DE", "FR", "GB", "IE")),
        " || ".join(f"origin.region_code == '{c}'" for c in ("NL", "US")),
    ]
    assert all(by_priority[p]["action"] == "allow" for p in by_priority if p < 2147483647)
    for role in ("api", "static"):
        assert of_type(recording, BACKEND, role).inputs["edgeSecurityPolicy"] == geo.id


# The origin accepts the edge only.


@pytest.mark.parametrize("stack", STACKS)
def test_the_origin_lets_in_only_requests_with_the_edge_s_secret(stack: str) -> None:
    lock = of_type(plan(stack), ARMOR, "origin-lock")
    by_priority = rules(lock)
    assert by_priority[2147483647]["action"] == "deny(403)"
    assert by_priority[1000]["action"] == "allow"
    assert by_priority[1000]["match"]["expr"]["expression"] == "[secret]"
    patch = edge(stack, "origin-config")
    assert patch.type == "kubernetes:cloud.google.com/v1:BackendConfigPatch"
    assert patch.inputs["metadata"]["name"] == "api-gateway"
    assert patch.inputs["spec"] == {"securityPolicy": {"name": physical_name(lock)}}
    secret = edge(stack, "origin-secret").urn
    assert secret in lock.input_dependencies["rules"]
    for role in ("api", "static"):
        backend = edge(stack, role)
        assert backend.inputs["customRequestHeaders"] == "[secret]"
        assert secret in backend.input_dependencies["customRequestHeaders"]
        assert patch.urn in backend.dependencies  # the origin admits the edge before the edge sends


# Certificate and names.


@pytest.mark.parametrize("stack", STACKS)
def test_the_certificate_covers_the_api_and_the_alternative_names_validated_in_the_zone(stack: str) -> None:
    name = zone(stack)
    cert = edge(stack, "cert")
    assert cert.inputs["location"] == "global"
    assert cert.inputs["managed"]["domains"] == [f"api.{name}", f"*.{name}"]
    auths = [edge(stack, f"auth-{i}") for i in range(2)]
    assert [a.inputs["domain"] for a in auths] == [f"api.{name}", name]
    assert cert.inputs["managed"]["dnsAuthorizations"] == [a.id for a in auths]
    validation = [r for r in plan(stack).of_type(RECORD) if r.inputs["type"] == "CNAME" and "-edge-" in r.name]
    assert [r.inputs["name"] for r in validation] == [f"_acme-challenge.api.{name}.", f"_acme-challenge.{name}."]
    assert all(r.inputs["rrdatas"][0].endswith(".authorize.certificatemanager.goog.") for r in validation)
    assert {r.urn for r in validation} <= set(cert.dependencies)
    entry = edge(stack, "cert-entry")
    assert entry.inputs["matcher"] == "PRIMARY"
    assert entry.inputs["certificates"] == [cert.id]
    certs = edge(stack, "certs")
    assert edge(stack, "https").inputs["certificateMap"] == f"//certificatemanager.googleapis.com/{certs.id}"


@pytest.mark.parametrize("stack", STACKS)
def test_the_api_and_cdn_names_point_at_the_edge(stack: str) -> None:
    name, ip = zone(stack), edge(stack, "ip")
    records = {
        r.inputs["name"]: r for r in plan(stack).of_type(RECORD) if r.inputs["type"] == "A" and "-edge-" in r.name
    }
    assert set(records) == {f"api.{name}.", f"cdn.{name}."}
    for record in records.values():
        assert record.inputs["rrdatas"] == [plan(stack).outputs["cdnEndpoint"]]
    assert records[f"cdn.{name}."].inputs["ttl"] == 300
    assert edge(stack, "https-rule").inputs["ipAddress"] == plan(stack).outputs["cdnEndpoint"]
    assert ip.protect is (stack == "prod")
    assert plan(stack).outputs["apiUrl"] == f"https://api.{name}"
