"""The data services' internal names: a Route 53 private hosted zone ``internal.<zone>`` associated
with the stack's VPC, one CNAME per record (``db`` -> the database writer, ``redis`` -> the cache's
endpoint).

Inside the VPC the Route 53 Resolver answers these names from the private zone (it needs the VPC's
DNS support and DNS host names, both on), and everything else under the domain from the public
zone; pods ask CoreDNS, which asks the resolver. Clients still verify TLS against the services' own
host names, which the CNAMEs lead to.
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from bettafish.config.edge import DnsRecord
from components.base import NeutralComponent


def record_ttl(records: list[DnsRecord], relative_name: str) -> int:
    """The configured TTL of ``<relative_name>.internal`` (a CNAME needs one: checked at config time)."""
    for record in records:
        if record.name.removesuffix(".internal") == relative_name and record.ttl_seconds is not None:
            return record.ttl_seconds
    raise ValueError(f"edge.dns.records has no TTL for {relative_name}.internal")


def private_zone(
    parent: NeutralComponent,
    name: str,
    zone_name: str,
    vpc: aws.ec2.Vpc,
    region: str,
    records: list[tuple[str, pulumi.Output[str]]],
    configured: list[DnsRecord],
    tags: dict[str, str],
) -> aws.route53.Zone:
    """The zone and its CNAMEs. Where nothing is protected the zone is ``forceDestroy``: Route 53
    refuses to delete a zone that holds records besides its SOA and NS (``HostedZoneNotEmpty``)."""
    zone = aws.route53.Zone(
        f"{name}-internal",
        name=zone_name,
        comment=f"BettaFish {name}: internal names of the data services, inside the VPC only",
        vpcs=[aws.route53.ZoneVpcArgs(vpc_id=vpc.id, vpc_region=region)],
        force_destroy=not parent.context.protect_stateful,
        tags=tags,
        opts=parent.child(),
    )
    for relative_name, target in records:
        aws.route53.Record(
            f"{name}-internal-{relative_name}",
            zone_id=zone.zone_id,
            name=f"{relative_name}.{zone_name}",
            type="CNAME",
            ttl=record_ttl(configured, relative_name),
            records=[target],
            opts=parent.child(),
        )
    return zone
