"""Edge settings Azure Front Door constrains (or that the Azure edge's design fixes): TLS cipher suites,
cached methods and TTLs, the viewer protocol, the probe interval, the origin's port, the certificate
names (Front Door's log retention is checked with the other Log Analytics workspaces, operations_azure)."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.stack import StackConfig

TLS12_SUITES = {
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256": "ECDHE_RSA_AES128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384": "ECDHE_RSA_AES256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_256_GCM_SHA384": "DHE_RSA_AES256_GCM_SHA384",
    "TLS_DHE_RSA_WITH_AES_128_GCM_SHA256": "DHE_RSA_AES128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA256": "ECDHE_RSA_AES128_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_CBC_SHA384": "ECDHE_RSA_AES256_SHA384",
}
"""The TLS 1.2 suites a Front Door custom TLS policy takes, by their IANA names (the config's)."""
CACHEABLE_METHODS = ("GET", "HEAD")
"""Front Door caches GET responses and answers HEAD from them; nothing else is cached."""
MAX_CACHE_SECONDS = 366 * 86400
"""The longest cache duration a Front Door rule sets."""
PROBE_INTERVAL_SECONDS = (1, 255)
ORIGIN_HTTPS_PORT = 443
"""Application Gateway for Containers' HTTPS listener (``providers/azure/workloads/routes.py``)."""


def check_azure_edge(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "azure":
        return
    yield from _tls(cfg)
    yield from _cdn(cfg)
    yield from _names(cfg)
    interval = cfg.services.api_gateway.health_check.interval_seconds
    if not PROBE_INTERVAL_SECONDS[0] <= interval <= PROBE_INTERVAL_SECONDS[1]:
        yield Issue(
            _key("services.apiGateway.healthCheck.intervalSeconds"),
            f"azure: Front Door probes origins every {PROBE_INTERVAL_SECONDS[0]} to {PROBE_INTERVAL_SECONDS[1]} s",
        )


def _tls(cfg: StackConfig) -> Iterator[Issue]:
    tls = cfg.edge.tls
    unknown = [s for s in tls.cipher_suites if s not in TLS12_SUITES]
    if tls.min_version == "1.2" and unknown:
        yield Issue(
            _key("edge.tls.cipherSuites"),
            f"azure: a Front Door TLS policy takes only {', '.join(TLS12_SUITES)} for TLS 1.2, not {', '.join(unknown)}",
        )
    if tls.min_version == "1.2" and not tls.cipher_suites:
        yield Issue(_key("edge.tls.cipherSuites"), "azure: a Front Door custom TLS policy needs TLS 1.2 cipher suites")


def _cdn(cfg: StackConfig) -> Iterator[Issue]:
    cdn = cfg.edge.cdn
    if not cdn.enabled:
        yield Issue(
            _key("edge.cdn.enabled"),
            "azure: the origin admits Front Door only (its service tag and X-Azure-FDID), so the API needs the CDN",
        )
    if cdn.viewer_protocol_policy != "redirect-to-https":
        yield Issue(
            _key("edge.cdn.viewerProtocolPolicy"),
            "azure: Front Door routes answer plain HTTP with a redirect to HTTPS (security rule 27); use redirect-to-https",
        )
    uncacheable = [m for m in cdn.cached_methods if m not in CACHEABLE_METHODS]
    if uncacheable:
        yield Issue(
            _key("edge.cdn.cachedMethods"),
            f"azure: Front Door caches GET and HEAD only, not {', '.join(uncacheable)}",
        )
    if cdn.ttl.max_seconds > 0 or cdn.cache_dynamic_content:
        yield Issue(
            _key("edge.cdn.ttl"),
            "azure: Front Door does not cache the API route (TTL 0, cacheDynamicContent false); only /static/* is"
            " cached, for staticTtlSeconds",
        )
    if cdn.static_ttl_seconds > MAX_CACHE_SECONDS:
        yield Issue(
            _key("edge.cdn.staticTtlSeconds"),
            f"azure: a Front Door rule caches for at most 366 days ({MAX_CACHE_SECONDS} s)",
        )
    if cdn.origin_https_port != ORIGIN_HTTPS_PORT:
        yield Issue(
            _key("edge.cdn.originHttpsPort"),
            f"azure: the origin (Application Gateway for Containers) listens for HTTPS on {ORIGIN_HTTPS_PORT}",
        )


def _names(cfg: StackConfig) -> Iterator[Issue]:
    zone = cfg.edge.dns.zone_name
    for i, name in enumerate(cfg.edge.tls.subject_alternative_names):
        if name == zone:
            yield Issue(
                _key(f"edge.tls.subjectAlternativeNames[{i}]"),
                "azure: the edge serves names under the zone, not its apex (which would need an alias record)",
            )
        elif not name.endswith(f".{zone}"):
            yield Issue(
                _key(f"edge.tls.subjectAlternativeNames[{i}]"),
                f"azure: Front Door validates its managed certificates through the zone {zone}; {name} is outside it",
            )
