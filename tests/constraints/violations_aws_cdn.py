"""AWS CDN registrations the real APIs refuse: CloudFront, its WAF and its logs, and the origin's
security group."""

from __future__ import annotations

import json
from collections.abc import Callable

import pulumi
import pulumi_aws as aws

ORIGIN_FACING = "com.amazonaws.global.cloudfront.origin-facing"
ACCOUNT_ROOT = "arn:aws:iam::123456789012:root"


def _visibility() -> aws.wafv2.WebAclVisibilityConfigArgs:
    return aws.wafv2.WebAclVisibilityConfigArgs(
        cloudwatch_metrics_enabled=True, metric_name="acl", sampled_requests_enabled=True
    )


def _acl(name: str, scope: str, region: str) -> aws.wafv2.WebAcl:
    return aws.wafv2.WebAcl(
        name,
        scope=scope,
        region=region,
        default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
        visibility_config=_visibility(),
    )


def _distribution(
    certificate_arn: pulumi.Input[str], aliases: list[str], web_acl: pulumi.Input[str] | None = None
) -> aws.cloudfront.Distribution:
    return aws.cloudfront.Distribution(
        "cdn",
        enabled=True,
        aliases=aliases,
        web_acl_id=web_acl,
        origins=[
            aws.cloudfront.DistributionOriginArgs(
                origin_id="api",
                domain_name="origin.example.com",
                custom_origin_config=aws.cloudfront.DistributionOriginCustomOriginConfigArgs(
                    http_port=80, https_port=443, origin_protocol_policy="https-only", origin_ssl_protocols=["TLSv1.2"]
                ),
            )
        ],
        default_cache_behavior=aws.cloudfront.DistributionDefaultCacheBehaviorArgs(
            target_origin_id="api",
            viewer_protocol_policy="redirect-to-https",
            allowed_methods=["GET", "HEAD"],
            cached_methods=["GET", "HEAD"],
        ),
        restrictions=aws.cloudfront.DistributionRestrictionsArgs(
            geo_restriction=aws.cloudfront.DistributionRestrictionsGeoRestrictionArgs(restriction_type="none")
        ),
        viewer_certificate=aws.cloudfront.DistributionViewerCertificateArgs(
            acm_certificate_arn=certificate_arn, ssl_support_method="sni-only", minimum_protocol_version="TLSv1.2_2021"
        ),
    )


def certificate_outside_us_east_1() -> None:
    certificate = aws.acm.Certificate(
        "viewer", domain_name="api.example.com", validation_method="DNS", region="eu-west-1"
    )
    _distribution(certificate.arn, ["api.example.com"])


def alias_the_certificate_does_not_cover() -> None:
    certificate = aws.acm.Certificate(
        "viewer",
        domain_name="api.example.com",
        subject_alternative_names=["*.example.com"],
        validation_method="DNS",
        region="us-east-1",
    )
    _distribution(certificate.arn, ["api.example.com", "cdn.other.example.org"])


def cloudfront_web_acl_outside_us_east_1() -> None:
    _acl("acl", "CLOUDFRONT", "eu-west-1")


def regional_web_acl_on_a_distribution() -> None:
    acl = _acl("acl", "REGIONAL", "us-east-1")
    certificate = aws.acm.Certificate("viewer", domain_name="api.example.com", validation_method="DNS")
    _distribution(certificate.arn, ["api.example.com"], acl.arn)


def waf_logs_to_a_misnamed_group() -> None:
    acl = _acl("acl", "CLOUDFRONT", "us-east-1")
    group = aws.cloudwatch.LogGroup("waf", name="/bettafish/waf", retention_in_days=90, region="us-east-1")
    aws.wafv2.WebAclLoggingConfiguration("waf", resource_arn=acl.arn, log_destination_configs=[group.arn])


def waf_logs_to_another_region() -> None:
    acl = _acl("acl", "CLOUDFRONT", "us-east-1")
    group = aws.cloudwatch.LogGroup("waf", name="aws-waf-logs-cdn", retention_in_days=90, region="us-west-2")
    aws.wafv2.WebAclLoggingConfiguration("waf", resource_arn=acl.arn, log_destination_configs=[group.arn])


def log_group_key_in_another_region() -> None:
    """The key lets CloudWatch Logs use it, but in its own region only."""
    logs = {"Service": "logs.us-west-2.amazonaws.com"}
    key = aws.kms.Key(
        "logs",
        region="us-west-2",
        policy=json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Principal": {"AWS": ACCOUNT_ROOT}, "Action": "kms:*", "Resource": "*"},
                    {"Effect": "Allow", "Principal": logs, "Action": "kms:GenerateDataKey*", "Resource": "*"},
                ],
            }
        ),
    )
    aws.cloudwatch.LogGroup(
        "waf", name="aws-waf-logs-cdn", retention_in_days=90, kms_key_id=key.arn, region="us-east-1"
    )


def caching_disabled_with_compression_in_the_key() -> None:
    aws.cloudfront.CachePolicy(
        "api",
        min_ttl=0,
        default_ttl=0,
        max_ttl=0,
        parameters_in_cache_key_and_forwarded_to_origin=aws.cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginArgs(
            cookies_config=aws.cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginCookiesConfigArgs(
                cookie_behavior="none"
            ),
            headers_config=aws.cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginHeadersConfigArgs(
                header_behavior="none"
            ),
            query_strings_config=aws.cloudfront.CachePolicyParametersInCacheKeyAndForwardedToOriginQueryStringsConfigArgs(
                query_string_behavior="none"
            ),
            enable_accept_encoding_gzip=True,
        ),
    )


def cloudfront_prefix_list_on_two_ports() -> None:
    vpc = aws.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
    group = aws.ec2.SecurityGroup("lb", vpc_id=vpc.id)
    cloudfront = aws.ec2.get_managed_prefix_list_output(name=ORIGIN_FACING)
    first = None
    for port in (80, 443):
        # In sequence: the quota counts the group's rules that exist when one is added.
        first = aws.vpc.SecurityGroupIngressRule(
            f"cdn-{port}",
            security_group_id=group.id,
            ip_protocol="tcp",
            from_port=port,
            to_port=port,
            prefix_list_id=cloudfront.id,
            opts=pulumi.ResourceOptions(depends_on=[first] if first else []),
        )


def cloudfront_logs_delivered_from_another_region() -> None:
    certificate = aws.acm.Certificate("viewer", domain_name="api.example.com", validation_method="DNS")
    cdn = _distribution(certificate.arn, ["api.example.com"])
    aws.cloudwatch.LogDeliverySource(
        "cdn", name="cdn", log_type="ACCESS_LOGS", resource_arn=cdn.arn, region="eu-west-1"
    )


VIOLATIONS: dict[str, Callable[[], None]] = {
    "aws-cloudfront-log-source-us-east-1": cloudfront_logs_delivered_from_another_region,
    "aws-cloudfront-certificate-us-east-1": certificate_outside_us_east_1,
    "aws-cloudfront-alias-on-certificate": alias_the_certificate_does_not_cover,
    "aws-wafv2-cloudfront-scope-us-east-1": cloudfront_web_acl_outside_us_east_1,
    "aws-cloudfront-web-acl-global": regional_web_acl_on_a_distribution,
    "aws-waf-log-destination-name": waf_logs_to_a_misnamed_group,
    "aws-waf-log-destination-region": waf_logs_to_another_region,
    "aws-logs-key-same-region": log_group_key_in_another_region,
    "aws-cloudfront-caching-disabled-key": caching_disabled_with_compression_in_the_key,
    "aws-security-group-rule-quota": cloudfront_prefix_list_on_two_ports,
}
