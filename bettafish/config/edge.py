"""Edge config: domain, TLS, CDN, DNS records and WAF."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from bettafish.config.base import Model, Port, PositiveInt

HttpMethod = Literal["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
Hostname = Annotated[str, Field(pattern=r"^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")]
RecordName = Annotated[str, Field(pattern=r"^[a-z0-9]([a-z0-9.-]{0,61}[a-z0-9])?$")]


class Tls(Model):
    min_version: Literal["1.2", "1.3"]
    cipher_suites: list[str]
    subject_alternative_names: list[Hostname]


class CdnTtl(Model):
    default_seconds: Annotated[int, Field(ge=0)]
    min_seconds: Annotated[int, Field(ge=0)]
    max_seconds: Annotated[int, Field(ge=0)]

    @model_validator(mode="after")
    def _ordered(self) -> CdnTtl:
        if not self.min_seconds <= self.default_seconds <= self.max_seconds:
            raise ValueError("need minSeconds <= defaultSeconds <= maxSeconds")
        return self


class GeoRestriction(Model):
    type: Literal["none", "allowlist", "blocklist"] = "none"
    locations: list[Annotated[str, Field(pattern=r"^[A-Z]{2}$")]] = Field(default_factory=list)


class Cdn(Model):
    enabled: bool
    viewer_protocol_policy: Literal["redirect-to-https", "https-only"]
    allowed_methods: list[HttpMethod]
    cached_methods: list[HttpMethod]
    compress: bool
    ttl: CdnTtl
    static_ttl_seconds: PositiveInt
    cache_dynamic_content: bool = False
    origin_protocol_policy: Literal["https-only"] = "https-only"
    origin_http_port: Port = 80
    origin_https_port: Port = 443
    origin_tls_protocols: list[Literal["TLSv1.2", "TLSv1.3"]]
    geo_restriction: GeoRestriction = GeoRestriction()

    @model_validator(mode="after")
    def _cached_subset_of_allowed(self) -> Cdn:
        if not set(self.cached_methods) <= set(self.allowed_methods):
            raise ValueError("cachedMethods must be a subset of allowedMethods")
        return self


class DnsRecord(Model):
    name: RecordName
    target: Literal["loadBalancer", "cdn", "database", "cache"]
    ttl_seconds: PositiveInt | None = None
    """None for alias records, which follow their target's TTL."""


class Dns(Model):
    zone_name: Hostname
    private: bool = False
    """Must stay false on every cloud (checked): the zone answers the internet and is DNSSEC-signed."""
    records: list[DnsRecord]
    record_ttl_seconds: PositiveInt = 300
    """TTL of the records the platform writes in the public zone on its own, on every cloud: the CAA
    records, ACM's validation record and the origin's record (``origin.<zone>``) where it is not an
    alias (AWS's is an alias to the ALB, which has no TTL). cert-manager writes the DNS-01 TXT records
    of Azure's origin certificate itself, with its own TTL (60 s)."""


class Waf(Model):
    enabled: bool
    mode: Literal["prevention", "detection"]
    rate_per_five_minutes: Annotated[int, Field(ge=100)]


class Edge(Model):
    tls: Tls
    cdn: Cdn
    dns: Dns
    waf: Waf
