"""The API gateway behind an internet-facing Application Load Balancer, made by the AWS Load Balancer
Controller from an Ingress: HTTPS on 443 with an ACM certificate for ``origin.<zone>`` (validated
in the public zone), pods as IP targets. CloudFront is its only client (the network's load-balancer
security group admits CloudFront's origin-facing servers only) and speaks HTTPS to it: no HTTP
listener.

The ALB sits in the public subnets with the network's ``loadBalancer`` security group (the
``internet-to-lb`` flow opens 443 to CloudFront); the controller neither makes a security group nor edits
the pods' (``manage-backend-security-group-rules: false``): the ``lb-to-app`` flow lets the
``loadBalancer`` group reach the ``application`` group, which every pod carries (ENIConfig).
"""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from bettafish.config.services import HealthCheck
from components.base import NeutralComponent
from providers.aws.bucket_policies import ALB_LOGS_PREFIX
from providers.aws.certificates import validated_certificate

INGRESS_CLASS = "alb"
"""The IngressClass the controller's chart creates."""
PREFIX = "alb.ingress.kubernetes.io/"
SSL_POLICIES = {
    "1.2": "ELBSecurityPolicy-TLS13-1-2-Res-PQ-2025-09",
    "1.3": "ELBSecurityPolicy-TLS13-1-3-2021-06",
}
"""``edge.tls.minVersion`` -> the ELB security policy: TLS 1.2 and 1.3 with ECDHE and AES-GCM only
(the spec's two cipher suites among them, and hybrid post-quantum key exchange where the client
offers it: what AWS recommends), or TLS 1.3 alone."""


def alb_annotations(
    *,
    health_check: HealthCheck,
    certificate_arn: str,
    subnet_ids: list[str],
    security_group_id: str,
    tls_min_version: str,
    logs_bucket: str,
    tags: dict[str, str],
) -> dict[str, str]:
    """The controller's annotations (strings only, as it reads them)."""
    annotations = {
        "scheme": "internet-facing",
        "ip-address-type": "ipv4",
        "target-type": "ip",
        "subnets": ",".join(subnet_ids),
        "security-groups": security_group_id,
        "manage-backend-security-group-rules": "false",
        # CloudFront reaches the origin over HTTPS only (and the security group admits nothing else).
        "listen-ports": json.dumps([{"HTTPS": 443}]),
        "certificate-arn": certificate_arn,
        "ssl-policy": SSL_POLICIES[tls_min_version],
        "backend-protocol": "HTTP",
        "healthcheck-protocol": "HTTP",
        "healthcheck-port": "traffic-port",
        "healthcheck-path": health_check.path,
        "healthcheck-interval-seconds": str(health_check.interval_seconds),
        "healthcheck-timeout-seconds": str(health_check.timeout_seconds),
        "healthy-threshold-count": str(health_check.healthy_threshold),
        "unhealthy-threshold-count": str(health_check.unhealthy_threshold),
        "success-codes": "200",
        # Requests with header names that are not valid HTTP are dropped, not passed on (CKV_AWS_131);
        # access logs go to the logs bucket (SSE-S3, the only encryption ALB log delivery takes).
        "load-balancer-attributes": ",".join(
            [
                "routing.http.drop_invalid_header_fields.enabled=true",
                "access_logs.s3.enabled=true",
                f"access_logs.s3.bucket={logs_bucket}",
                f"access_logs.s3.prefix={ALB_LOGS_PREFIX}",
            ]
        ),
        "tags": ",".join(f"{key}={value}" for key, value in sorted(tags.items())),
    }
    return {f"{PREFIX}{key}": value for key, value in annotations.items()}


def origin_certificate(
    parent: NeutralComponent,
    name: str,
    host: str,
    zone: aws.route53.Zone,
    ttl_seconds: int,
    tags: dict[str, str],
) -> aws.acm.CertificateValidation:
    """An ACM certificate for ``host`` in the stack's region (where the ALB is), validated by a CNAME
    in the public zone (``certificates.validated_certificate``)."""
    return validated_certificate(parent, f"{name}-origin", [host], zone, ttl_seconds, tags)


def origin_record(
    parent: NeutralComponent,
    name: str,
    host: str,
    zone: aws.route53.Zone,
    load_balancer_host: pulumi.Output[str],
    region: str,
) -> aws.route53.Record:
    """``host`` as an alias A record of the ALB, in the ALB's canonical hosted zone for the region
    (Route 53 refuses an alias whose target is not in the zone named)."""
    alb_zone = aws.lb.get_hosted_zone_id_output(
        load_balancer_type="application", region=region, opts=pulumi.InvokeOutputOptions(parent=parent)
    )
    return aws.route53.Record(
        f"{name}-origin",
        zone_id=zone.zone_id,
        name=host,
        type="A",
        aliases=[
            aws.route53.RecordAliasArgs(name=load_balancer_host, zone_id=alb_zone.id, evaluate_target_health=True)
        ],
        opts=parent.child(),
    )
