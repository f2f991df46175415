"""AWS edge and registry in the fake cloud: Route 53 zones, records and DNSSEC keys, ACM
certificates, ECR repositories, the ALB canonical hosted zone per region, and the status the AWS
Load Balancer Controller writes on an ``alb`` Ingress (its load balancer's host name)."""

from __future__ import annotations

import base64
from typing import Any

import pulumi

from bettafish.plan.fake_cloud.clock import NOW
from bettafish.plan.fake_cloud.common import ACCOUNT_ID, Computed, fake_uuid, hex_digest
from bettafish.plan.fake_cloud.kubernetes import INGRESS_STATUS

ALB_HOSTED_ZONES = {
    "us-east-1": "Z35SXDOTRQ7X7K",
    "us-east-2": "Z3AADJGX6KTTL2",
    "us-west-1": "Z368ELLRRE2KJ0",
    "us-west-2": "Z1H1FL5HABSF5",
    "eu-west-1": "Z32O12XQLNTSW2",
    "eu-central-1": "Z215JYRZR1TBD5",
}
"""Application Load Balancers' canonical hosted zone per region (ELB endpoints table)."""
_NAME_SERVER_DOMAINS = ("com", "net", "org", "co.uk")


def alb_hosted_zone(region: str) -> str:
    return ALB_HOSTED_ZONES.get(region, f"Z{hex_digest('alb', region, length=13).upper()}")


def _hosted_zone_id(args: dict[str, Any], region: str) -> dict[str, Any]:
    wanted = str(args.get("region") or region)
    return {"id": alb_hosted_zone(wanted), "region": wanted, "loadBalancerType": args.get("loadBalancerType")}


REGIONAL_CALLS = {"aws:lb/getHostedZoneId:getHostedZoneId": _hosted_zone_id}
"""Data sources whose answer depends on their arguments and the provider's region."""


def edge_state(args: pulumi.runtime.MockResourceArgs, region: str) -> Computed | None:
    """The id and computed outputs of a DNS, certificate or registry resource, or None."""
    typ, name, inputs = args.typ, args.name, args.inputs
    if typ == "aws:route53/zone:Zone":
        return _zone(name, inputs)
    if typ == "aws:route53/record:Record":
        fqdn = str(inputs["name"]).rstrip(".").lower()
        record_id = f"{inputs['zoneId']}_{fqdn}_{inputs['type']}"
        return record_id, {"fqdn": fqdn}
    if typ == "aws:route53/keySigningKey:KeySigningKey":
        return _key_signing_key(name, inputs)
    if typ == "aws:route53/hostedZoneDnsSec:HostedZoneDnsSec":
        return str(inputs["hostedZoneId"]), {}
    if typ == "aws:acm/certificate:Certificate":
        return _certificate(name, inputs, region)
    if typ == "aws:acm/certificateValidation:CertificateValidation":
        return NOW.strftime("%Y-%m-%d %H:%M:%S +0000 UTC"), {}
    if typ == "aws:ecr/repository:Repository":
        repository = str(inputs["name"])
        return repository, {
            "arn": f"arn:aws:ecr:{region}:{ACCOUNT_ID}:repository/{repository}",
            "registryId": ACCOUNT_ID,
            "repositoryUrl": f"{ACCOUNT_ID}.dkr.ecr.{region}.amazonaws.com/{repository}",
        }
    if typ == "aws:ecr/lifecyclePolicy:LifecyclePolicy":
        return str(inputs["repository"]), {"registryId": ACCOUNT_ID}
    return None


def _zone(name: str, inputs: dict[str, Any]) -> Computed:
    zone_id = f"Z0{hex_digest('route53', name, length=19).upper()}"
    if inputs.get("vpcs"):  # a private zone answers inside its VPCs only, from Route 53's first servers
        servers = [f"ns-{512 * i}.awsdns-00.{tld}" for i, tld in enumerate(_NAME_SERVER_DOMAINS)]
    else:
        # Four servers, one per top-level domain (ns-0..511 .com, 512..1023 .net, ...), each its own shard.
        servers = [
            f"ns-{512 * i + int(hex_digest('ns', name, tld, length=4), 16) % 512}"
            f".awsdns-{int(hex_digest('awsdns', name, tld, length=2), 16) % 64:02d}.{tld}"
            for i, tld in enumerate(_NAME_SERVER_DOMAINS)
        ]
    return zone_id, {
        "zoneId": zone_id,
        "arn": f"arn:aws:route53:::hostedzone/{zone_id}",
        "nameServers": servers,
        "primaryNameServer": servers[0],
    }


def _key_signing_key(name: str, inputs: dict[str, Any]) -> Computed:
    public_key = base64.b64encode(bytes.fromhex(hex_digest("ksk", name, length=128))).decode()
    key_tag = int(hex_digest("tag", name, length=4), 16)
    digest = hex_digest("ds", name, length=64).upper()
    return f"{inputs['hostedZoneId']},{inputs['name']}", {
        "digestAlgorithmMnemonic": "SHA-256",
        "digestAlgorithmType": 2,
        "digestValue": digest,
        "dnskeyRecord": f"257 3 13 {public_key}",
        "dsRecord": f"{key_tag} 13 2 {digest}",
        "flag": 257,
        "keyTag": key_tag,
        "publicKey": public_key,
        "signingAlgorithmMnemonic": "ECDSAP256SHA256",
        "signingAlgorithmType": 13,
        "status": inputs.get("status", "ACTIVE"),
    }


def _certificate(name: str, inputs: dict[str, Any], region: str) -> Computed:
    arn = f"arn:aws:acm:{region}:{ACCOUNT_ID}:certificate/{fake_uuid('acm', name)}"
    domains = [str(inputs["domainName"]), *inputs.get("subjectAlternativeNames", [])]
    options = [
        {
            "domainName": domain,
            # ACM's validation name depends on the account and the domain (a wildcard shares its base's).
            "resourceRecordName": f"_{hex_digest('acm', ACCOUNT_ID, domain.removeprefix('*.'), length=32)}."
            f"{domain.removeprefix('*.')}.",
            "resourceRecordType": "CNAME",
            "resourceRecordValue": f"_{hex_digest('acm-value', domain, length=32)}.{hex_digest(domain, length=10)}"
            ".acm-validations.aws.",
        }
        for domain in domains
    ]
    return arn, {
        "arn": arn,
        "domainValidationOptions": options,
        "status": "PENDING_VALIDATION",
        "type": "AMAZON_ISSUED",
        "validationEmails": [],
    }


def _alb_status(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """The controller names the ALB ``k8s-<namespace>-<ingress>-<hash>`` (first 8 alphanumerics of
    each) and reports the host name ELB gives it; the region is the certificate's (an ALB's ACM
    certificate lives in its region)."""
    metadata = inputs.get("metadata") or {}
    namespace = str(metadata.get("namespace", "default"))
    certificate = str((metadata.get("annotations") or {}).get("alb.ingress.kubernetes.io/certificate-arn", ""))
    region = certificate.split(":")[3] if certificate.startswith("arn:aws:acm:") else "us-east-1"

    def clean(text: str) -> str:
        return "".join(c for c in text if c.isalnum())[:8]

    balancer = f"k8s-{clean(namespace)}-{clean(name)}-{hex_digest('alb', namespace, name, length=10)}"
    number = int(hex_digest("elb", namespace, name, length=8), 16) % 10**10
    return {"loadBalancer": {"ingress": [{"hostname": f"{balancer}-{number}.{region}.elb.amazonaws.com"}]}}


INGRESS_STATUS["alb"] = _alb_status
