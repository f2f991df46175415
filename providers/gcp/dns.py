"""GCP Dns: the stack's public Cloud DNS zone, signed with DNSSEC, with CAA records naming the CAs
of Google-managed certificates."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.dns import CAA_ISSUERS, Dns, DnsArgs
from providers.gcp.firewall import gcp_name
from providers.gcp.project import DNS, enable_apis, require_project

GOOGLE_MANAGED_CAS: tuple[str, ...] = (CAA_ISSUERS["gcp"], "letsencrypt.org")
"""Google-managed certificates (the ingress's ManagedCertificate, Certificate Manager's) are issued
by Google Trust Services (``pki.goog``) or by Let's Encrypt, whichever Google picks: a zone whose CAA
records name only one of them may see issuance or renewal fail with ``FAILED_CAA_FORBIDDEN``
("an explicit CAA record that does not include one of the in-use CAs (Google CA and Let's Encrypt)",
https://cloud.google.com/load-balancing/docs/ssl-certificates/google-managed-certs#caa). Without
``issuewild`` records these ``issue`` records govern wildcard names too (RFC 8659, 4.3)."""
DNSSEC = {"state": "on", "non_existence": "nsec3"}
"""Signed by Cloud DNS with its default keys (RSASHA256, a 2048-bit key-signing and a 1024-bit
zone-signing key, rotated by Google); NSEC3 so the zone cannot be walked. The key specs are left to
Google: once signing is on, Cloud DNS refuses any change to them (``immutableField``)."""


class GcpDns(Dns):
    """Children: the Cloud DNS API; a public ``dns.ManagedZone`` for ``<zoneName>.`` with DNSSEC on
    (security: a resolver that validates can trust the origin and CDN records); a CAA record set at
    the apex naming ``GOOGLE_MANAGED_CAS`` and no other CA.

    The zone is stateful (protected in prod): the registrar delegates to its name servers and, once
    DNSSEC is live, holds a DS record of its key-signing key. A new zone gets new keys (and may get
    other name servers), so replacing it takes the domain off the air for validating resolvers
    until the registrar has the new DS record (docs/deploying.md). Where nothing is protected
    (staging) ``force_destroy`` lets a destroy delete records made outside Pulumi too; Cloud DNS
    refuses to delete a zone that is not empty.

    Outputs: ``zone_name`` without the trailing dot, ``zone_id`` the zone's resource name
    (``projects/<project>/managedZones/<name>``), ``name_servers`` as Cloud DNS assigned them.
    Extra attributes: ``zone`` (the ManagedZone, for the records of the workloads and the edge),
    ``dns_api``.
    """

    def __init__(self, name: str, args: DnsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        ctx = args.context
        project = require_project(ctx)
        self.dns_api = enable_apis(self, name, project, DNS)[DNS]
        self.zone = gcp.dns.ManagedZone(
            gcp_name(name, "zone"),
            project=project,
            dns_name=f"{args.dns.zone_name}.",
            visibility="public",
            description=f"BettaFish public zone of the {ctx.identity.stack} stack",
            dnssec_config=DNSSEC,
            force_destroy=not ctx.protect_stateful,
            labels=ctx.tags("dns"),
            opts=self.child(stateful=True, depends_on=[self.dns_api]),
        )
        gcp.dns.RecordSet(
            f"{name}-caa",
            project=project,
            managed_zone=self.zone.name,
            name=self.zone.dns_name,
            type="CAA",
            ttl=args.dns.record_ttl_seconds,
            rrdatas=[f'0 issue "{ca}"' for ca in GOOGLE_MANAGED_CAS],
            opts=self.child(),
        )
        self._publish(
            zone_name=self.zone.dns_name.apply(lambda dns_name: dns_name.rstrip(".")),
            zone_id=self.zone.id,
            name_servers=self.zone.name_servers,
        )
