"""AWS S3: what the real API refuses (or silently ignores) that the SDK's types allow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bettafish.plan.fake_cloud.constraints import Constraint, registered
from bettafish.plan.fake_cloud.constraints.aws_common import allows, principals, statements, unprotected

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

INFREQUENT_ACCESS_MIN_DAYS = 30
"""S3 moves objects to STANDARD_IA or ONEZONE_IA no sooner than 30 days after creation."""


def _of_bucket(before: Sequence[RecordedResource], type_token: str, bucket: object) -> list[RecordedResource]:
    return [r for r in registered(before, type_token) if r.inputs.get("bucket") == bucket]


def _bucket_not_destroyable(bucket: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return unprotected(bucket) and not bucket.inputs.get("forceDestroy")


def _infrequent_access_too_soon(lifecycle: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return any(
        t.get("storageClass") in ("STANDARD_IA", "ONEZONE_IA") and (t.get("days") or 0) < INFREQUENT_ACCESS_MIN_DAYS
        for rule in lifecycle.inputs.get("rules", [])
        for t in rule.get("transitions", [])
    )


def _logging_into_kms_bucket(logging: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    target = logging.inputs.get("targetBucket")
    encryption = _of_bucket(
        before, "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration", target
    )
    return any(
        str(rule.get("applyServerSideEncryptionByDefault", {}).get("sseAlgorithm", "")).startswith("aws:kms")
        for config in encryption
        for rule in config.inputs.get("rules", [])
    )


def _logging_target_not_granted(logging: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """No policy of the target bucket, in place first, lets S3's logging service write to it."""
    policies = _of_bucket(before, "aws:s3/bucketPolicy:BucketPolicy", logging.inputs.get("targetBucket"))
    return not any(
        policy.urn in logging.dependencies
        and any(
            allows(s, "s3:PutObject") and "logging.s3.amazonaws.com" in principals(s, "Service")
            for s in statements(policy.inputs.get("policy"))
        )
        for policy in policies
    )


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="aws-s3-bucket-destroyable",
        type="aws:s3/bucket:Bucket",
        refuses=_bucket_not_destroyable,
        error="BucketNotEmpty: The bucket you tried to delete is not empty. You must delete all versions in the"
        " bucket. (an unprotected stack's bucket must be force_destroy)",
        doc="https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-bucket.html",
    ),
    Constraint(
        id="aws-s3-infrequent-access-too-soon",
        type="aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
        refuses=_infrequent_access_too_soon,
        error="InvalidArgument: 'Days' in Transition action must be greater than or equal to 30 for"
        " storageClass 'STANDARD_IA'",
        doc="https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html",
    ),
    Constraint(
        id="aws-s3-access-logs-into-kms-bucket",
        type="aws:s3/bucketLogging:BucketLogging",
        refuses=_logging_into_kms_bucket,
        error="server access logs are not delivered to a target bucket whose default encryption is SSE-KMS;"
        " the target must use SSE-S3 (AES256)",
        doc="https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html",
    ),
    Constraint(
        id="aws-s3-access-logs-not-granted",
        type="aws:s3/bucketLogging:BucketLogging",
        refuses=_logging_target_not_granted,
        error="server access logs are not delivered: with ACLs disabled (BucketOwnerEnforced) the target"
        " bucket's policy must allow logging.s3.amazonaws.com s3:PutObject, before logging is turned on",
        doc="https://docs.aws.amazon.com/AmazonS3/latest/userguide/enable-server-access-logging.html",
    ),
)
