"""The public names the CDN serves: ``api.<zone>`` and the ``edge.dns.records`` that point at the
load balancer or the CDN (on AWS the load balancer answers CloudFront only, so both mean the CDN)."""

from __future__ import annotations

import re

import pulumi_aws as aws

from bettafish.config.edge import Dns
from components.base import NeutralComponent

API_LABEL = "api"
PUBLIC_TARGETS = ("loadBalancer", "cdn")


def served_names(dns: Dns) -> dict[str, int | None]:
    """Each name the distribution serves -> its record's TTL (None: an alias record): ``api`` first."""
    names: dict[str, int | None] = {f"{API_LABEL}.{dns.zone_name}": None}
    for record in dns.records:
        if record.target in PUBLIC_TARGETS:
            names[f"{record.name}.{dns.zone_name}"] = record.ttl_seconds
    return names


def cdn_records(
    parent: NeutralComponent,
    name: str,
    dns: Dns,
    zone: aws.route53.Zone,
    distribution: aws.cloudfront.Distribution,
) -> list[aws.route53.Record]:
    """Per served name: alias A and AAAA records of the distribution (IPv6 is on) when the name has no
    TTL, else a CNAME with its TTL. An alias names CloudFront's hosted zone, which the distribution
    reports (``Z2FDTNDATAQYW2``)."""
    records = []
    for host, ttl in served_names(dns).items():
        slug = re.sub(r"[^a-z0-9]+", "-", host.removesuffix(f".{dns.zone_name}"))
        if ttl is not None:
            records.append(
                aws.route53.Record(
                    f"{name}-{slug}",
                    zone_id=zone.zone_id,
                    name=host,
                    type="CNAME",
                    ttl=ttl,
                    records=[distribution.domain_name],
                    opts=parent.child(),
                )
            )
            continue
        for record_type in ("A", "AAAA"):
            records.append(
                aws.route53.Record(
                    f"{name}-{slug}-{record_type.lower()}",
                    zone_id=zone.zone_id,
                    name=host,
                    type=record_type,
                    aliases=[
                        aws.route53.RecordAliasArgs(
                            name=distribution.domain_name,
                            zone_id=distribution.hosted_zone_id,
                            evaluate_target_health=False,
                        )
                    ],
                    opts=parent.child(),
                )
            )
    return records
