"""ACM certificates validated by DNS in the stack's public Route 53 zone (the origin's, in the stack's
region; the CDN's, in us-east-1)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pulumi_aws as aws

from components.base import NeutralComponent

CERTIFICATE_KEY = "RSA_2048"
"""RSA, since the spec's TLS 1.2 suites are ECDHE_RSA (an ECDSA certificate negotiates none of them)."""


def validation_base(domain: str) -> str:
    """The name ACM validates ``domain`` by: a wildcard shares its base name's validation record."""
    return domain.removeprefix("*.")


def validated_certificate(
    parent: NeutralComponent,
    name: str,
    domains: Sequence[str],
    zone: aws.route53.Zone,
    ttl_seconds: int,
    tags: dict[str, str],
    region: str | None = None,
) -> aws.acm.CertificateValidation:
    """An ACM certificate for ``domains`` (the first is its domain name, the others its alternative
    names) in ``region`` (None: the stack's), with one validation CNAME per distinct validation name in
    the public zone. ACM issues it only once the zone answers on the internet: until the registrar
    delegates the domain to the zone's name servers, the validation waits (and times out)."""
    primary, *alternatives = list(dict.fromkeys(domains))
    certificate = aws.acm.Certificate(
        name,
        domain_name=primary,
        subject_alternative_names=alternatives or None,
        validation_method="DNS",
        key_algorithm=CERTIFICATE_KEY,
        options=aws.acm.CertificateOptionsArgs(certificate_transparency_logging_preference="ENABLED"),
        region=region,
        tags=tags,
        opts=parent.child(),
    )
    bases = list(dict.fromkeys(validation_base(d) for d in (primary, *alternatives)))
    records = []
    for base in bases:
        option = certificate.domain_validation_options.apply(lambda options, b=base: _option_for(options, b))
        suffix = "" if base == validation_base(primary) else f"-{re.sub(r'[^a-z0-9]+', '-', base)}"
        records.append(
            aws.route53.Record(
                f"{name}-validation{suffix}",
                zone_id=zone.zone_id,
                name=option["resource_record_name"],
                type=option["resource_record_type"],
                records=[option["resource_record_value"]],
                ttl=ttl_seconds,
                # The record's name and value depend on the account and the domain only: a replacement
                # certificate shares it, so the record is written over rather than refused.
                allow_overwrite=True,
                opts=parent.child(),
            )
        )
    return aws.acm.CertificateValidation(
        name,
        certificate_arn=certificate.arn,
        validation_record_fqdns=[record.fqdn for record in records],
        region=region,
        opts=parent.child(),
    )


def _option_for(options: Sequence[Any], base: str) -> dict[str, str]:
    """The validation option of ``base`` (or of its wildcard), as a plain mapping."""
    for option in options:
        if validation_base(option.domain_name) == base:
            return {
                "resource_record_name": option.resource_record_name,
                "resource_record_type": option.resource_record_type,
                "resource_record_value": option.resource_record_value,
            }
    raise ValueError(f"ACM returned no validation option for {base}")
