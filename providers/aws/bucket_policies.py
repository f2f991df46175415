"""S3 bucket policies: TLS 1.2+ only for every bucket (rule 18), and on the logs bucket the grant
that lets S3 deliver the other buckets' server access logs (rule 39)."""

from __future__ import annotations

MIN_TLS_VERSION = "1.2"
ACCESS_LOGS_PREFIX = "access-logs/"
"""Where server access logs land in the logs bucket, one folder per source bucket."""


def bucket_policy(bucket_arn: str, log_sources: list[str], account_id: str) -> dict[str, object]:
    """The TLS-only denies; with ``log_sources`` (bucket ARNs), also the access-log delivery grant."""
    statements = tls_only_statements(bucket_arn)
    if log_sources:
        statements.append(access_log_delivery_statement(bucket_arn, log_sources, account_id))
    return {"Version": "2012-10-17", "Statement": statements}


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
