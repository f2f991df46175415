"""Azure Dns: the stack's public Azure DNS zone, signed with DNSSEC, with CAA records naming the two
certificate authorities the platform's certificates come from.

- DNSSEC: Azure signs the zone (ECDSA P-256, NSEC5) once a ``DnssecConfig`` exists and rolls its
  zone-signing key itself. The chain of trust needs the zone's DS record at the parent: after
  delegating the domain, give the registrar ``ds_records`` (docs/deploying.md). The SDK's DNS API
  version is ``2023-07-01-preview``; Azure documents DNSSEC for public zones with no preview mark.
- CAA: Front Door's managed certificates come from DigiCert (``CAA_ISSUERS``); the origin's
  certificate (``providers.azure.workloads.certificate``) from Let's Encrypt. No other CA may issue
  for the domain.
- The zone is stateful (protected in prod): its name servers are what the registrar delegates to,
  and a new zone gets new ones.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import dns, resources

from components.dns import CAA_ISSUERS, Dns, DnsArgs
from providers.azure.common import delete_lock

ACME_CA = "letsencrypt.org"
"""The CAA identity of Let's Encrypt, which issues the origin's certificate."""
ZONE_APEX = "@"


def caa_issuers() -> list[str]:
    """The CAs allowed to issue for the domain on Azure: Front Door's and the origin's."""
    return [CAA_ISSUERS["azure"], ACME_CA]


class AzureDns(Dns):
    """Children: ResourceGroup, the public ``dns.Zone`` (stateful, locked where stateful resources are
    protected), its ``DnssecConfig`` and the apex CAA ``RecordSet``.

    Extra attributes: ``resource_group``, ``zone`` (records are added by the components they point
    at), ``ds_records`` (the DS records to give the registrar, one per key-signing key).
    """

    def __init__(self, name: str, args: DnsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        ctx = args.context
        tags = ctx.tags("dns")
        self.resource_group = resources.ResourceGroup(
            f"{name}-rg", location=ctx.provider.region, tags=tags, opts=self.child()
        )
        self.zone = dns.Zone(
            f"{name}-zone",
            zone_name=args.dns.zone_name,
            resource_group_name=self.resource_group.name,
            location="global",
            zone_type="Public",
            tags=tags,
            opts=self.child(stateful=True),
        )
        delete_lock(self, f"{name}-zone-lock", self.zone, self.zone.id, "The domain is delegated to this zone")
        dnssec = dns.DnssecConfig(
            f"{name}-dnssec",
            resource_group_name=self.resource_group.name,
            zone_name=self.zone.name,
            opts=self.child(),
        )
        dns.RecordSet(
            f"{name}-caa",
            resource_group_name=self.resource_group.name,
            zone_name=self.zone.name,
            relative_record_set_name=ZONE_APEX,
            record_type="CAA",
            ttl=args.dns.record_ttl_seconds,
            caa_records=[{"flags": 0, "tag": "issue", "value": issuer} for issuer in caa_issuers()],
            opts=self.child(),
        )
        self.ds_records: pulumi.Output[list[str]] = dnssec.signing_keys.apply(
            lambda keys: [info.record for key in keys for info in key.delegation_signer_info]
        )
        self._publish(
            zone_name=self.zone.name,
            zone_id=self.zone.id,
            name_servers=self.zone.name_servers.apply(lambda servers: [s.rstrip(".") for s in servers]),
        )
