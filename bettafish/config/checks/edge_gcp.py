"""What the edge needs on GCP (Cloud CDN on a global external Application Load Balancer, Cloud
Armor, a Certificate Manager certificate validated in the stack's zone)."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.edge import HttpMethod
from bettafish.config.stack import StackConfig

CDN_CACHED_METHODS: frozenset[HttpMethod] = frozenset({"GET", "HEAD"})
"""Cloud CDN caches responses to GET (and answers HEAD from them), never other methods."""
ALL_METHODS: frozenset[HttpMethod] = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"})
CDN_MAX_TTL_SECONDS = 31_622_400
"""Cloud CDN's largest TTL (one year): https://cloud.google.com/cdn/docs/using-ttl-overrides."""
ARMOR_THROTTLE_MAX = 1_000_000
"""The largest count of a Cloud Armor throttle rule."""
RESTRICTED_SUITES = frozenset(
    {
        "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
        "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
        "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
    }
)
"""The TLS 1.2 suites of the RESTRICTED SSL policy profile, which the edge and the origin use."""


def check_gcp_edge(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "gcp":
        return
    edge, cdn = cfg.edge, cfg.edge.cdn
    if extra := sorted(set(cdn.cached_methods) - CDN_CACHED_METHODS):
        yield Issue(
            _key("edge.cdn.cachedMethods"), f"Cloud CDN on gcp caches GET and HEAD only, not {', '.join(extra)}"
        )
    if missing := sorted(ALL_METHODS - set(cdn.allowed_methods)):
        yield Issue(
            _key("edge.cdn.allowedMethods"),
            f"the edge on gcp (a global external Application Load Balancer) forwards every method and has no"
            f" per-method allow list: list all seven (missing {', '.join(missing)})",
        )
    if cdn.ttl.min_seconds:
        yield Issue(_key("edge.cdn.ttl.minSeconds"), "Cloud CDN on gcp has no minimum TTL: set 0")
    for path, ttl in (
        ("edge.cdn.ttl.maxSeconds", cdn.ttl.max_seconds),
        ("edge.cdn.staticTtlSeconds", cdn.static_ttl_seconds),
    ):
        if ttl > CDN_MAX_TTL_SECONDS:
            yield Issue(_key(path), f"Cloud CDN on gcp caches at most {CDN_MAX_TTL_SECONDS} s (a year): {ttl}")
    if edge.waf.rate_per_five_minutes > ARMOR_THROTTLE_MAX:
        yield Issue(
            _key("edge.waf.ratePerFiveMinutes"),
            f"a Cloud Armor throttle on gcp counts at most {ARMOR_THROTTLE_MAX} requests per interval",
        )
    if unknown := sorted(set(edge.tls.cipher_suites) - RESTRICTED_SUITES):
        yield Issue(
            _key("edge.tls.cipherSuites"),
            f"the edge's SSL policy on gcp (RESTRICTED profile) offers only forward-secret AEAD suites, not"
            f" {', '.join(unknown)}",
        )
    if f"TLSv{edge.tls.min_version}" < min(cdn.origin_tls_protocols):
        yield Issue(
            _key("edge.cdn.originTlsProtocols"),
            f"on gcp the edge reaches the origin with what the origin's SSL policy admits, TLS {edge.tls.min_version}"
            f" or newer (edge.tls.minVersion), and cannot be held to {min(cdn.origin_tls_protocols)} or newer alone:"
            f" raise edge.tls.minVersion or list TLSv{edge.tls.min_version}",
        )
    zone = edge.dns.zone_name
    for i, name in enumerate(edge.tls.subject_alternative_names):
        domain = name.removeprefix("*.")
        if domain != zone and not domain.endswith(f".{zone}"):
            yield Issue(
                _key(f"edge.tls.subjectAlternativeNames[{i}]"),
                f"on gcp the certificate is validated by DNS records in the stack's zone {zone}: {name} is outside it",
            )
