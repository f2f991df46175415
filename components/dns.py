"""The stack's public DNS zone: the domain the API, the CDN and the origin live under."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pulumi

from bettafish.config.edge import Dns as DnsConfig
from components.base import DeployContext, NeutralComponent

CAA_ISSUERS = {"aws": "amazon.com", "gcp": "pki.goog", "azure": "digicert.com"}
"""The CA each cloud's managed certificates come from (ACM, Google-managed, Front Door/App
Gateway managed certificates): the zone's CAA records name it and no other."""


@dataclass(frozen=True)
class DnsArgs:
    dns: DnsConfig
    key_deletion_window_days: int
    """How long a deleted DNSSEC signing key stays recoverable (``encryption.keyDeletionWindowDays``)."""
    context: DeployContext


class Dns(NeutralComponent):
    """``bettafish:edge:Dns`` (Route 53, Cloud DNS, Azure DNS): the public zone for ``dns.zoneName``,
    signed with DNSSEC where the cloud offers it for public zones, with CAA records naming the
    cloud's certificate authority. Records in it are added by the components they point at (the
    origin by the workloads, the API and CDN names by the edge)."""

    TYPE: ClassVar[str] = "bettafish:edge:Dns"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("zone_name", "zone_id", "name_servers")

    zone_name: pulumi.Output[str]
    """The zone's domain (``bettafish.example.com``)."""
    zone_id: pulumi.Output[str]
    """The zone's id in the cloud (Route 53 zone id, Cloud DNS managed zone id, Azure resource id)."""
    name_servers: pulumi.Output[list[str]]
    """Delegate the domain to these at the registrar."""

    def __init__(self, name: str, args: DnsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args.context, opts)
