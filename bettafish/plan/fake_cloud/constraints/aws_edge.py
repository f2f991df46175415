"""AWS DNS, certificates and the container registry: what Route 53, KMS, ACM and ECR refuse (or
misbehave on) that the SDK's types allow."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bettafish.plan.fake_cloud.aws_edge import ALB_HOSTED_ZONES
from bettafish.plan.fake_cloud.constraints import Constraint, registered, upstream
from bettafish.plan.fake_cloud.constraints.aws_common import allows, principals, statements, unprotected

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

KEY = "aws:kms/key:Key"
ZONE = "aws:route53/zone:Zone"
RECORD = "aws:route53/record:Record"
KSK = "aws:route53/keySigningKey:KeySigningKey"
R53 = "https://docs.aws.amazon.com/Route53/latest"
DNSSEC_ACTIONS = ("kms:DescribeKey", "kms:GetPublicKey", "kms:Sign")
_KSK_NAME = re.compile(r"^[A-Za-z0-9_]{3,128}$")
_ELB_HOST = re.compile(r"^(dualstack\.)?[a-z0-9-]+\.([a-z]{2}-[a-z]+-\d)\.elb\.amazonaws\.com\.?$")


def _key(arn: object, before: Sequence[RecordedResource]) -> RecordedResource | None:
    """The KMS key of ours whose ARN is ``arn``."""
    if not isinstance(arn, str):
        return None
    return next((k for k in registered(before, KEY) if k.id and arn.endswith(f":key/{k.id}")), None)


def _dnssec_key_elsewhere(ksk: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    arn = ksk.inputs.get("keyManagementServiceArn")
    return isinstance(arn, str) and arn.startswith("arn:aws:kms:") and arn.split(":")[3] != "us-east-1"


def _dnssec_key_not_for_signing(ksk: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    key = _key(ksk.inputs.get("keyManagementServiceArn"), before)
    return key is not None and (
        key.inputs.get("keyUsage") != "SIGN_VERIFY" or key.inputs.get("customerMasterKeySpec") != "ECC_NIST_P256"
    )


def _dnssec_key_policy_closed(ksk: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    key = _key(ksk.inputs.get("keyManagementServiceArn"), before)
    if key is None or not isinstance(key.inputs.get("policy"), str):
        return False
    route53 = [
        s for s in statements(key.inputs["policy"]) if "dnssec-route53.amazonaws.com" in principals(s, "Service")
    ]
    return not all(any(allows(s, action) for s in route53) for action in DNSSEC_ACTIONS)


def _rotating_asymmetric_key(key: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    spec = key.inputs.get("customerMasterKeySpec") or key.inputs.get("keySpec") or "SYMMETRIC_DEFAULT"
    return bool(key.inputs.get("enableKeyRotation")) and spec != "SYMMETRIC_DEFAULT"


def _bad_ksk_name(ksk: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    name = ksk.inputs.get("name")
    return isinstance(name, str) and not _KSK_NAME.match(name)


def _signing_without_ksk(signing: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    zone = signing.inputs.get("hostedZoneId")
    return not any(
        r.type == KSK and r.inputs.get("hostedZoneId") == zone and r.inputs.get("status", "ACTIVE") == "ACTIVE"
        for r in upstream(signing, before)
    )


def _key_in_another_region(repository: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    configurations = repository.inputs.get("encryptionConfigurations") or []
    keys = [_key(c.get("kmsKey"), before) for c in configurations]
    return any(k is not None and k.inputs.get("region") != repository.inputs.get("region") for k in keys)


def _alias_outside_elb_zone(record: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    for alias in record.inputs.get("aliases") or []:
        match = _ELB_HOST.match(str(alias.get("name", "")))
        if match and match.group(2) in ALB_HOSTED_ZONES and alias.get("zoneId") != ALB_HOSTED_ZONES[match.group(2)]:
            return True
    return False


def _private_zone_without_vpc_dns(zone: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    wanted = {v.get("vpcId") for v in zone.inputs.get("vpcs") or []}
    vpcs = [v for v in registered(before, "aws:ec2/vpc:Vpc") if v.id in wanted]
    return any(not (v.inputs.get("enableDnsSupport", True) and v.inputs.get("enableDnsHostnames")) for v in vpcs)


def _validation_without_record(validation: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return not any(r.type == RECORD for r in upstream(validation, before))


def _repository_not_destroyable(repository: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return unprotected(repository) and not repository.inputs.get("forceDelete")


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="aws-dnssec-key-us-east-1",
        type=KSK,
        refuses=_dnssec_key_elsewhere,
        error="InvalidKMSArn: the KeyManagementServiceArn isn't valid to use with DNSSEC signing (the customer"
        " managed key must be in US East (N. Virginia), us-east-1)",
        doc=f"{R53}/DeveloperGuide/dns-configuring-dnssec-cmk-requirements.html",
    ),
    Constraint(
        id="aws-dnssec-key-spec",
        type=KSK,
        refuses=_dnssec_key_not_for_signing,
        error="InvalidKMSArn: the key must be an asymmetric ECC_NIST_P256 key for SIGN_VERIFY",
        doc=f"{R53}/APIReference/API_CreateKeySigningKey.html",
    ),
    Constraint(
        id="aws-dnssec-key-policy",
        type=KSK,
        refuses=_dnssec_key_policy_closed,
        error="InvalidKMSArn: the key policy must let dnssec-route53.amazonaws.com DescribeKey, GetPublicKey and Sign",
        doc=f"{R53}/DeveloperGuide/dns-configuring-dnssec-cmk-requirements.html",
    ),
    Constraint(
        id="aws-kms-rotation-symmetric-only",
        type=KEY,
        refuses=_rotating_asymmetric_key,
        error="UnsupportedOperationException: automatic key rotation is supported only on symmetric encryption"
        " KMS keys",
        doc="https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
    ),
    Constraint(
        id="aws-route53-ksk-name",
        type=KSK,
        refuses=_bad_ksk_name,
        error="InvalidKeySigningKeyName: a key-signing key's name has 3 to 128 letters, digits and underscores",
        doc=f"{R53}/APIReference/API_CreateKeySigningKey.html",
    ),
    Constraint(
        id="aws-dnssec-needs-active-ksk",
        type="aws:route53/hostedZoneDnsSec:HostedZoneDnsSec",
        refuses=_signing_without_ksk,
        error="KeySigningKeyWithActiveStatusNotFound: A key-signing key (KSK) with ACTIVE status wasn't found"
        " (signing must wait for the zone's active KSK; waiting also orders a destroy: signing is disabled"
        " before the KSK is deactivated, or Route 53 answers KeySigningKeyInUse)",
        doc=f"{R53}/APIReference/API_EnableHostedZoneDNSSEC.html",
    ),
    Constraint(
        id="aws-ecr-key-same-region",
        type="aws:ecr/repository:Repository",
        refuses=_key_in_another_region,
        error="InvalidParameterException: the KMS key must exist in the same Region as the repository",
        doc="https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html",
    ),
    Constraint(
        id="aws-ecr-repository-destroyable",
        type="aws:ecr/repository:Repository",
        refuses=_repository_not_destroyable,
        error="RepositoryNotEmptyException: the repository cannot be deleted because it still contains images"
        " (a destroyable stack needs forceDelete)",
        doc="https://docs.aws.amazon.com/AmazonECR/latest/APIReference/API_DeleteRepository.html",
    ),
    Constraint(
        id="aws-route53-alias-elb-zone",
        type=RECORD,
        refuses=_alias_outside_elb_zone,
        error="InvalidChangeBatch: Tried to create an alias that targets the load balancer, but the alias target"
        " name does not lie within the target zone (use the ELB's canonical hosted zone of its region)",
        doc=f"{R53}/APIReference/API_AliasTarget.html",
    ),
    Constraint(
        id="aws-route53-private-zone-vpc-dns",
        type=ZONE,
        refuses=_private_zone_without_vpc_dns,
        error="the Route 53 Resolver answers a private hosted zone only in VPCs with enableDnsSupport and"
        " enableDnsHostnames set to true: its names would not resolve",
        doc=f"{R53}/DeveloperGuide/hosted-zone-private-considerations.html",
    ),
    Constraint(
        id="aws-acm-validation-needs-record",
        type="aws:acm/certificateValidation:CertificateValidation",
        refuses=_validation_without_record,
        error="waiting for ACM Certificate to be issued: timeout while waiting for state to become 'ISSUED'"
        " (last state: 'PENDING_VALIDATION'): the validation CNAME must exist first",
        doc="https://docs.aws.amazon.com/acm/latest/userguide/dns-validation.html",
    ),
)
