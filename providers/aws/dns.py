"""AWS Dns: the public Route 53 hosted zone, signed with DNSSEC, with a CAA record naming Amazon's CA."""

from __future__ import annotations

import json
import re

import pulumi
import pulumi_aws as aws

from components.dns import CAA_ISSUERS, Dns, DnsArgs
from providers.aws.key_policies import Statement, account_administers

DNSSEC_KEY_REGION = "us-east-1"
"""Route 53 signs with a KMS key in US East (N. Virginia) only, whatever the stack's region."""
DNSSEC_SERVICE = "dnssec-route53.amazonaws.com"


def dnssec_key_policy(account_id: str, zone_arn: str) -> dict[str, object]:
    """The account administers the key; Route 53's DNSSEC service may read its public key and sign
    with it for this account's zone only (``aws:SourceAccount``, ``aws:SourceArn``: the confused
    deputy conditions of the Route 53 guide, narrowed from ``hostedzone/*`` to this zone), and may
    create the grants it keeps on the key for AWS resources only. Without these statements Route 53
    refuses the key-signing key (``InvalidKMSArn``)."""
    signing: Statement = {
        "Sid": "Route53DnssecSignsForThisZone",
        "Effect": "Allow",
        "Principal": {"Service": DNSSEC_SERVICE},
        "Action": ["kms:DescribeKey", "kms:GetPublicKey", "kms:Sign"],
        "Resource": "*",
        "Condition": {"StringEquals": {"aws:SourceAccount": account_id}, "ArnLike": {"aws:SourceArn": zone_arn}},
    }
    grants: Statement = {
        "Sid": "Route53DnssecGrantsForAwsResources",
        "Effect": "Allow",
        "Principal": {"Service": DNSSEC_SERVICE},
        "Action": "kms:CreateGrant",
        "Resource": "*",
        "Condition": {"Bool": {"kms:GrantIsForAWSResource": "true"}},
    }
    return {"Version": "2012-10-17", "Statement": [account_administers(account_id), signing, grants]}


def key_signing_key_name(name: str) -> str:
    """Route 53 takes letters, digits and underscores in a KSK's name (3 to 128 characters)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", f"{name}-ksk")[:128]


class AwsDns(Dns):
    """Children: the ``route53.Zone``; the DNSSEC signing key (``kms.Key`` ECC_NIST_P256, SIGN_VERIFY,
    in us-east-1, and its alias), the ``route53.KeySigningKey`` and ``route53.HostedZoneDnsSec``;
    the zone apex's CAA record.

    The zone and its signing key are stateful (protected in prod): a new zone gets new name servers,
    which the registrar must then be given, and the key signs every answer the DS record at the
    parent vouches for. Where nothing is protected the zone is ``forceDestroy`` (records others
    wrote, such as the controller's, would otherwise block its deletion).

    Destroy order: signing is disabled (``HostedZoneDnsSec`` goes first, it depends on the KSK), then
    the provider deactivates the KSK before deleting it, then the key is scheduled for deletion and
    the zone goes. Route 53 refuses to disable signing or deactivate the KSK while the parent still
    publishes its DS record (``KeySigningKeyInParentDSRecord``): remove the DS record at the
    registrar first (docs/deploying.md).

    Extra attributes for sibling AWS components: ``zone`` (the ``route53.Zone``), ``key_signing_key``.
    """

    def __init__(self, name: str, args: DnsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        dns, ctx = args.dns, args.context
        tags = ctx.tags("dns")
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        self.zone = aws.route53.Zone(
            f"{name}-zone",
            name=dns.zone_name,
            comment=f"BettaFish {name}: public zone of the API, the CDN and the origin",
            force_destroy=not ctx.protect_stateful,
            tags=tags,
            opts=self.child(stateful=True),
        )
        key = aws.kms.Key(
            f"{name}-dnssec",
            description=f"BettaFish {name}: DNSSEC key-signing key of {dns.zone_name} (Route 53)",
            region=DNSSEC_KEY_REGION,
            key_usage="SIGN_VERIFY",
            customer_master_key_spec="ECC_NIST_P256",
            # KMS rotates symmetric keys only; a new KSK is a key rollover at the parent.
            enable_key_rotation=False,
            deletion_window_in_days=args.key_deletion_window_days,
            multi_region=False,
            bypass_policy_lockout_safety_check=False,
            policy=pulumi.Output.all(account_id, self.zone.arn).apply(
                lambda values: json.dumps(dnssec_key_policy(values[0], values[1]))
            ),
            tags={**tags, "purpose": "dnssec"},
            opts=self.child(stateful=True),
        )
        aws.kms.Alias(
            f"{name}-dnssec",
            name=f"alias/{name}-dnssec",
            target_key_id=key.key_id,
            region=DNSSEC_KEY_REGION,
            opts=self.child(),
        )
        self.key_signing_key = aws.route53.KeySigningKey(
            f"{name}-ksk",
            hosted_zone_id=self.zone.zone_id,
            key_management_service_arn=key.arn,
            name=key_signing_key_name(name),
            status="ACTIVE",
            opts=self.child(),
        )
        aws.route53.HostedZoneDnsSec(
            f"{name}-dnssec",
            hosted_zone_id=self.key_signing_key.hosted_zone_id,
            signing_status="SIGNING",
            opts=self.child(depends_on=[self.key_signing_key]),
        )
        aws.route53.Record(
            f"{name}-caa",
            zone_id=self.zone.zone_id,
            name=dns.zone_name,
            type="CAA",
            ttl=dns.record_ttl_seconds,
            records=[f'0 issue "{CAA_ISSUERS["aws"]}"'],
            opts=self.child(),
        )
        self._publish(zone_name=self.zone.name, zone_id=self.zone.zone_id, name_servers=self.zone.name_servers)
