"""S3 bucket policies: TLS 1.2+ only for every bucket (rule 18), and on the logs bucket the grants
that let S3 deliver the other buckets' server access logs (rule 39) and the load balancer its
access logs."""

from __future__ import annotations

MIN_TLS_VERSION = "1.2"
ACCESS_LOGS_PREFIX = "access-logs/"
"""Where server access logs land in the logs bucket, one folder per source bucket."""
ALB_LOGS_PREFIX = "alb"
"""Where the load balancer's access logs land in the logs bucket (``alb/AWSLogs/<account>/…``)."""
ELB_ACCOUNTS = {
    "us-east-1": "127311923021",
    "us-east-2": "033677994240",
    "us-west-1": "027434742980",
    "us-west-2": "797873946194",
    "ca-central-1": "985666609251",
    "eu-central-1": "054676820928",
    "eu-west-1": "156460612806",
    "eu-west-2": "652711504416",
    "eu-west-3": "009996457667",
    "eu-north-1": "897822967062",
    "ap-northeast-1": "582318560864",
    "ap-northeast-2": "600734575887",
    "ap-southeast-1": "114774131450",
    "ap-southeast-2": "783225319266",
    "ap-south-1": "718504428378",
    "sa-east-1": "507241528517",
}
"""Elastic Load Balancing's log-writing account in the regions opened before August 2022, which
accept only it as the grantee; the regions opened since accept the log delivery service instead
(ELB user guide, "Enable access logs for your Application Load Balancer")."""
ELB_LOG_DELIVERY = "logdelivery.elasticloadbalancing.amazonaws.com"


def bucket_policy(
    bucket_arn: str, log_sources: list[str], account_id: str, alb_region: str | None = None
) -> dict[str, object]:
    """The TLS-only denies; with ``log_sources`` (bucket ARNs), also the access-log delivery grant;
    with ``alb_region``, the grant for that region's load balancers' access logs."""
    statements = tls_only_statements(bucket_arn)
    if log_sources:
        statements.append(access_log_delivery_statement(bucket_arn, log_sources, account_id))
    if alb_region:
        statements.append(alb_log_delivery_statement(bucket_arn, alb_region, account_id))
    return {"Version": "2012-10-17", "Statement": statements}


def alb_log_delivery_statement(bucket_arn: str, region: str, account_id: str) -> dict[str, object]:
    """The region's load balancers may write their access logs for this account, under ``alb/``."""
    principal = (
        {"AWS": f"arn:aws:iam::{ELB_ACCOUNTS[region]}:root"}
        if region in ELB_ACCOUNTS
        else {"Service": ELB_LOG_DELIVERY}
    )
    return {
        "Sid": "LoadBalancerAccessLogDelivery",
        "Effect": "Allow",
        "Principal": principal,
        "Action": "s3:PutObject",
        "Resource": f"{bucket_arn}/{ALB_LOGS_PREFIX}/AWSLogs/{account_id}/*",
    }


def tls_only_statements(bucket_arn: str) -> list[dict[str, object]]:
    """Deny every request over plain HTTP or TLS older than 1.2; grants nothing."""
    resources = [bucket_arn, f"{bucket_arn}/*"]
    return [
        {
            "Sid": "DenyInsecureTransport",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": resources,
            "Condition": {"Bool": {"aws:SecureTransport": "false"}},
        },
        {
            "Sid": "DenyOutdatedTls",
            "Effect": "Deny",
            "Principal": "*",
            "Action": "s3:*",
            "Resource": resources,
            "Condition": {"NumericLessThan": {"s3:TlsVersion": MIN_TLS_VERSION}},
        },
    ]


def access_log_delivery_statement(bucket_arn: str, sources: list[str], account_id: str) -> dict[str, object]:
    """S3's logging service may write under ``access-logs/`` for our source buckets only.

    With Object Ownership ``BucketOwnerEnforced`` ACLs are off, so the bucket policy is the only way
    to grant ``logging.s3.amazonaws.com``; ``aws:SourceArn`` and ``aws:SourceAccount`` keep another
    account's buckets from logging into ours (confused deputy).
    """
    return {
        "Sid": "S3ServerAccessLogDelivery",
        "Effect": "Allow",
        "Principal": {"Service": "logging.s3.amazonaws.com"},
        "Action": "s3:PutObject",
        "Resource": f"{bucket_arn}/{ACCESS_LOGS_PREFIX}*",
        "Condition": {"ArnLike": {"aws:SourceArn": sources}, "StringEquals": {"aws:SourceAccount": account_id}},
    }
