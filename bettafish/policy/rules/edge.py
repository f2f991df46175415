"""Rules 27 and 28: the CDN serves HTTPS only with TLS 1.2 or newer, and a WAF with rules and
logging sits in front of it (CloudFront + WAFv2, Cloud CDN's load balancer + Cloud Armor, Azure
Front Door + its WAF policy)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bettafish.policy.model import Finding, Hit, Resource, Stack, as_list, is_set
from bettafish.policy.rule import Rule
from bettafish.policy.tokens import (
    AFD_CUSTOM_DOMAIN,
    AFD_PROFILE,
    AFD_ROUTE,
    AFD_SECURITY_POLICY,
    AFD_WAF,
    ARMOR_POLICY,
    BACKEND_SERVICE,
    CF,
    DIAGNOSTIC_SETTING,
    HTTP_PROXY,
    HTTPS_PROXY,
    SSL_POLICY,
    URL_MAP,
    WEB_ACL,
    WEB_ACL_LOGGING,
)

HTTPS_ONLY = Rule(27, "cdn-https-only", "CDN: HTTPS only, TLS 1.2 or newer")
CLOUDFRONT_TLS = ("TLSv1.2_2018", "TLSv1.2_2019", "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025")
VIEWER_HTTPS = ("redirect-to-https", "https-only")


@HTTPS_ONLY.on(CF, SSL_POLICY, HTTPS_PROXY, AFD_CUSTOM_DOMAIN, AFD_ROUTE)
def _https_only(resource: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if resource.type == CF:
        yield from _cloudfront(resource)
    elif resource.type == SSL_POLICY and resource.get("minTlsVersion") not in ("TLS_1_2", "TLS_1_3"):
        yield Finding("minTlsVersion", 'must be "TLS_1_2" or newer')
    elif resource.type == HTTPS_PROXY and not is_set(resource.get("sslPolicy")):
        yield Finding("sslPolicy", "must name an SSL policy (the default allows TLS 1.0)")
    elif resource.type == AFD_CUSTOM_DOMAIN and resource.get("tlsSettings.minimumTlsVersion") not in ("TLS12", "TLS13"):
        yield Finding("tlsSettings.minimumTlsVersion", 'must be "TLS12" or newer')
    elif resource.type == AFD_ROUTE:
        if resource.get("httpsRedirect") != "Enabled":
            yield Finding("httpsRedirect", 'must be "Enabled"')
        if resource.get("forwardingProtocol") != "HttpsOnly":
            yield Finding("forwardingProtocol", 'must be "HttpsOnly" (HTTPS to the origin)')


def _cloudfront(distribution: Resource) -> Iterator[Finding]:
    certificate = distribution.get("viewerCertificate") or {}
    if certificate.get("cloudfrontDefaultCertificate") is True:
        yield Finding("viewerCertificate.cloudfrontDefaultCertificate", "the default certificate allows TLS 1.0")
    if certificate.get("minimumProtocolVersion") not in CLOUDFRONT_TLS:
        yield Finding("viewerCertificate.minimumProtocolVersion", "must be a TLSv1.2 policy (TLSv1.2_2021)")
    behaviors = [distribution.get("defaultCacheBehavior") or {}, *as_list(distribution.get("orderedCacheBehaviors"))]
    if any(b.get("viewerProtocolPolicy") not in VIEWER_HTTPS for b in behaviors):
        yield Finding("viewerProtocolPolicy", "every cache behavior must redirect to HTTPS (or serve HTTPS only)")
    for origin in as_list(distribution.get("origins")):
        custom = origin.get("customOriginConfig")
        if custom is None:
            continue  # an S3 origin is reached over HTTPS by CloudFront
        if custom.get("originProtocolPolicy") != "https-only":
            yield Finding("origins.customOriginConfig.originProtocolPolicy", 'must be "https-only"')
        if set(as_list(custom.get("originSslProtocols"))) - {"TLSv1.2"}:
            yield Finding("origins.customOriginConfig.originSslProtocols", 'must be ["TLSv1.2"]')


@HTTPS_ONLY.across(HTTP_PROXY)
def _http_redirects(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    for proxy in stack.of_type(HTTP_PROXY):
        maps = stack.referenced(proxy, "urlMap", URL_MAP)
        if not any(m.get("defaultUrlRedirect.httpsRedirect") is True for m in maps):
            yield Hit(proxy, "urlMap", "plain HTTP must only redirect to HTTPS (defaultUrlRedirect.httpsRedirect)")


WAF = Rule(28, "waf-attached", "WAF attached, with rules and logging")
EXTERNAL = ("EXTERNAL", "EXTERNAL_MANAGED")


@WAF.across(CF, WEB_ACL, BACKEND_SERVICE, ARMOR_POLICY, AFD_PROFILE, AFD_WAF)
def _waf(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    for distribution in stack.of_type(CF):
        if not is_set(distribution.get("webAclId")):
            yield Hit(distribution, "webAclId", "must attach a WAFv2 web ACL")
    for acl in stack.of_type(WEB_ACL):
        if not is_set(acl.get("rules")):
            yield Hit(acl, "rules", "must hold rules (managed rule groups, rate limit)")
        if not stack.referencing(acl, "resourceArn", WEB_ACL_LOGGING):
            yield Hit(acl, "WebAclLoggingConfiguration", "must log its requests")
    for backend in stack.of_type(BACKEND_SERVICE):
        if backend.get("loadBalancingScheme", "EXTERNAL") not in EXTERNAL:
            continue
        if not is_set(backend.get("securityPolicy")):
            yield Hit(backend, "securityPolicy", "must attach a Cloud Armor policy")
        if backend.get("logConfig.enable") is not True:
            yield Hit(backend, "logConfig.enable", "must log requests (Cloud Armor decisions are logged with them)")
    for policy in stack.of_type(ARMOR_POLICY):
        if not is_set(policy.get("rules")):
            yield Hit(policy, "rules", "must hold rules besides the default")
    for waf in stack.of_type(AFD_WAF):
        if waf.get("policySettings.enabledState") != "Enabled" or waf.get("policySettings.mode") != "Prevention":
            yield Hit(waf, "policySettings", 'must be "Enabled" in "Prevention" mode')
        if not is_set(waf.get("managedRules.managedRuleSets")):
            yield Hit(waf, "managedRules.managedRuleSets", "must hold managed rule sets")
        if not any(
            waf.urn in s.property_dependencies.get("parameters", ()) for s in stack.of_type(AFD_SECURITY_POLICY)
        ):
            yield Hit(waf, "SecurityPolicy", "must be attached to the Front Door endpoints by a security policy")
    for profile in stack.of_type(AFD_PROFILE):
        if not str(profile.get("sku.name", "")).endswith("AzureFrontDoor"):
            continue  # a classic CDN profile: no Front Door WAF
        logged = {
            str(log.get("category"))
            for setting in stack.referencing(profile, "resourceUri", DIAGNOSTIC_SETTING)
            for log in as_list(setting.get("logs"))
            if log.get("enabled") is True
        }
        if "FrontDoorWebApplicationFirewallLog" not in logged:
            yield Hit(profile, "DiagnosticSetting.logs", "must send FrontDoorWebApplicationFirewallLog")


RULES = (HTTPS_ONLY, WAF)
