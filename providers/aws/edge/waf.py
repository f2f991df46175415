"""The CloudFront distribution's WAFv2 web ACL: AWS's managed rule groups, a per-IP rate limit, the
configured mode, and its request log in CloudWatch Logs for the load-balancer log retention."""

from __future__ import annotations

import re

import pulumi_aws as aws

from bettafish.config.edge import Waf
from components.base import NeutralComponent
from providers.aws.keys import EDGE_REGION

MANAGED_RULE_GROUPS = (
    "AWSManagedRulesAmazonIpReputationList",
    "AWSManagedRulesCommonRuleSet",
    "AWSManagedRulesKnownBadInputsRuleSet",
)
"""AWS's managed rule groups, in evaluation order: addresses Amazon's threat intelligence flags
first (25 WCU), then the OWASP-style core rule set (700 WCU), then known-bad inputs such as
Log4Shell (200 WCU). With the rate rule (2 WCU) the web ACL stays under the 1,500 WCU it is priced
for."""
RATE_WINDOW_SECONDS = 300
"""``waf.ratePerFiveMinutes`` counts requests per client address over five minutes."""
REDACTED_HEADERS = ("authorization", "cookie")
"""Credentials never reach the log."""
LOG_GROUP_PREFIX = "aws-waf-logs-"
"""AWS WAF logs only to a destination whose name starts with this."""


def metric_name(text: str) -> str:
    """CloudWatch metric names of a web ACL take letters, digits, ``-`` and ``_`` (1-255)."""
    return re.sub(r"[^A-Za-z0-9_-]", "-", text)[:255]


def web_acl(
    parent: NeutralComponent,
    name: str,
    waf: Waf,
    log_retention_days: int,
    logs_key: aws.kms.Key,
    tags: dict[str, str],
) -> aws.wafv2.WebAcl:
    """A ``CLOUDFRONT``-scope web ACL in us-east-1 (the only region CloudFront takes one from) that
    allows what no rule stops. ``prevention`` blocks what the rules match; ``detection`` only counts
    it (the managed groups' actions overridden to count, the rate rule counting), so the log and the
    metrics show what prevention would block."""
    prevent = waf.mode == "prevention"
    rules = [
        aws.wafv2.WebAclRuleArgs(
            name=group,
            priority=priority,
            statement=aws.wafv2.WebAclRuleStatementArgs(
                managed_rule_group_statement=aws.wafv2.WebAclRuleStatementManagedRuleGroupStatementArgs(
                    name=group, vendor_name="AWS"
                )
            ),
            override_action=aws.wafv2.WebAclRuleOverrideActionArgs(none=aws.wafv2.WebAclRuleOverrideActionNoneArgs())
            if prevent
            else aws.wafv2.WebAclRuleOverrideActionArgs(count=aws.wafv2.WebAclRuleOverrideActionCountArgs()),
            visibility_config=_visibility(f"{name}-{group}"),
        )
        for priority, group in enumerate(MANAGED_RULE_GROUPS)
    ]
    rules.append(
        aws.wafv2.WebAclRuleArgs(
            name="RatePerClientAddress",
            priority=len(MANAGED_RULE_GROUPS),
            statement=aws.wafv2.WebAclRuleStatementArgs(
                rate_based_statement=aws.wafv2.WebAclRuleStatementRateBasedStatementArgs(
                    limit=waf.rate_per_five_minutes,
                    aggregate_key_type="IP",
                    evaluation_window_sec=RATE_WINDOW_SECONDS,
                )
            ),
            action=aws.wafv2.WebAclRuleActionArgs(block=aws.wafv2.WebAclRuleActionBlockArgs())
            if prevent
            else aws.wafv2.WebAclRuleActionArgs(count=aws.wafv2.WebAclRuleActionCountArgs()),
            visibility_config=_visibility(f"{name}-rate"),
        )
    )
    acl = aws.wafv2.WebAcl(
        f"{name}-waf",
        name=f"{name}-waf",
        description=f"BettaFish {name}: the CDN's firewall ({waf.mode})",
        scope="CLOUDFRONT",
        region=EDGE_REGION,
        default_action=aws.wafv2.WebAclDefaultActionArgs(allow=aws.wafv2.WebAclDefaultActionAllowArgs()),
        rules=rules,
        visibility_config=_visibility(f"{name}-waf"),
        tags=tags,
        opts=parent.child(),
    )
    log_group = aws.cloudwatch.LogGroup(
        f"{name}-waf-logs",
        name=f"{LOG_GROUP_PREFIX}{name}",
        retention_in_days=log_retention_days,
        kms_key_id=logs_key.arn,
        region=EDGE_REGION,
        tags=tags,
        opts=parent.child(),
    )
    aws.wafv2.WebAclLoggingConfiguration(
        f"{name}-waf",
        resource_arn=acl.arn,
        log_destination_configs=[log_group.arn],
        redacted_fields=[
            aws.wafv2.WebAclLoggingConfigurationRedactedFieldArgs(
                single_header=aws.wafv2.WebAclLoggingConfigurationRedactedFieldSingleHeaderArgs(name=header)
            )
            for header in REDACTED_HEADERS
        ],
        region=EDGE_REGION,
        opts=parent.child(),
    )
    return acl


def _visibility(name: str) -> aws.wafv2.WebAclVisibilityConfigArgs:
    return aws.wafv2.WebAclVisibilityConfigArgs(
        cloudwatch_metrics_enabled=True, metric_name=metric_name(name), sampled_requests_enabled=True
    )
