"""What CloudFront, AWS WAF, ACM and the origin's security group refuse, or cannot honour, in the
edge's settings: the method sets a cache behavior takes, the TLS versions an origin list takes, the
WAF's rate bounds, the certificate's names, the geo restriction, and the port CloudFront reaches
the origin on."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.network import CLOUDWATCH_RETENTION_DAYS
from bettafish.config.stack import StackConfig

ALLOWED_METHOD_SETS = (
    {"GET", "HEAD"},
    {"GET", "HEAD", "OPTIONS"},
    {"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"},
)
"""The only ``AllowedMethods`` a CloudFront cache behavior takes."""
CACHED_METHOD_SETS = ({"GET", "HEAD"}, {"GET", "HEAD", "OPTIONS"})
ORIGIN_TLS_PROTOCOLS = ("SSLv3", "TLSv1", "TLSv1.1", "TLSv1.2")
"""What a custom origin's ``OriginSslProtocols`` takes (CloudFront lists no TLSv1.3 there)."""
WAF_RATE_LIMITS = (10, 2_000_000_000)
"""A WAFv2 rate-based rule's ``Limit`` bounds (requests per evaluation window)."""
ACM_NAMES = 10
"""Domain names per ACM certificate (the default quota)."""
API_LABEL = "api"
ORIGIN_HTTPS_PORT = 443


def check_aws_edge(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "aws":
        return
    yield from _cdn(cfg)
    yield from _waf(cfg)
    yield from _certificate(cfg)
    yield from _origin_port(cfg)


def _cdn(cfg: StackConfig) -> Iterator[Issue]:
    cdn = cfg.edge.cdn
    if not cdn.enabled:
        yield Issue(
            _key("edge.cdn.enabled"),
            "aws: the API is served through CloudFront only (its WAF, its certificate; the load balancer"
            " admits CloudFront alone): set true",
        )
    if set(cdn.allowed_methods) not in ALLOWED_METHOD_SETS:
        yield Issue(
            _key("edge.cdn.allowedMethods"),
            "aws: CloudFront takes [GET, HEAD], [GET, HEAD, OPTIONS] or all seven methods",
        )
    if set(cdn.cached_methods) not in CACHED_METHOD_SETS:
        yield Issue(_key("edge.cdn.cachedMethods"), "aws: CloudFront caches [GET, HEAD] or [GET, HEAD, OPTIONS]")
    for protocol in cdn.origin_tls_protocols:
        if protocol not in ORIGIN_TLS_PROTOCOLS:
            yield Issue(
                _key("edge.cdn.originTlsProtocols"),
                f"aws: CloudFront's origin protocol list takes {', '.join(ORIGIN_TLS_PROTOCOLS)}, not {protocol}",
            )
    geo = cdn.geo_restriction
    if (geo.type == "none") != (not geo.locations):
        yield Issue(
            _key("edge.cdn.geoRestriction.locations"),
            "aws: CloudFront needs locations for an allowlist or a blocklist, and none without one",
        )
    days = cfg.monitoring.log_retention.load_balancer_days
    logs = cfg.storage.buckets.logs
    if logs.expire_days is not None and logs.expire_days < days:
        yield Issue(
            _key("storage.buckets.logs.expireDays"),
            f"aws: the load balancer's access logs live in the logs bucket, which must keep them"
            f" monitoring.logRetention.loadBalancerDays ({days}) at least",
        )
    if days not in CLOUDWATCH_RETENTION_DAYS:
        yield Issue(
            _key("monitoring.logRetention.loadBalancerDays"),
            f"aws: the WAF's CloudWatch log group keeps logs one of {sorted(CLOUDWATCH_RETENTION_DAYS)} days",
        )


def _waf(cfg: StackConfig) -> Iterator[Issue]:
    waf = cfg.edge.waf
    if not waf.enabled:
        yield Issue(
            _key("edge.waf.enabled"), "aws: CloudFront always has its WAFv2 web ACL (security rule 28): set true"
        )
    low, high = WAF_RATE_LIMITS
    if not low <= waf.rate_per_five_minutes <= high:
        yield Issue(
            _key("edge.waf.ratePerFiveMinutes"),
            f"aws: a WAFv2 rate-based rule counts {low} to {high} requests per window",
        )


def _certificate(cfg: StackConfig) -> Iterator[Issue]:
    """The viewer certificate names ``api.<zone>``, every public record and the alternative names,
    all inside the zone (validated there), at most ``ACM_NAMES``."""
    dns, tls = cfg.edge.dns, cfg.edge.tls
    zone = dns.zone_name
    for i, name in enumerate(tls.subject_alternative_names):
        if name.removeprefix("*.") != zone and not name.endswith(f".{zone}"):
            yield Issue(
                _key(f"edge.tls.subjectAlternativeNames[{i}]"),
                f"aws: ACM validates {name} in the zone {zone}, which it lies outside",
            )
    served = [f"{API_LABEL}.{zone}"] + [f"{r.name}.{zone}" for r in dns.records if r.target in ("loadBalancer", "cdn")]
    names = dict.fromkeys([*served, *tls.subject_alternative_names])
    if len(names) > ACM_NAMES:
        yield Issue(
            _key("edge.tls.subjectAlternativeNames"),
            f"aws: an ACM certificate holds {ACM_NAMES} names, and the CDN's would hold {len(names)}"
            f" (api, the public records and these)",
        )


def _origin_port(cfg: StackConfig) -> Iterator[Issue]:
    """CloudFront reaches the ALB on its one HTTPS listener, 443, which the internet flow must open
    (to CloudFront's origin-facing servers; viewers' port 80 ends at CloudFront, which redirects)."""
    if cfg.edge.cdn.origin_https_port != ORIGIN_HTTPS_PORT:
        yield Issue(
            _key("edge.cdn.originHttpsPort"),
            f"aws: the API's load balancer listens for CloudFront on {ORIGIN_HTTPS_PORT} only",
        )
    for i, flow in enumerate(cfg.network.flows):
        if flow.source == "internet" and ORIGIN_HTTPS_PORT not in flow.ports:
            yield Issue(
                _key(f"network.flows[{i}].ports"),
                f"aws: CloudFront reaches the load balancer on {ORIGIN_HTTPS_PORT}, which this flow must open",
            )
