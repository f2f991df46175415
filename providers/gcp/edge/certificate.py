"""The edge's certificate: a Google-managed Certificate Manager certificate for ``api.<zone>`` and
``edge.tls.subjectAlternativeNames``, validated through DNS, served through a certificate map.

- DNS authorization (not load balancer authorization) because it issues wildcards and does not need
  the names to point at the load balancer first. One ``DnsAuthorization`` per domain: one for
  ``example.com`` covers ``example.com`` and ``*.example.com`` only, so ``api.example.com`` needs its
  own. Each asks for a CNAME ``_acme-challenge.<domain>.`` in the public zone, written here.
- Location ``global``: a global external Application Load Balancer takes only global certificates,
  and only through a certificate map (``TargetHttpsProxy.certificateMap``).
- Google issues from Google Trust Services or Let's Encrypt, the CAs the zone's CAA records name
  (``providers.gcp.dns``). Issuance waits for the zone's delegation at the registrar.
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.base import NeutralComponent
from providers.gcp.firewall import gcp_name

LOCATION = "global"


def certificate_domains(zone: str, alternative_names: list[str]) -> list[str]:
    """``api.<zone>`` first, then the alternative names, without repeats."""
    return list(dict.fromkeys([f"api.{zone}", *alternative_names]))


def authorization_domains(domains: list[str]) -> list[str]:
    """The domains to authorize: a wildcard is covered by its parent's authorization."""
    return list(dict.fromkeys(d.removeprefix("*.") for d in domains))


class EdgeCertificate:
    """Children of ``parent``: the authorizations and their CNAME records, the ``Certificate``, the
    ``CertificateMap`` and its ``PRIMARY`` entry (served to every name the proxy is asked for).

    Attributes: ``authorizations``, ``records``, ``certificate``, ``map``, ``entry``."""

    def __init__(
        self,
        parent: NeutralComponent,
        name: str,
        *,
        project: str,
        zone: gcp.dns.ManagedZone,
        domains: list[str],
        record_ttl: int,
        api: gcp.projects.Service,
    ) -> None:
        labels = parent.context.tags("edge")
        after_api = parent.child(depends_on=[api])
        self.authorizations: list[gcp.certificatemanager.DnsAuthorization] = []
        self.records: list[gcp.dns.RecordSet] = []
        for i, domain in enumerate(authorization_domains(domains)):
            authorization = gcp.certificatemanager.DnsAuthorization(
                gcp_name(name, f"auth-{i}"),
                project=project,
                location=LOCATION,
                domain=domain,
                description=f"Proves control of {domain} for the edge certificate",
                labels=labels,
                opts=after_api,
            )
            record = authorization.dns_resource_records[0]
            self.records.append(
                gcp.dns.RecordSet(
                    f"{name}-auth-{i}-record",
                    project=project,
                    managed_zone=zone.name,
                    name=record.name,
                    type=record.type,
                    ttl=record_ttl,
                    rrdatas=[record.data],
                    opts=parent.child(),
                )
            )
            self.authorizations.append(authorization)
        self.certificate = gcp.certificatemanager.Certificate(
            gcp_name(name, "cert"),
            project=project,
            location=LOCATION,
            description="BettaFish API: " + ", ".join(domains),
            managed={"domains": domains, "dns_authorizations": [a.id for a in self.authorizations]},
            labels=labels,
            opts=parent.child(depends_on=[api, *self.records]),
        )
        self.map = gcp.certificatemanager.CertificateMap(
            gcp_name(name, "certs"), project=project, description="BettaFish edge", labels=labels, opts=after_api
        )
        self.entry = gcp.certificatemanager.CertificateMapEntry(
            gcp_name(name, "cert-entry"),
            project=project,
            map=self.map.name,
            matcher="PRIMARY",
            certificates=[self.certificate.id],
            description="The API certificate, for every name the edge serves",
            labels=labels,
            opts=parent.child(),
        )

    @property
    def map_reference(self) -> pulumi.Output[str]:
        """How a target proxy names the map: ``//certificatemanager.googleapis.com/<map id>``."""
        return pulumi.Output.concat("//certificatemanager.googleapis.com/", self.map.id)
