"""AWS CDN: what CloudFront, AWS WAF, CloudWatch Logs and the origin's security group refuse that the
SDK's types allow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bettafish.plan.fake_cloud.aws_cdn import ORIGIN_FACING_MAX_ENTRIES
from bettafish.plan.fake_cloud.constraints import Constraint, registered, value

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

DISTRIBUTION = "aws:cloudfront/distribution:Distribution"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
CERTIFICATE = "aws:acm/certificate:Certificate"
INGRESS_RULE = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
CLOUDFRONT_REGION = "us-east-1"
SECURITY_GROUP_INBOUND_RULES = 60
"""Inbound rules per security group (the default VPC quota); a prefix list counts as its max entries."""
CF = "https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide"
WAF = "https://docs.aws.amazon.com/waf/latest/developerguide"


def _region_of(arn: object) -> str | None:
    return arn.split(":")[3] if isinstance(arn, str) and arn.startswith("arn:aws:") else None


def _certificate_elsewhere(distribution: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    region = _region_of(value(distribution.inputs, "viewerCertificate.acmCertificateArn"))
    return region is not None and region != CLOUDFRONT_REGION


def _alias_not_on_certificate(distribution: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    arn = value(distribution.inputs, "viewerCertificate.acmCertificateArn")
    certificate = next((c for c in registered(before, CERTIFICATE) if c.id == arn), None)
    if certificate is None:
        return False
    names = [certificate.inputs.get("domainName"), *(certificate.inputs.get("subjectAlternativeNames") or [])]

    def covered(alias: str) -> bool:
        return any(
            n == alias or (isinstance(n, str) and n.startswith("*.") and alias.split(".", 1)[1] == n[2:]) for n in names
        )

    return not all(covered(str(alias)) for alias in distribution.inputs.get("aliases") or [])


def _cloudfront_acl_elsewhere(acl: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return acl.inputs.get("scope") == "CLOUDFRONT" and acl.inputs.get("region", CLOUDFRONT_REGION) != CLOUDFRONT_REGION


def _regional_acl_on_distribution(distribution: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    acl = distribution.inputs.get("webAclId")
    return isinstance(acl, str) and acl.startswith("arn:aws:wafv2:") and ":regional/webacl/" in acl


def _destinations(logging: RecordedResource) -> list[str]:
    """The WAF log destinations' ARNs (a log group's: ``arn:aws:logs:<region>:<account>:log-group:<name>``)."""
    return [str(arn) for arn in logging.inputs.get("logDestinationConfigs") or []]


def _log_destination_misnamed(logging: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return any(not arn.partition(":log-group:")[2].startswith("aws-waf-logs-") for arn in _destinations(logging))


def _log_destination_elsewhere(logging: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    acl_region = _region_of(logging.inputs.get("resourceArn"))
    return any(_region_of(arn) != acl_region for arn in _destinations(logging))


def _log_key_elsewhere(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """Judged where the log group names its region (pulumi-aws 7 ``region``), as the edge's do."""
    key_region, group_region = _region_of(group.inputs.get("kmsKeyId")), group.inputs.get("region")
    return key_region is not None and group_region is not None and key_region != group_region


def _caching_disabled_with_a_key(policy: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    if policy.inputs.get("maxTtl", 0) != 0:
        return False
    key = policy.inputs.get("parametersInCacheKeyAndForwardedToOrigin") or {}
    return bool(
        key.get("enableAcceptEncodingGzip")
        or key.get("enableAcceptEncodingBrotli")
        or value(key, "headersConfig.headerBehavior", "none") != "none"
        or value(key, "cookiesConfig.cookieBehavior", "none") != "none"
        or value(key, "queryStringsConfig.queryStringBehavior", "none") != "none"
    )


def _rules_over_quota(rule: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    group = rule.inputs.get("securityGroupId")
    rules = [r for r in registered(before, INGRESS_RULE) if r.inputs.get("securityGroupId") == group] + [rule]
    weight = sum(ORIGIN_FACING_MAX_ENTRIES if r.inputs.get("prefixListId") else 1 for r in rules)
    return weight > SECURITY_GROUP_INBOUND_RULES


def _cloudfront_logs_elsewhere(source: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    arn = str(source.inputs.get("resourceArn", ""))
    return arn.startswith("arn:aws:cloudfront:") and source.inputs.get("region", CLOUDFRONT_REGION) != CLOUDFRONT_REGION


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="aws-cloudfront-log-source-us-east-1",
        type="aws:cloudwatch/logDeliverySource:LogDeliverySource",
        refuses=_cloudfront_logs_elsewhere,
        error="ValidationException: a CloudFront distribution's delivery source must be created in US East"
        " (N. Virginia), us-east-1",
        doc=f"{CF}/standard-logging.html",
    ),
    Constraint(
        id="aws-cloudfront-certificate-us-east-1",
        type=DISTRIBUTION,
        refuses=_certificate_elsewhere,
        error="InvalidViewerCertificate: The specified SSL certificate doesn't exist, isn't in us-east-1 region,"
        " isn't valid, or doesn't include a valid certificate chain.",
        doc=f"{CF}/cnames-and-https-requirements.html",
    ),
    Constraint(
        id="aws-cloudfront-alias-on-certificate",
        type=DISTRIBUTION,
        refuses=_alias_not_on_certificate,
        error="InvalidViewerCertificate: The certificate that is attached to your distribution doesn't cover the"
        " alternate domain name (CNAME) that you're trying to add.",
        doc=f"{CF}/CNAMEs.html",
    ),
    Constraint(
        id="aws-wafv2-cloudfront-scope-us-east-1",
        type=WEB_ACL,
        refuses=_cloudfront_acl_elsewhere,
        error="WAFInvalidParameterException: Error reason: The scope is not valid., field: SCOPE_VALUE, parameter:"
        " CLOUDFRONT (a CloudFront web ACL is created in US East (N. Virginia), us-east-1)",
        doc=f"{WAF}/cloudfront-features.html",
    ),
    Constraint(
        id="aws-cloudfront-web-acl-global",
        type=DISTRIBUTION,
        refuses=_regional_acl_on_distribution,
        error="InvalidWebACLId: Web ACL is not accessible by the requester (a distribution takes a CLOUDFRONT-scope"
        " web ACL only)",
        doc=f"{CF}/distribution-web-awswaf.html",
    ),
    Constraint(
        id="aws-waf-log-destination-name",
        type=LOGGING,
        refuses=_log_destination_misnamed,
        error="WAFInvalidParameterException: Error reason: The ARN isn't valid (a WAF log destination's name must"
        " start with aws-waf-logs-), field: LOG_DESTINATION",
        doc=f"{WAF}/logging-cw-logs.html",
    ),
    Constraint(
        id="aws-waf-log-destination-region",
        type=LOGGING,
        refuses=_log_destination_elsewhere,
        error="WAFInvalidParameterException: the log group must be in the web ACL's region (us-east-1 for"
        " CloudFront), field: LOG_DESTINATION",
        doc=f"{WAF}/logging-cw-logs.html",
    ),
    Constraint(
        id="aws-logs-key-same-region",
        type=LOG_GROUP,
        refuses=_log_key_elsewhere,
        error="InvalidParameterException: The specified KMS key does not exist or is not allowed to be used (the"
        " key must be in the log group's Region)",
        doc="https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/encrypt-log-data-kms.html",
    ),
    Constraint(
        id="aws-cloudfront-caching-disabled-key",
        type="aws:cloudfront/cachePolicy:CachePolicy",
        refuses=_caching_disabled_with_a_key,
        error="InvalidArgument: The parameter EnableAcceptEncodingGzip is invalid for policy with caching disabled"
        " (a policy with MaxTTL 0 takes no headers, cookies, query strings or encodings in its key)",
        doc=f"{CF}/controlling-the-cache-key.html",
    ),
    Constraint(
        id="aws-security-group-rule-quota",
        type=INGRESS_RULE,
        refuses=_rules_over_quota,
        error="RulesPerSecurityGroupLimitExceeded: The maximum number of rules per security group has been reached"
        " (a rule naming a managed prefix list counts as its maximum entries: 55 for CloudFront's origin-facing list)",
        doc="https://docs.aws.amazon.com/vpc/latest/userguide/working-with-aws-managed-prefix-lists.html",
    ),
)
