"""AWS DNS, certificate and registry registrations the real APIs refuse: one small program per
constraint id of ``constraints/aws_edge``."""

from __future__ import annotations

import json
from collections.abc import Callable

import pulumi_aws as aws

ACCOUNT = "123456789012"


def _signing_key(
    *, region: str = "us-east-1", usage: str = "SIGN_VERIFY", spec: str = "ECC_NIST_P256", route53: bool = True
) -> aws.kms.Key:
    """A key Route 53 could sign with, but for what the arguments change."""
    statements: list[dict[str, object]] = [
        {"Effect": "Allow", "Principal": {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}, "Action": "kms:*", "Resource": "*"}
    ]
    if route53:
        statements.append(
            {
                "Effect": "Allow",
                "Principal": {"Service": "dnssec-route53.amazonaws.com"},
                "Action": ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"],
                "Resource": "*",
            }
        )
    return aws.kms.Key(
        "dnssec",
        region=region,
        key_usage=usage,
        customer_master_key_spec=spec,
        policy=json.dumps({"Version": "2012-10-17", "Statement": statements}),
    )


def _ksk(key: aws.kms.Key, name: str = "example_ksk") -> aws.route53.KeySigningKey:
    return aws.route53.KeySigningKey(
        "ksk", hosted_zone_id=_zone().zone_id, key_management_service_arn=key.arn, name=name
    )


def _zone() -> aws.route53.Zone:
    return aws.route53.Zone("zone", name="example.com")


def dnssec_key_in_another_region() -> None:
    _ksk(_signing_key(region="us-west-2"))


def dnssec_key_for_encryption() -> None:
    _ksk(_signing_key(usage="ENCRYPT_DECRYPT", spec="SYMMETRIC_DEFAULT"))


def dnssec_key_route53_cannot_use() -> None:
    _ksk(_signing_key(route53=False))


def rotating_signing_key() -> None:
    aws.kms.Key("dnssec", key_usage="SIGN_VERIFY", customer_master_key_spec="ECC_NIST_P256", enable_key_rotation=True)


def ksk_name_with_hyphens() -> None:
    _ksk(_signing_key(), name="example-ksk")


def signing_before_the_ksk() -> None:
    """Signing waits for the zone, not for its key-signing key."""
    zone = _zone()
    aws.route53.HostedZoneDnsSec("signing", hosted_zone_id=zone.zone_id)


def repository_key_in_another_region() -> None:
    key = aws.kms.Key("images", region="us-west-2")
    aws.ecr.Repository(
        "images",
        name="app",
        force_delete=True,
        encryption_configurations=[{"encryption_type": "KMS", "kms_key": key.arn}],
    )


def repository_that_cannot_be_destroyed() -> None:
    aws.ecr.Repository("images", name="app")


def alias_in_the_wrong_elb_zone() -> None:
    zone = aws.route53.Zone("zone", name="example.com")
    aws.route53.Record(
        "origin",
        zone_id=zone.zone_id,
        name="origin.example.com",
        type="A",
        aliases=[
            {
                "name": "k8s-app-web-0123456789-1234567890.us-east-1.elb.amazonaws.com",
                "zone_id": "Z1H1FL5HABSF5",  # us-west-2's
                "evaluate_target_health": True,
            }
        ],
    )


def private_zone_in_a_vpc_without_dns_names() -> None:
    vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16", enable_dns_support=True, enable_dns_hostnames=False)
    aws.route53.Zone("internal", name="internal.example.com", vpcs=[{"vpc_id": vpc.id}])


def validation_without_its_record() -> None:
    certificate = aws.acm.Certificate("origin", domain_name="origin.example.com", validation_method="DNS")
    aws.acm.CertificateValidation("origin", certificate_arn=certificate.arn)


VIOLATIONS: dict[str, Callable[[], None]] = {
    "aws-dnssec-key-us-east-1": dnssec_key_in_another_region,
    "aws-dnssec-key-spec": dnssec_key_for_encryption,
    "aws-dnssec-key-policy": dnssec_key_route53_cannot_use,
    "aws-kms-rotation-symmetric-only": rotating_signing_key,
    "aws-route53-ksk-name": ksk_name_with_hyphens,
    "aws-dnssec-needs-active-ksk": signing_before_the_ksk,
    "aws-ecr-key-same-region": repository_key_in_another_region,
    "aws-ecr-repository-destroyable": repository_that_cannot_be_destroyed,
    "aws-route53-alias-elb-zone": alias_in_the_wrong_elb_zone,
    "aws-route53-private-zone-vpc-dns": private_zone_in_a_vpc_without_dns_names,
    "aws-acm-validation-needs-record": validation_without_its_record,
}
