"""Front Door Premium in front of the API: the profile, its endpoint, the origin group probing the API
gateway's health path over HTTPS, the origin (``origin.<zone>``, Application Gateway for Containers),
the static-content rule set and the two routes.

- Origin: reached over HTTPS only (the routes forward ``HttpsOnly``) on ``originHttpsPort``, with the
  origin's own name as host header and SNI, and its certificate's name checked. Front Door negotiates
  TLS 1.2 or 1.3 with origins (no lower version since 2025) and AGC accepts nothing older than TLS 1.2.
- Health: Front Door probes the gateway's health path with HTTPS GETs every ``intervalSeconds``; an
  origin is down once ``unhealthyThreshold`` of the last ``healthy + unhealthy - 1`` probes failed.
- Routes: viewers are redirected to HTTPS (TLS 1.2 or newer on the custom domains). ``/*`` is the
  API, forwarded with caching off: Front Door stores nothing and every method reaches the origin
  (Front Door routes forward all seven; the WAF narrows them when ``allowedMethods`` does).
  ``/static/*`` (``STATIC_PATTERN``) is cached: query strings are part of the cache key, responses are
  compressed, and a rule set holds them ``staticTtlSeconds`` whatever the origin says. Front Door
  compresses only what it caches, so API responses pass through as the API gateway compressed them.
- Endpoint host name: ``<name>-<hash>.z01.azurefd.net``, the hash fixed by ``TenantReuse`` so a
  destroyed and recreated staging endpoint gets its old name back.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import cdn, resources

from bettafish.config.edge import Cdn as CdnConfig
from bettafish.config.services import HealthCheck
from components.base import NeutralComponent

SKU = "Premium_AzureFrontDoor"
STATIC_PATTERN = "/static/*"
"""What the edge caches as static content: the API gateway serves its assets under ``/static/``."""
API_PATTERN = "/*"
COMPRESSED_TYPES = (
    "application/javascript",
    "application/json",
    "application/xml",
    "image/svg+xml",
    "text/css",
    "text/html",
    "text/javascript",
    "text/plain",
)
"""Content types Front Door compresses (it compresses only listed types, 1 KB to 8 MB)."""
SINGLE_ORIGIN_LATENCY_MS = 0
"""Latency sensitivity matters only between several origins: there is one."""
SECONDS_PER_DAY = 86400


@dataclass(frozen=True)
class FrontDoor:
    profile: cdn.Profile
    endpoint: cdn.AFDEndpoint
    origin_group: cdn.AFDOriginGroup
    origin: cdn.AFDOrigin
    static_rules: cdn.RuleSet
    static_rule: cdn.Rule


def front_door(
    parent: NeutralComponent,
    name: str,
    rg: resources.ResourceGroup,
    tags: dict[str, str],
    *,
    config: CdnConfig,
    origin_host: pulumi.Input[str],
    health_check: HealthCheck,
) -> FrontDoor:
    profile = cdn.Profile(
        f"{name}-fd",
        resource_group_name=rg.name,
        location="global",
        sku={"name": SKU},
        tags=tags,
        opts=parent.child(),
    )
    endpoint = cdn.AFDEndpoint(
        f"{name}-endpoint",
        # Named, not auto-named: with TenantReuse the host name's hash follows the name alone.
        endpoint_name=name,
        profile_name=profile.name,
        resource_group_name=rg.name,
        location="global",
        enabled_state="Enabled",
        auto_generated_domain_name_label_scope="TenantReuse",
        tags=tags,
        opts=parent.child(),
    )
    group = cdn.AFDOriginGroup(
        f"{name}-origins",
        profile_name=profile.name,
        resource_group_name=rg.name,
        health_probe_settings={
            "probe_path": health_check.path,
            "probe_protocol": "Https",
            "probe_request_type": "GET",
            "probe_interval_in_seconds": health_check.interval_seconds,
        },
        load_balancing_settings={
            "sample_size": health_check.healthy_threshold + health_check.unhealthy_threshold - 1,
            "successful_samples_required": health_check.healthy_threshold,
            "additional_latency_in_milliseconds": SINGLE_ORIGIN_LATENCY_MS,
        },
        session_affinity_state="Disabled",
        opts=parent.child(),
    )
    origin = cdn.AFDOrigin(
        f"{name}-origin",
        origin_group_name=group.name,
        profile_name=profile.name,
        resource_group_name=rg.name,
        host_name=origin_host,
        origin_host_header=origin_host,
        http_port=config.origin_http_port,
        https_port=config.origin_https_port,
        enforce_certificate_name_check=True,
        enabled_state="Enabled",
        opts=parent.child(),
    )
    rule_set, rule = _static_caching(parent, name, rg, profile, config)
    return FrontDoor(profile, endpoint, group, origin, rule_set, rule)


def _static_caching(
    parent: NeutralComponent, name: str, rg: resources.ResourceGroup, profile: cdn.Profile, config: CdnConfig
) -> tuple[cdn.RuleSet, cdn.Rule]:
    """A rule set (names: letters and digits only) whose one rule, with no condition, holds what the
    static route caches for ``staticTtlSeconds`` whatever the origin's Cache-Control says."""
    rule_set = cdn.RuleSet(
        f"{name}-static-rules",
        rule_set_name="staticcontent",
        profile_name=profile.name,
        resource_group_name=rg.name,
        opts=parent.child(),
    )
    rule = cdn.Rule(
        f"{name}-static-ttl",
        rule_name="cacheforttl",
        rule_set_name=rule_set.name,
        profile_name=profile.name,
        resource_group_name=rg.name,
        order=1,
        conditions=[],
        actions=[
            {
                "name": "RouteConfigurationOverride",
                "parameters": {
                    "type_name": "DeliveryRuleRouteConfigurationOverrideActionParameters",
                    "cache_configuration": {
                        "cache_behavior": "OverrideAlways",
                        "cache_duration": cache_duration(config.static_ttl_seconds),
                        "query_string_caching_behavior": "UseQueryString",
                        "is_compression_enabled": "Enabled" if config.compress else "Disabled",
                    },
                },
            }
        ],
        match_processing_behavior="Continue",
        opts=parent.child(),
    )
    return rule_set, rule


def routes(
    parent: NeutralComponent,
    name: str,
    rg: resources.ResourceGroup,
    door: FrontDoor,
    config: CdnConfig,
    domains: list[cdn.AFDCustomDomain],
) -> list[cdn.Route]:
    """The API route (``/*``, not cached) and the static route (``/static/*``, cached), both on the
    custom domains and the endpoint's own name, HTTP redirected to HTTPS, HTTPS to the origin. A
    route needs an origin in its group (Front Door refuses an empty one) and its rule set's rule."""
    common = {
        "endpoint_name": door.endpoint.name,
        "profile_name": door.profile.name,
        "resource_group_name": rg.name,
        "origin_group": {"id": door.origin_group.id},
        "custom_domains": [{"id": d.id} for d in domains],
        "supported_protocols": ["Http", "Https"],
        "https_redirect": "Enabled",
        "forwarding_protocol": "HttpsOnly",
        "link_to_default_domain": "Enabled",
        "enabled_state": "Enabled",
    }
    api = cdn.Route(
        f"{name}-api-route",
        route_name="api",
        patterns_to_match=[API_PATTERN],
        opts=parent.child(depends_on=[door.origin]),
        **common,
    )
    static = cdn.Route(
        f"{name}-static-route",
        route_name="static",
        patterns_to_match=[STATIC_PATTERN],
        cache_configuration={
            "query_string_caching_behavior": "UseQueryString",
            "compression_settings": {
                "is_compression_enabled": config.compress,
                "content_types_to_compress": list(COMPRESSED_TYPES),
            },
        },
        rule_sets=[{"id": door.static_rules.id}],
        opts=parent.child(depends_on=[door.origin, door.static_rule]),
        **common,
    )
    return [api, static]


def cache_duration(seconds: int) -> str:
    """Front Door's ``d.hh:mm:ss`` (86400 -> ``1.00:00:00``)."""
    days, rest = divmod(seconds, SECONDS_PER_DAY)
    hours, rest = divmod(rest, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{days}.{hours:02d}:{minutes:02d}:{secs:02d}"
