"""The API's public names on Front Door: one custom domain per name, each with a Front Door managed
certificate (DigiCert, which the zone's CAA record names), validated by a ``_dnsauth.<name>`` TXT
record in the stack's Azure DNS zone, and the name's CNAME to the endpoint.

- Names: ``api``, every ``edge.dns.records`` entry whose target is ``cdn``, and the exact names of
  ``edge.tls.subjectAlternativeNames`` (all inside the zone, checked at config time). Front Door issues
  one managed certificate per custom domain; a wildcard alternative name names no host the platform
  serves, so nothing is onboarded for it.
- TLS: the configured minimum version (1.2 or 1.3) and, for TLS 1.2, exactly the configured cipher
  suites (a custom TLS policy); TLS 1.3 is always on with its two AES-GCM suites.
- Validation: Front Door hands out a token valid for 7 days; it validates once the zone is delegated
  and ``_dnsauth.<name>`` resolves, then issues the certificate (and renews it itself, the TXT record
  staying in place). The names are not at the zone's apex, so plain CNAMEs reach the endpoint.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import cdn, dns, resources

from bettafish.config.checks.edge_azure import TLS12_SUITES
from bettafish.config.edge import Edge
from components.base import NeutralComponent
from providers.azure.dns import AzureDns

API_RECORD = "api"
VALIDATION_PREFIX = "_dnsauth"
MINIMUM_TLS = {"1.2": "TLS12", "1.3": "TLS13"}
TLS13_SUITES = ("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384")


@dataclass(frozen=True)
class Domain:
    record: str
    """The name relative to the zone (``api``)."""
    domain: cdn.AFDCustomDomain
    cname: dns.RecordSet


def served_names(edge: Edge) -> list[str]:
    """The names Front Door serves, relative to the zone, ``api`` first."""
    zone = edge.dns.zone_name
    names = [API_RECORD, *(r.name for r in edge.dns.records if r.target == "cdn")]
    names += [n.removesuffix(f".{zone}") for n in edge.tls.subject_alternative_names if not n.startswith("*.")]
    return list(dict.fromkeys(n for n in names if n != zone))


def tls_settings(edge: Edge) -> dict[str, object]:
    suites: dict[str, list[str]] = {"cipher_suite_set_for_tls13": list(TLS13_SUITES)}
    if edge.tls.min_version == "1.2":
        suites["cipher_suite_set_for_tls12"] = [TLS12_SUITES[s] for s in edge.tls.cipher_suites]
    return {
        "certificate_type": "ManagedCertificate",
        "minimum_tls_version": MINIMUM_TLS[edge.tls.min_version],
        "cipher_suite_set_type": "Customized",
        "customized_cipher_suite_set": suites,
    }


def custom_domains(
    parent: NeutralComponent,
    name: str,
    rg: resources.ResourceGroup,
    profile: cdn.Profile,
    endpoint: cdn.AFDEndpoint,
    zone: AzureDns,
    edge: Edge,
) -> list[Domain]:
    ttls = {r.name: r.ttl_seconds for r in edge.dns.records}
    domains = []
    for record in served_names(edge):
        host = f"{record}.{edge.dns.zone_name}"
        domain = cdn.AFDCustomDomain(
            f"{name}-domain-{record}",
            custom_domain_name=host.replace(".", "-"),
            host_name=host,
            profile_name=profile.name,
            resource_group_name=rg.name,
            azure_dns_zone={"id": zone.zone.id},
            tls_settings=tls_settings(edge),
            opts=parent.child(),
        )
        dns.RecordSet(
            f"{name}-dnsauth-{record}",
            resource_group_name=zone.resource_group.name,
            zone_name=zone.zone.name,
            relative_record_set_name=f"{VALIDATION_PREFIX}.{record}",
            record_type="TXT",
            ttl=edge.dns.record_ttl_seconds,
            txt_records=[{"value": [domain.validation_properties.validation_token]}],
            opts=parent.child(),
        )
        cname = dns.RecordSet(
            f"{name}-record-{record}",
            resource_group_name=zone.resource_group.name,
            zone_name=zone.zone.name,
            relative_record_set_name=record,
            record_type="CNAME",
            ttl=ttls.get(record) or edge.dns.record_ttl_seconds,
            cname_record={"cname": endpoint.host_name},
            opts=parent.child(),
        )
        domains.append(Domain(record, domain, cname))
    return domains


def api_url(domains: list[Domain]) -> pulumi.Output[str]:
    """``https://api.<zone>``, once the API's record exists."""
    api = next(d for d in domains if d.record == API_RECORD)
    url: pulumi.Output[str] = api.cname.fqdn.apply(lambda fqdn: f"https://{fqdn.rstrip('.')}")
    return url
