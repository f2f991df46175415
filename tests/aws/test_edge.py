"""AWS Cdn: CloudFront in front of the ALB (HTTPS only, TLS 1.2+ both ways, the spec's caching), its
WAFv2 web ACL with AWS's managed rule groups, the rate limit and a log kept for the load-balancer
retention, the us-east-1 certificate, and the API's names in the public zone (rules 27 and 28)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from bettafish.plan import RecordedResource, Recording
from bettafish.plan.fake_cloud import ACCOUNT_ID
from bettafish.policy.evaluate import evaluate
from tests.aws.apps import RECORD, STACKS, apps, config, named, plan, plan_in, public_zone
from tests.mocks import edited, run_program, stack_values
from tests.policy.fixtures import config_of, planned

DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
CACHE_POLICY = "aws:cloudfront/cachePolicy:CachePolicy"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
WAF_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
CERTIFICATE = "aws:acm/certificate:Certificate"
VALIDATION = "aws:acm/certificateValidation:CertificateValidation"
KEY = "aws:kms/key:Key"
ALL_METHODS = ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]


def edge(stack: str) -> str:
    return f"bettafish-{stack}-edge"


def distribution(stack: str, recording: Recording | None = None) -> RecordedResource:
    return (recording or plan(stack)).one(DISTRIBUTION)


def acl(stack: str, recording: Recording | None = None) -> RecordedResource:
    return (recording or plan(stack)).one(WEB_ACL)


def policy(recording: Recording, policy_id: str) -> RecordedResource:
    (found,) = [p for p in recording.of_type(CACHE_POLICY) if p.id == policy_id]
    return found


def plan_with(stack: str, section: str, path: tuple[str, ...], value: Any) -> Recording:
    """The stack with ``bettafish:<section>`` edited at ``path``."""
    return _plan_with(stack, section, path, json.dumps(value))


@cache
def _plan_with(stack: str, section: str, path: tuple[str, ...], value: str) -> Recording:
    def change(tree: Any) -> Any:
        node = tree
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = json.loads(value)
        return tree

    return run_program(edited(stack_values(stack, "aws"), f"bettafish:{section}", change), stack)


@pytest.mark.parametrize("stack", STACKS)
def test_viewers_get_https_only_with_tls_1_2_on_the_us_east_1_certificate(stack: str) -> None:
    """Rule 27: the ACM certificate (not CloudFront's default, which allows TLS 1.0), SNI, TLSv1.2_2021;
    every behavior redirects HTTP to HTTPS."""
    cdn = distribution(stack)
    validation = named(plan(stack), f"{edge(stack)}-viewer", VALIDATION)
    certificate = named(plan(stack), f"{edge(stack)}-viewer", CERTIFICATE)
    viewer = cdn.inputs["viewerCertificate"]
    assert viewer["acmCertificateArn"] == validation.inputs["certificateArn"] == certificate.id
    assert certificate.id.startswith(f"arn:aws:acm:us-east-1:{ACCOUNT_ID}:certificate/")
    assert (viewer["sslSupportMethod"], viewer["minimumProtocolVersion"]) == ("sni-only", "TLSv1.2_2021")
    assert viewer["cloudfrontDefaultCertificate"] is False
    behaviors = [cdn.inputs["defaultCacheBehavior"], *cdn.inputs["orderedCacheBehaviors"]]
    assert {b["viewerProtocolPolicy"] for b in behaviors} == {"redirect-to-https"}


def test_a_tls_1_3_minimum_picks_cloudfronts_tls_1_3_policy() -> None:
    recording = plan_with("staging", "edge", ("tls", "minVersion"), "1.3")
    assert distribution("staging", recording).inputs["viewerCertificate"]["minimumProtocolVersion"] == "TLSv1.3_2025"


@pytest.mark.parametrize("stack", STACKS)
def test_the_origin_is_the_gateways_alb_over_https_with_tls_1_2(stack: str) -> None:
    (origin,) = distribution(stack).inputs["origins"]
    origin_record = named(plan(stack), f"{apps(stack)}-origin", RECORD)
    assert origin["domainName"] == origin_record.inputs["name"] == f"origin.{config(stack).edge.dns.zone_name}"
    custom = origin["customOriginConfig"]
    assert (custom["originProtocolPolicy"], custom["originSslProtocols"]) == ("https-only", ["TLSv1.2"])
    assert (custom["httpsPort"], custom["originReadTimeout"]) == (443, 60)


@pytest.mark.parametrize("stack", STACKS)
def test_api_paths_are_not_cached_and_take_every_method(stack: str) -> None:
    behavior = distribution(stack).inputs["defaultCacheBehavior"]
    assert behavior["allowedMethods"] == ALL_METHODS
    assert behavior["cachedMethods"] == ["GET", "HEAD"]
    assert behavior["compress"] is True
    api = policy(plan(stack), behavior["cachePolicyId"])
    assert (api.inputs["minTtl"], api.inputs["defaultTtl"], api.inputs["maxTtl"]) == (0, 0, 0)
    key = api.inputs["parametersInCacheKeyAndForwardedToOrigin"]
    # CloudFront refuses anything in the key of a policy that caches nothing; the origin compresses.
    assert (key["enableAcceptEncodingGzip"], key["enableAcceptEncodingBrotli"]) == (False, False)
    assert key["headersConfig"] == {"headerBehavior": "none"}
    # Everything but Host reaches the API (Authorization too, as caching is off); Host stays the
    # origin's name so its certificate matches.
    assert behavior["originRequestPolicyId"] == "b689b0a8-53d0-40ab-baf2-68738e2966ac"


def test_a_cached_api_keys_the_cache_on_the_caller() -> None:
    recording = plan_with("staging", "edge", ("cdn", "ttl"), {"defaultSeconds": 60, "minSeconds": 0, "maxSeconds": 300})
    behavior = distribution("staging", recording).inputs["defaultCacheBehavior"]
    key = policy(recording, behavior["cachePolicyId"]).inputs["parametersInCacheKeyAndForwardedToOrigin"]
    assert key["headersConfig"] == {"headerBehavior": "whitelist", "headers": {"items": ["Authorization"]}}
    assert key["queryStringsConfig"] == {"queryStringBehavior": "all"}
    assert key["enableAcceptEncodingGzip"] is True


@pytest.mark.parametrize("stack", STACKS)
def test_static_content_is_cached_for_the_configured_ttl(stack: str) -> None:
    (static,) = distribution(stack).inputs["orderedCacheBehaviors"]
    assert static["pathPattern"] == "/static/*"
    assert static["allowedMethods"] == static["cachedMethods"] == ["GET", "HEAD"]
    found = policy(plan(stack), static["cachePolicyId"])
    ttl = config(stack).edge.cdn.static_ttl_seconds
    assert ttl == 86400
    assert (found.inputs["defaultTtl"], found.inputs["maxTtl"]) == (ttl, ttl)
    key = found.inputs["parametersInCacheKeyAndForwardedToOrigin"]
    assert (key["enableAcceptEncodingGzip"], key["enableAcceptEncodingBrotli"]) == (True, True)


def test_geo_restriction_follows_the_config() -> None:
    assert distribution("prod").inputs["restrictions"]["geoRestriction"] == {
        "restrictionType": "none",
        "locations": [],
    }
    recording = plan_with("staging", "edge", ("cdn", "geoRestriction"), {"type": "blocklist", "locations": ["KP"]})
    assert distribution("staging", recording).inputs["restrictions"]["geoRestriction"] == {
        "restrictionType": "blacklist",
        "locations": ["KP"],
    }


@pytest.mark.parametrize("stack", STACKS)
def test_the_waf_sits_in_front_with_the_managed_rule_groups_and_the_rate_limit(stack: str) -> None:
    """Rule 28: the distribution names a CLOUDFRONT-scope web ACL (us-east-1) that blocks what AWS's
    managed groups match and clients over ``waf.ratePerFiveMinutes`` per address."""
    web_acl = acl(stack)
    assert distribution(stack).inputs["webAclId"] == f"arn:aws:wafv2:us-east-1:{ACCOUNT_ID}:global/webacl/" + (
        f"{edge(stack)}-waf/{web_acl.id}"
    )
    assert (web_acl.inputs["scope"], web_acl.inputs["region"]) == ("CLOUDFRONT", "us-east-1")
    assert web_acl.inputs["defaultAction"] == {"allow": {}}
    rules = {r["name"]: r for r in web_acl.inputs["rules"]}
    for group in (
        "AWSManagedRulesAmazonIpReputationList",
        "AWSManagedRulesCommonRuleSet",
        "AWSManagedRulesKnownBadInputsRuleSet",
    ):
        statement = rules[group]["statement"]["managedRuleGroupStatement"]
        assert (statement["vendorName"], statement["name"]) == ("AWS", group)
        assert rules[group]["overrideAction"] == {"none": {}}
    rate = rules["RatePerClientAddress"]
    assert rate["statement"]["rateBasedStatement"] == {
        "limit": config(stack).edge.waf.rate_per_five_minutes,
        "aggregateKeyType": "IP",
        "evaluationWindowSec": 300,
    }
    assert rate["action"] == {"block": {}}
    assert len({r["priority"] for r in rules.values()}) == len(rules) == 4


def test_detection_mode_counts_instead_of_blocking() -> None:
    recording = plan_with("staging", "edge", ("waf", "mode"), "detection")
    rules = acl("staging", recording).inputs["rules"]
    assert [r.get("overrideAction") for r in rules[:3]] == [{"count": {}}] * 3
    assert rules[3]["action"] == {"count": {}}


@pytest.mark.parametrize("stack", STACKS)
def test_the_waf_logs_to_an_encrypted_group_kept_for_the_load_balancer_retention(stack: str) -> None:
    logging = plan(stack).one(WAF_LOGGING)
    group = named(plan(stack), f"{edge(stack)}-waf-logs", LOG_GROUP)
    logs_key = named(plan(stack), f"bettafish-{stack}-keys-logs", KEY)
    assert logging.inputs["resourceArn"] == distribution(stack).inputs["webAclId"]
    assert logging.inputs["logDestinationConfigs"] == [
        f"arn:aws:logs:us-east-1:{ACCOUNT_ID}:log-group:aws-waf-logs-{edge(stack)}"
    ]
    assert group.inputs["name"] == f"aws-waf-logs-{edge(stack)}"
    assert group.inputs["retentionInDays"] == config(stack).monitoring.log_retention.load_balancer_days
    assert group.inputs["retentionInDays"] == {"prod": 90, "staging": 14}[stack]
    assert group.inputs["region"] == "us-east-1"
    assert group.inputs["kmsKeyId"] == f"arn:aws:kms:us-east-1:{ACCOUNT_ID}:key/{logs_key.id}"
    redacted = [field["singleHeader"]["name"] for field in logging.inputs["redactedFields"]]
    assert redacted == ["authorization", "cookie"]


def test_outside_us_east_1_the_edge_logs_get_their_own_key_there() -> None:
    recording = plan_in("us-east-2")
    twin = named(recording, "bettafish-prod-keys-logs-edge", KEY)
    assert twin.inputs["region"] == "us-east-1"
    assert twin.inputs["enableKeyRotation"] is True
    group = named(recording, "bettafish-prod-edge-waf-logs", LOG_GROUP)
    assert group.inputs["kmsKeyId"] == f"arn:aws:kms:us-east-1:{ACCOUNT_ID}:key/{twin.id}"
    viewer = distribution("prod", recording).inputs["viewerCertificate"]["acmCertificateArn"]
    assert viewer.startswith("arn:aws:acm:us-east-1:")


@pytest.mark.parametrize("stack", STACKS)
def test_the_certificate_names_the_api_and_the_spec_names_validated_in_the_public_zone(stack: str) -> None:
    zone_name = config(stack).edge.dns.zone_name
    certificate = named(plan(stack), f"{edge(stack)}-viewer", CERTIFICATE)
    assert certificate.inputs["domainName"] == f"api.{zone_name}"
    assert certificate.inputs["subjectAlternativeNames"] == [f"cdn.{zone_name}", f"*.{zone_name}"]
    assert (certificate.inputs["region"], certificate.inputs["validationMethod"]) == ("us-east-1", "DNS")
    validation = named(plan(stack), f"{edge(stack)}-viewer", VALIDATION)
    records = [r for r in plan(stack).of_type(RECORD) if r.name.startswith(f"{edge(stack)}-viewer-validation")]
    assert len(records) == 3  # api, cdn and the zone's apex (the wildcard's)
    assert {r.inputs["zoneId"] for r in records} == {public_zone(stack).id}
    assert sorted(validation.inputs["validationRecordFqdns"]) == sorted(
        r.inputs["name"].rstrip(".").lower() for r in records
    )
    assert validation.inputs["region"] == "us-east-1"


@pytest.mark.parametrize("stack", STACKS)
def test_the_api_and_cdn_names_point_at_the_distribution(stack: str) -> None:
    zone_name = config(stack).edge.dns.zone_name
    cdn = distribution(stack)
    domain = plan(stack).outputs["cdnEndpoint"]
    assert domain.endswith(".cloudfront.net")
    assert cdn.inputs["aliases"] == [f"api.{zone_name}", f"cdn.{zone_name}"]
    for record_type in ("a", "aaaa"):
        record = named(plan(stack), f"{edge(stack)}-api-{record_type}", RECORD)
        assert (record.inputs["name"], record.inputs["type"]) == (f"api.{zone_name}", record_type.upper())
        assert record.inputs["zoneId"] == public_zone(stack).id
        assert record.inputs["aliases"] == [{"name": domain, "zoneId": "Z2FDTNDATAQYW2", "evaluateTargetHealth": False}]
    cname = named(plan(stack), f"{edge(stack)}-cdn", RECORD)
    assert (cname.inputs["type"], cname.inputs["ttl"], cname.inputs["records"]) == ("CNAME", 300, [domain])


@pytest.mark.parametrize("stack", STACKS)
def test_the_outputs_name_the_distribution_the_waf_and_the_api(stack: str) -> None:
    outputs = plan(stack).outputs
    assert outputs["apiUrl"] == f"https://api.{config(stack).edge.dns.zone_name}"
    assert outputs["cdnDistributionId"] == distribution(stack).id
    assert outputs["wafPolicyId"] == distribution(stack).inputs["webAclId"]


@pytest.mark.parametrize("stack", STACKS)
def test_rules_27_and_28_hold_on_the_plan(stack: str) -> None:
    found = [v for v in evaluate(planned(stack, "aws"), config_of(stack)) if v.rule in (27, 28)]
    assert found == []


@pytest.mark.parametrize("stack", STACKS)
def test_cloudfront_access_logs_reach_a_group_kept_for_the_load_balancer_retention(stack: str) -> None:
    group = named(plan(stack), f"{edge(stack)}-cdn-logs", LOG_GROUP)
    assert group.inputs["retentionInDays"] == config(stack).monitoring.log_retention.load_balancer_days
    assert group.inputs["region"] == "us-east-1"
    logs_key = named(plan(stack), f"bettafish-{stack}-keys-logs", KEY)
    assert group.inputs["kmsKeyId"] == f"arn:aws:kms:us-east-1:{ACCOUNT_ID}:key/{logs_key.id}"
    source = named(plan(stack), f"{edge(stack)}-cdn-logs", "aws:cloudwatch/logDeliverySource:LogDeliverySource")
    cdn = distribution(stack)
    assert (source.inputs["logType"], source.inputs["region"]) == ("ACCESS_LOGS", "us-east-1")
    assert source.inputs["resourceArn"] == f"arn:aws:cloudfront::{ACCOUNT_ID}:distribution/{cdn.id}"
    destination = named(
        plan(stack), f"{edge(stack)}-cdn-logs", "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination"
    )
    assert destination.inputs["deliveryDestinationConfiguration"] == {
        "destinationResourceArn": f"arn:aws:logs:us-east-1:{ACCOUNT_ID}:log-group:{group.inputs['name']}"
    }
    delivery = named(plan(stack), f"{edge(stack)}-cdn-logs", "aws:cloudwatch/logDelivery:LogDelivery")
    assert delivery.inputs["deliverySourceName"] == source.inputs["name"]
    assert delivery.inputs["deliveryDestinationArn"] == (
        f"arn:aws:logs:us-east-1:{ACCOUNT_ID}:delivery-destination:{destination.inputs['name']}"
    )
