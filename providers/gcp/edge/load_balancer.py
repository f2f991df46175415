"""The edge's global external Application Load Balancer with Cloud CDN.

- Origin: an internet network endpoint group holding ``origin.<zone>`` on its HTTPS port, the API
  gateway's own GKE Ingress. The backend services reach it over HTTPS; the origin's SSL policy admits
  TLS 1.2 or newer only, so that leg is TLS 1.2+ too. Internet NEGs take no health checks (Google
  refuses them); the origin's load balancer health-checks the pods.
- Two backend services on that NEG, both with Cloud CDN, compression per ``edge.cdn.compress``, the
  WAF and request logging (every request, where Cloud Armor's decisions are logged too):
  ``api`` (the default: ``CACHE_ALL_STATIC`` with ``edge.cdn.ttl``, 0 in the spec, so API responses
  are never served from cache unchecked) and ``static`` for ``STATIC_PATHS`` (``FORCE_CACHE_ALL`` for
  ``edge.cdn.staticTtlSeconds``). Cloud CDN caches GET and HEAD only; every method passes through.
- HTTPS on 443 with the certificate map and an SSL policy (TLS ``edge.tls.minVersion``+); HTTP on 80
  only answers with a redirect to HTTPS (``edge.cdn.viewerProtocolPolicy: redirect-to-https``; with
  ``https-only`` there is no port 80 at all).
- Each backend service adds the edge's secret header, which the origin's lock policy requires.
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from bettafish.config.edge import Edge
from components.base import NeutralComponent
from providers.gcp.edge.armor import EDGE_HEADER
from providers.gcp.firewall import gcp_name
from providers.gcp.workloads.ingress import SSL_PROFILE, TLS_VERSIONS

SCHEME = "EXTERNAL_MANAGED"
"""The global external Application Load Balancer (Envoy-based GFEs)."""
STATIC_PATHS: tuple[str, ...] = ("/static/*",)
"""What the edge treats as static content, cached ``edge.cdn.staticTtlSeconds``: the app serves its
assets under ``/static/``. Everything else is the API."""
TIMEOUT_SECONDS = 130
"""Longer than the slowest response the spec names (report generation, 120 s)."""


def _cdn_policy(edge: Edge, *, static: bool) -> gcp.compute.BackendServiceCdnPolicyArgs:
    key = {"include_host": True, "include_protocol": True, "include_query_string": True}
    if static:
        ttl = edge.cdn.static_ttl_seconds
        return gcp.compute.BackendServiceCdnPolicyArgs(
            cache_mode="FORCE_CACHE_ALL", default_ttl=ttl, client_ttl=ttl, cache_key_policy=key
        )
    ttl_config = edge.cdn.ttl
    return gcp.compute.BackendServiceCdnPolicyArgs(
        cache_mode="CACHE_ALL_STATIC",
        default_ttl=ttl_config.default_seconds,
        max_ttl=ttl_config.max_seconds,
        client_ttl=ttl_config.default_seconds,
        cache_key_policy=key,
    )


class EdgeLoadBalancer:
    """Children of ``parent``: the ``GlobalAddress``, the internet NEG and its endpoint, the two
    ``BackendService``s, the ``URLMap``s, the ``SSLPolicy``, the target proxies and forwarding rules.

    Attributes: ``address``, ``neg``, ``api_backend``, ``static_backend``, ``url_map``,
    ``ssl_policy``, ``https_proxy``, ``https_rule``, ``http_rule`` (None for ``https-only``)."""

    def __init__(
        self,
        parent: NeutralComponent,
        name: str,
        *,
        project: str,
        edge: Edge,
        origin_host: pulumi.Output[str],
        certificate_map: pulumi.Output[str],
        waf: gcp.compute.SecurityPolicy,
        geo: gcp.compute.SecurityPolicy | None,
        edge_secret: pulumi.Output[str],
        api: gcp.projects.Service,
        after: list[pulumi.Resource],
    ) -> None:
        after_api = parent.child(depends_on=[api])
        self.address = gcp.compute.GlobalAddress(
            gcp_name(name, "ip"),
            project=project,
            address_type="EXTERNAL",
            ip_version="IPV4",
            description=f"The BettaFish edge (api.{edge.dns.zone_name})",
            labels=parent.context.tags("edge"),
            opts=parent.child(stateful=True, depends_on=[api]),
        )
        self.neg = gcp.compute.GlobalNetworkEndpointGroup(
            gcp_name(name, "origin"),
            project=project,
            network_endpoint_type="INTERNET_FQDN_PORT",
            default_port=edge.cdn.origin_https_port,
            description="The API gateway's ingress, origin of the edge",
            opts=after_api,
        )
        endpoint = gcp.compute.GlobalNetworkEndpoint(
            f"{name}-origin-endpoint",
            project=project,
            global_network_endpoint_group=self.neg.name,
            fqdn=origin_host,
            port=edge.cdn.origin_https_port,
            opts=parent.child(),
        )
        header = edge_secret.apply(lambda value: [f"{EDGE_HEADER}:{value}"])

        def backend(role: str, static: bool) -> gcp.compute.BackendService:
            return gcp.compute.BackendService(
                gcp_name(name, role),
                project=project,
                load_balancing_scheme=SCHEME,
                protocol="HTTPS",
                backends=[{"group": self.neg.id}],
                enable_cdn=True,
                cdn_policy=_cdn_policy(edge, static=static),
                compression_mode="AUTOMATIC" if edge.cdn.compress else "DISABLED",
                custom_request_headers=header,
                security_policy=waf.id,
                edge_security_policy=geo.id if geo is not None else None,
                log_config={"enable": True, "sample_rate": 1.0},
                timeout_sec=TIMEOUT_SECONDS,
                description=f"BettaFish edge: {role}",
                opts=parent.child(depends_on=[endpoint, *after]),
            )

        self.api_backend = backend("api", static=False)
        self.static_backend = backend("static", static=True)
        self.url_map = gcp.compute.URLMap(
            gcp_name(name, "routes"),
            project=project,
            default_service=self.api_backend.id,
            host_rules=[{"hosts": ["*"], "path_matcher": "edge"}],
            path_matchers=[
                {
                    "name": "edge",
                    "default_service": self.api_backend.id,
                    "path_rules": [{"paths": list(STATIC_PATHS), "service": self.static_backend.id}],
                }
            ],
            description="Static paths to the cached backend, the rest to the API",
            opts=parent.child(),
        )
        self.ssl_policy = gcp.compute.SSLPolicy(
            gcp_name(name, "tls"),
            project=project,
            profile=SSL_PROFILE,
            min_tls_version=TLS_VERSIONS[edge.tls.min_version],
            description="BettaFish edge: TLS 1.2 or newer, AEAD suites only",
            opts=after_api,
        )
        self.https_proxy = gcp.compute.TargetHttpsProxy(
            gcp_name(name, "https"),
            project=project,
            url_map=self.url_map.id,
            certificate_map=certificate_map,
            ssl_policy=self.ssl_policy.id,
            description="BettaFish edge, HTTPS",
            opts=parent.child(),
        )
        self.https_rule = self._rule(parent, name, "https", project, self.https_proxy.id, "443")
        self.http_rule: gcp.compute.GlobalForwardingRule | None = None
        if edge.cdn.viewer_protocol_policy == "redirect-to-https":
            redirect = gcp.compute.URLMap(
                gcp_name(name, "redirect"),
                project=project,
                default_url_redirect={
                    "https_redirect": True,
                    "strip_query": False,
                    "redirect_response_code": "MOVED_PERMANENTLY_DEFAULT",
                },
                description="Plain HTTP: redirected to HTTPS",
                opts=after_api,
            )
            http_proxy = gcp.compute.TargetHttpProxy(
                gcp_name(name, "http"), project=project, url_map=redirect.id, opts=parent.child()
            )
            self.http_rule = self._rule(parent, name, "http", project, http_proxy.id, "80")

    def _rule(
        self, parent: NeutralComponent, name: str, role: str, project: str, target: pulumi.Output[str], port: str
    ) -> gcp.compute.GlobalForwardingRule:
        return gcp.compute.GlobalForwardingRule(
            gcp_name(name, f"{role}-rule"),
            project=project,
            load_balancing_scheme=SCHEME,
            ip_protocol="TCP",
            ip_address=self.address.address,
            port_range=port,
            target=target,
            labels=parent.context.tags("edge"),
            opts=parent.child(),
        )
