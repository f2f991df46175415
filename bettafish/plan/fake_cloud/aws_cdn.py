"""AWS CDN in the fake cloud: CloudFront distributions and policies, WAFv2 web ACLs and their logging,
and CloudFront's origin-facing managed prefix list, with the ids and names those services form."""

from __future__ import annotations

import string
from typing import Any

import pulumi

from bettafish.plan.fake_cloud.common import ACCOUNT_ID, Computed, fake_uuid, hex_digest

CLOUDFRONT_HOSTED_ZONE = "Z2FDTNDATAQYW2"
"""Every distribution's Route 53 alias target zone (CloudFront endpoints table)."""
ORIGIN_FACING = "com.amazonaws.global.cloudfront.origin-facing"
ORIGIN_FACING_MAX_ENTRIES = 55
"""The weight of CloudFront's origin-facing prefix list in a security group's rule quota."""
_PREFIX_LISTS = {"us-east-1": "pl-3b927c52", "us-west-2": "pl-82a045eb"}
"""CloudFront's origin-facing managed prefix list per region (VPC user guide)."""
_ALPHABET = string.ascii_uppercase + string.digits


def _distribution_id(name: str) -> str:
    """``E`` and 13 upper-case letters and digits, as CloudFront names distributions."""
    digest = int(hex_digest("cloudfront", name, length=24), 16)
    chars = []
    for _ in range(13):
        digest, index = divmod(digest, len(_ALPHABET))
        chars.append(_ALPHABET[index])
    return "E" + "".join(chars)


def cdn_state(args: pulumi.runtime.MockResourceArgs, region: str) -> Computed | None:
    """The id and computed outputs of a CloudFront or WAFv2 resource, or None."""
    typ, name, inputs = args.typ, args.name, args.inputs
    if typ == "aws:cloudfront/distribution:Distribution":
        distribution_id = _distribution_id(name)
        host = f"d{hex_digest('cf-domain', name, length=13)}.cloudfront.net"
        return distribution_id, {
            "arn": f"arn:aws:cloudfront::{ACCOUNT_ID}:distribution/{distribution_id}",
            "domainName": host,
            "hostedZoneId": CLOUDFRONT_HOSTED_ZONE,
            "status": "Deployed",
            "etag": f"E{hex_digest('etag', name, length=13).upper()}",
            "callerReference": f"terraform-{hex_digest('caller', name, length=26)}",
            "inProgressValidationBatches": 0,
        }
    if typ in ("aws:cloudfront/cachePolicy:CachePolicy", "aws:cloudfront/originRequestPolicy:OriginRequestPolicy"):
        return fake_uuid("cloudfront-policy", name), {"etag": f"E{hex_digest('etag', name, length=13).upper()}"}
    if typ == "aws:wafv2/webAcl:WebAcl":
        acl_id = fake_uuid("wafv2", name)
        scope = "global" if inputs.get("scope") == "CLOUDFRONT" else "regional"
        acl_name = str(inputs.get("name") or name)
        return acl_id, {
            "arn": f"arn:aws:wafv2:{region}:{ACCOUNT_ID}:{scope}/webacl/{acl_name}/{acl_id}",
            "capacity": 927,
            "lockToken": fake_uuid("lock", name),
            "applicationIntegrationUrl": "",
        }
    if typ == "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration":
        return str(inputs["resourceArn"]), {}
    return _log_delivery(typ, name, inputs, region)


def _log_delivery(typ: str, name: str, inputs: dict[str, Any], region: str) -> Computed | None:
    """CloudWatch Logs' vended-log delivery: source and destination by name, the delivery by an id."""
    kinds = {
        "aws:cloudwatch/logDeliverySource:LogDeliverySource": "delivery-source",
        "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination": "delivery-destination",
    }
    if typ in kinds:
        physical = str(inputs["name"])
        computed: dict[str, Any] = {"arn": f"arn:aws:logs:{region}:{ACCOUNT_ID}:{kinds[typ]}:{physical}"}
        if typ.endswith("LogDeliverySource"):
            computed["service"] = "cloudfront"
        return physical, computed
    if typ == "aws:cloudwatch/logDelivery:LogDelivery":
        delivery = hex_digest("delivery", name, length=16)
        return delivery, {"arn": f"arn:aws:logs:{region}:{ACCOUNT_ID}:delivery:{delivery}"}
    return None


def _managed_prefix_list(args: dict[str, Any], region: str) -> dict[str, Any]:
    wanted = str(args.get("region") or region)
    if args.get("name") != ORIGIN_FACING:
        raise ValueError(f"the fake cloud knows the managed prefix list {ORIGIN_FACING} only, not {args.get('name')}")
    prefix_list = _PREFIX_LISTS.get(wanted, f"pl-{hex_digest('pl-cf', wanted, length=8)}")
    return {
        "id": prefix_list,
        "name": ORIGIN_FACING,
        "arn": f"arn:aws:ec2:{wanted}:aws:prefix-list/{prefix_list}",
        "addressFamily": "IPv4",
        "maxEntries": ORIGIN_FACING_MAX_ENTRIES,
        "ownerId": "AWS",
        "version": 1,
        "entries": [],
        "region": wanted,
    }


REGIONAL_CALLS = {"aws:ec2/getManagedPrefixList:getManagedPrefixList": _managed_prefix_list}
