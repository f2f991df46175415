"""AWS Dns: the public Route 53 zone, signed with DNSSEC by a us-east-1 ECC key only Route 53 may
use for this zone, with a CAA record that lets Amazon's CA alone issue for the domain."""

from __future__ import annotations

import pulumi
import pytest

from bettafish.plan.fake_cloud import ACCOUNT_ID
from bettafish.plan.fake_cloud.aws_edge import edge_state
from providers.aws.dns import key_signing_key_name
from tests.aws.apps import RECORD, STACKS, ZONE, config, dns, document, named, plan, plan_in, public_zone

KEY = "aws:kms/key:Key"
KSK = "aws:route53/keySigningKey:KeySigningKey"
SIGNING = "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec"


@pytest.mark.parametrize("stack", STACKS)
def test_the_zone_is_public_and_its_name_servers_are_the_output(stack: str) -> None:
    zone = public_zone(stack)
    assert zone.inputs["name"] == config(stack).edge.dns.zone_name
    assert "vpcs" not in zone.inputs  # a private zone answers nobody on the internet
    computed = edge_state(pulumi.runtime.MockResourceArgs(ZONE, zone.name, zone.inputs, "", "", True), "us-east-1")
    assert computed is not None
    assert plan(stack).outputs["zoneNameServers"] == computed[1]["nameServers"]
    assert len(plan(stack).outputs["zoneNameServers"]) == 4
    # A new zone gets new name servers the registrar must be given: kept in prod, destroyable in staging.
    assert zone.protect is (stack == "prod")
    assert zone.inputs["forceDestroy"] is (stack == "staging")


@pytest.mark.parametrize("stack", STACKS)
def test_dnssec_signs_with_an_ecc_key_in_us_east_1(stack: str) -> None:
    key = named(plan(stack), f"{dns(stack)}-dnssec", KEY)
    assert key.inputs["region"] == "us-east-1"
    assert (key.inputs["keyUsage"], key.inputs["customerMasterKeySpec"]) == ("SIGN_VERIFY", "ECC_NIST_P256")
    assert key.inputs["enableKeyRotation"] is False
    assert key.inputs["deletionWindowInDays"] == 30  # encryption.keyDeletionWindowDays, policy rule 29
    assert key.protect is (stack == "prod")
    ksk = named(plan(stack), f"{dns(stack)}-ksk", KSK)
    zone = public_zone(stack)
    assert ksk.inputs["hostedZoneId"] == zone.id
    assert ksk.inputs["keyManagementServiceArn"] == f"arn:aws:kms:us-east-1:{ACCOUNT_ID}:key/{key.id}"
    assert ksk.inputs["status"] == "ACTIVE"
    assert ksk.inputs["name"] == f"bettafish_{stack}_dns_ksk"


@pytest.mark.parametrize("stack", STACKS)
def test_signing_waits_for_the_ksk_so_a_destroy_disables_it_first(stack: str) -> None:
    """Route 53 refuses to deactivate the only KSK of a signed zone (KeySigningKeyInUse): the signing
    resource depends on the KSK, so Pulumi deletes it (disabling signing) before the KSK."""
    signing = named(plan(stack), f"{dns(stack)}-dnssec", SIGNING)
    ksk = named(plan(stack), f"{dns(stack)}-ksk", KSK)
    assert signing.inputs == {"hostedZoneId": public_zone(stack).id, "signingStatus": "SIGNING"}
    assert ksk.urn in signing.dependencies


@pytest.mark.parametrize("stack", STACKS)
def test_only_route53_dnssec_signs_with_the_key_and_only_for_this_zone(stack: str) -> None:
    zone = public_zone(stack)
    account, signing, grants = document(named(plan(stack), f"{dns(stack)}-dnssec", KEY))["Statement"]
    assert account["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT_ID}:root"}
    assert signing == {
        "Sid": "Route53DnssecSignsForThisZone",
        "Effect": "Allow",
        "Principal": {"Service": "dnssec-route53.amazonaws.com"},
        "Action": ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"],
        "Resource": "*",
        "Condition": {
            "StringEquals": {"aws:SourceAccount": ACCOUNT_ID},
            "ArnLike": {"aws:SourceArn": f"arn:aws:route53:::hostedzone/{zone.id}"},
        },
    }
    assert grants["Principal"] == {"Service": "dnssec-route53.amazonaws.com"}
    assert (grants["Action"], grants["Condition"]) == (
        "kms:CreateGrant",
        {"Bool": {"kms:GrantIsForAWSResource": "true"}},
    )


def test_the_dnssec_key_stays_in_us_east_1_whatever_the_stack_region() -> None:
    key = named(plan_in("eu-west-1"), f"{dns('prod')}-dnssec", KEY)
    assert key.inputs["region"] == "us-east-1"
    ksk = named(plan_in("eu-west-1"), f"{dns('prod')}-ksk", KSK)
    assert ksk.inputs["keyManagementServiceArn"].startswith("arn:aws:kms:us-east-1:")


@pytest.mark.parametrize("stack", STACKS)
def test_caa_lets_only_amazons_ca_issue_for_the_domain(stack: str) -> None:
    caa = named(plan(stack), f"{dns(stack)}-caa", RECORD)
    assert caa.inputs == {
        "zoneId": public_zone(stack).id,
        "name": config(stack).edge.dns.zone_name,
        "type": "CAA",
        "ttl": config(stack).edge.dns.record_ttl_seconds,
        "records": ['0 issue "amazon.com"'],
    }
    caa_records = [r for r in plan(stack).of_type(RECORD) if r.inputs["type"] == "CAA"]
    assert caa_records == [caa]


def test_ksk_names_keep_to_letters_digits_and_underscores() -> None:
    assert key_signing_key_name("bettafish-prod.dns") == "bettafish_prod_dns_ksk"
    assert len(key_signing_key_name("x" * 200)) == 128


def test_no_other_public_zone_is_made() -> None:
    zones = [z for z in plan("prod").of_type(ZONE) if "vpcs" not in z.inputs]
    assert zones == [public_zone("prod")]
