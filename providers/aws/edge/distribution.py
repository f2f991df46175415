"""The CloudFront distribution in front of the API gateway's ALB: what it caches, how it reaches the
origin, and which viewers it serves."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from bettafish.config.edge import Cdn, Tls
from components.base import NeutralComponent

ORIGIN_ID = "api-gateway"
STATIC_PATH = "/static/*"
"""What the CDN treats as static content (cached ``edge.cdn.staticTtlSeconds``): the API serves its
static assets under ``/static/``; everything else is the API, cached per ``edge.cdn.ttl``."""
STATIC_METHODS = ["GET", "HEAD"]
VIEWER_TLS = {"1.2": "TLSv1.2_2021", "1.3": "TLSv1.3_2025"}
"""``edge.tls.minVersion`` -> CloudFront's security policy for viewers (SNI): TLS 1.2 with ECDHE and
AES-GCM or ChaCha20 only, or TLS 1.3 alone."""
ALL_VIEWER_EXCEPT_HOST = "b689b0a8-53d0-40ab-baf2-68738e2966ac"
"""AWS's managed origin request policy ``Managed-AllViewerExceptHostHeader``: every viewer header,
cookie and query string goes to the API, but Host: CloudFront then asks the origin for
``origin.<zone>``, the name on the ALB's certificate (forwarding ``api.<zone>`` fails its TLS check)."""
SECURITY_HEADERS = "67f7725c-6f97-4210-82d7-5512b31e9d03"
"""AWS's managed response headers policy ``Managed-SecurityHeadersPolicy`` (HSTS, nosniff, frame
options, XSS protection, referrer policy)."""
ORIGIN_READ_TIMEOUT_SECONDS = 60
"""The longest CloudFront waits for a response without a quota increase (its default is 30 s):
complex analyses take up to 30 s; report generation (120 s) must answer asynchronously."""
GEO = {"none": "none", "allowlist": "whitelist", "blocklist": "blacklist"}


def cache_policy(
    parent: NeutralComponent, name: str, ttl: tuple[int, int, int], compress: bool, *, per_caller: bool
) -> aws.cloudfront.CachePolicy:
    """``ttl`` is (min, default, max) seconds. Caching disabled (max 0): nothing in the cache key, as
    CloudFront refuses compressed variants or headers in a key that caches nothing (``InvalidArgument``);
    the managed AllViewer policy then forwards ``Authorization`` and ``Accept-Encoding``, and the
    origin compresses. Caching ``per_caller`` (the API): ``Authorization`` joins the key, since
    CloudFront forwards it from a caching behavior only through the key (a response cached for one
    caller is never served to another)."""
    minimum, default, maximum = ttl
    cached = maximum > 0
    headers = ["Authorization"] if cached and per_caller else []
    return aws.cloudfront.CachePolicy(
        name,
        name=name,
        comment=f"BettaFish {name}",
        min_ttl=minimum,
        default_ttl=default,
        max_ttl=maximum,
        parameters_in_cache_key_and_forwarded_to_origin=aws.cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginArgs(
            cookies_config=aws.cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginCookiesConfigArgs(
                cookie_behavior="none"
            ),
            headers_config=aws.cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginHeadersConfigArgs(
                header_behavior="whitelist" if headers else "none",
                headers=aws.cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginHeadersConfigHeadersArgs(
                    items=headers
                )
                if headers
                else None,
            ),
            query_strings_config=aws.cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginQueryStringsConfigArgs(
                query_string_behavior="all" if cached and per_caller else "none"
            ),
            enable_accept_encoding_gzip=compress and cached,
            enable_accept_encoding_brotli=compress and cached,
        ),
        opts=parent.child(),
    )


def distribution(
    parent: NeutralComponent,
    name: str,
    *,
    cdn: Cdn,
    tls: Tls,
    origin_host: pulumi.Input[str],
    aliases: list[str],
    certificate_arn: pulumi.Input[str],
    web_acl_arn: pulumi.Input[str],
    tags: dict[str, str],
) -> aws.cloudfront.Distribution:
    """HTTPS to viewers on ``aliases`` with the ACM certificate (SNI, TLS per ``edge.tls.minVersion``),
    HTTPS with TLS 1.2 to the origin, the web ACL in front of every request."""
    ttl = cdn.ttl
    api = cache_policy(
        parent, f"{name}-api", (ttl.min_seconds, ttl.default_seconds, ttl.max_seconds), cdn.compress, per_caller=True
    )
    static_ttl = (0, cdn.static_ttl_seconds, cdn.static_ttl_seconds)
    static = cache_policy(parent, f"{name}-static", static_ttl, cdn.compress, per_caller=False)
    return aws.cloudfront.Distribution(
        f"{name}-cdn",
        comment=f"BettaFish {name}: the API",
        enabled=True,
        is_ipv6_enabled=True,
        http_version="http2and3",
        price_class="PriceClass_All",
        aliases=aliases,
        origins=[
            aws.cloudfront.DistributionOriginArgs(
                origin_id=ORIGIN_ID,
                domain_name=origin_host,
                custom_origin_config=aws.cloudfront.DistributionOriginCustomOriginConfigArgs(
                    origin_protocol_policy=cdn.origin_protocol_policy,
                    http_port=cdn.origin_http_port,
                    https_port=cdn.origin_https_port,
                    origin_ssl_protocols=cdn.origin_tls_protocols,
                    origin_read_timeout=ORIGIN_READ_TIMEOUT_SECONDS,
                ),
            )
        ],
        default_cache_behavior=aws.cloudfront.DistributionDefaultCacheBehaviorArgs(
            target_origin_id=ORIGIN_ID,
            viewer_protocol_policy=cdn.viewer_protocol_policy,
            allowed_methods=cdn.allowed_methods,
            cached_methods=cdn.cached_methods,
            compress=cdn.compress,
            cache_policy_id=api.id,
            origin_request_policy_id=ALL_VIEWER_EXCEPT_HOST,
            response_headers_policy_id=SECURITY_HEADERS,
        ),
        ordered_cache_behaviors=[
            aws.cloudfront.DistributionOrderedCacheBehaviorArgs(
                path_pattern=STATIC_PATH,
                target_origin_id=ORIGIN_ID,
                viewer_protocol_policy=cdn.viewer_protocol_policy,
                allowed_methods=STATIC_METHODS,
                cached_methods=STATIC_METHODS,
                compress=cdn.compress,
                cache_policy_id=static.id,
                response_headers_policy_id=SECURITY_HEADERS,
            )
        ],
        restrictions=aws.cloudfront.DistributionRestrictionsArgs(
            geo_restriction=aws.cloudfront.DistributionRestrictionsGeoRestrictionArgs(
                restriction_type=GEO[cdn.geo_restriction.type], locations=cdn.geo_restriction.locations
            )
        ),
        viewer_certificate=aws.cloudfront.DistributionViewerCertificateArgs(
            acm_certificate_arn=certificate_arn,
            ssl_support_method="sni-only",
            minimum_protocol_version=VIEWER_TLS[tls.min_version],
            cloudfront_default_certificate=False,
        ),
        web_acl_id=web_acl_arn,
        tags=tags,
        opts=parent.child(),
    )
