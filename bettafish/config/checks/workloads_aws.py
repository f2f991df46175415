"""What AWS refuses, or cannot build, in the services' settings and the edge's DNS: ALB target group
health-check bounds, the ALB's controller, ACM's 64-character limit on a certificate's first name,
Route 53's CNAME TTLs and ECR's repository name length (``workloads`` checks the flows and the
public zone on every cloud)."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.stack import StackConfig

ALB_HEALTH_CHECK = {
    "intervalSeconds": ("interval_seconds", 5, 300),
    "timeoutSeconds": ("timeout_seconds", 2, 120),
    "healthyThreshold": ("healthy_threshold", 2, 10),
    "unhealthyThreshold": ("unhealthy_threshold", 2, 10),
}
"""Health-check settings of an ALB target group: field, lowest, highest (ELB API, ``CreateTargetGroup``)."""
ACM_FIRST_NAME_LENGTH = 64
"""ACM refuses a certificate whose first domain name is longer (it becomes the subject's common name)."""
ECR_NAME_LENGTH = 256
ORIGIN_LABEL = "origin"
"""The gateway's host name in the public zone, ``origin.<zone>`` (``Workloads.origin_host``)."""


def check_aws_workloads(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "aws":
        return
    yield from _gateway(cfg)
    yield from _dns(cfg)
    yield from _images(cfg)


def _gateway(cfg: StackConfig) -> Iterator[Issue]:
    check = cfg.services.api_gateway.health_check
    for name, (field, low, high) in ALB_HEALTH_CHECK.items():
        value = getattr(check, field)
        if not low <= value <= high:
            yield Issue(
                _key(f"services.apiGateway.healthCheck.{name}"),
                f"aws: the ALB's target group takes {low} to {high}, not {value}",
            )
    if "loadBalancerController" not in cfg.kubernetes.addons:
        yield Issue(
            _key("kubernetes.addons"),
            "aws: the API gateway's Ingress (class alb) needs the AWS Load Balancer Controller: add loadBalancerController",
        )


def _dns(cfg: StackConfig) -> Iterator[Issue]:
    dns = cfg.edge.dns
    origin = f"{ORIGIN_LABEL}.{dns.zone_name}"
    if len(origin) > ACM_FIRST_NAME_LENGTH:
        yield Issue(
            _key("edge.dns.zoneName"),
            f"aws: ACM takes at most {ACM_FIRST_NAME_LENGTH} characters in a certificate's first name, and"
            f" {origin} has {len(origin)}",
        )
    for i, record in enumerate(dns.records):
        if record.target in ("database", "cache") and record.ttl_seconds is None:
            yield Issue(
                _key(f"edge.dns.records[{i}].ttlSeconds"),
                "aws: the record is a CNAME in the private Route 53 zone, which needs a TTL",
            )


def _images(cfg: StackConfig) -> Iterator[Issue]:
    prefix = cfg.identity.prefix
    for name, service in cfg.services.items():
        repository = f"{prefix}/{service.image.repository}"
        if len(repository) > ECR_NAME_LENGTH:
            yield Issue(
                _key(f"services.{name}.image.repository"),
                f"aws: the ECR repository {repository[:40]}... is {len(repository)} characters, ECR takes"
                f" {ECR_NAME_LENGTH} (the stack prefix {prefix}/ included)",
            )
