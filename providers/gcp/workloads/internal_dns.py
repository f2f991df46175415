"""The data services' internal names: a private Cloud DNS zone ``internal.<zone>`` that only the
stack's network sees, with an A record per data service (Cloud SQL and Memorystore endpoints are IP
addresses on GCP, so no CNAME has a name to point at)."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from bettafish.config.edge import Dns as DnsConfig
from components.base import NeutralComponent
from providers.gcp.firewall import gcp_name


def internal_zone(
    parent: NeutralComponent,
    name: str,
    *,
    project: str,
    zone: str,
    records: list[tuple[str, pulumi.Output[str]]],
    dns: DnsConfig,
    network: gcp.compute.Network,
    dns_api: gcp.projects.Service,
) -> gcp.dns.ManagedZone:
    """A private zone for ``zone`` bound to ``network`` and an A record per ``(name, address)``, with
    the TTL of its ``edge.dns.records`` entry (``<name>.internal``).

    Pods resolve it through kube-dns, which forwards to the node's metadata server resolver, which
    answers from the private zones bound to the node's network. The public zone cannot sign it: Cloud
    DNS offers no DNSSEC for private zones. Nothing in it is data: it is never protected, and a
    destroy empties it (``force_destroy``) of any record made outside the stack too."""
    private = gcp.dns.ManagedZone(
        gcp_name(name, "internal-zone"),
        project=project,
        dns_name=f"{zone}.",
        visibility="private",
        private_visibility_config={"networks": [{"network_url": network.id}]},
        description="BettaFish data services' internal names, visible to the stack's network only",
        force_destroy=True,
        labels=parent.context.tags("workloads"),
        opts=parent.child(depends_on=[dns_api]),
    )
    ttls = {record.name: record.ttl_seconds for record in dns.records}
    for relative, address in records:
        gcp.dns.RecordSet(
            f"{name}-internal-{relative}",
            project=project,
            managed_zone=private.name,
            name=f"{relative}.{zone}.",
            type="A",
            ttl=ttls[f"{relative}.internal"],
            rrdatas=[address],
            opts=parent.child(),
        )
    return private
