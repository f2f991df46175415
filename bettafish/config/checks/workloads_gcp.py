"""What the services' ingress and names need on GCP (GKE Ingress, Cloud DNS)."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.stack import StackConfig

MANAGED_CERTIFICATE_DOMAIN_MAX = 63
"""A ManagedCertificate's domains are at most 63 characters each (its CRD refuses longer ones)."""


def check_gcp_workloads(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "gcp":
        return
    origin = f"origin.{cfg.edge.dns.zone_name}"
    if len(origin) > MANAGED_CERTIFICATE_DOMAIN_MAX:
        yield Issue(
            _key("edge.dns.zoneName"),
            f"the gateway's certificate on gcp is a GKE ManagedCertificate, whose domains take at most"
            f" {MANAGED_CERTIFICATE_DOMAIN_MAX} characters: {origin} has {len(origin)}",
        )
    port = cfg.services.api_gateway.port
    opened = {p for f in cfg.network.flows if f.source == "loadBalancer" and f.to == "application" for p in f.ports}
    if port not in opened:
        yield Issue(
            _key("services.apiGateway.port"),
            f"on gcp the load balancer and its health checks reach the gateway's pods on their own port"
            f" (container-native load balancing): add {port} to a flow from loadBalancer to application",
        )
    for i, record in enumerate(cfg.edge.dns.records):
        if record.target in ("database", "cache") and record.ttl_seconds is None:
            yield Issue(
                _key(f"edge.dns.records[{i}].ttlSeconds"),
                "the internal records are A records on gcp (the data services' endpoints are IP addresses),"
                " which carry a TTL: set ttlSeconds",
            )
