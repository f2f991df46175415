"""The settings every S3 bucket of the platform carries, wherever it lives (the stack's buckets and
their disaster-recovery replicas): owner-enforced, private, versioned as configured, encrypted,
TLS-only by its policy, with the configured lifecycle."""

from __future__ import annotations

from typing import NamedTuple

import pulumi
import pulumi_aws as aws

from bettafish.config.storage import Bucket, Storage
from components.base import NeutralComponent
from providers.aws.bucket_lifecycle import lifecycle_rules


class BucketSettings(NamedTuple):
    encryption: aws.s3.BucketServerSideEncryptionConfiguration
    policy: aws.s3.BucketPolicy
    versioning: aws.s3.BucketVersioning


def bucket_settings(
    parent: NeutralComponent,
    bucket_name: str,
    bucket: aws.s3.Bucket,
    cfg: Bucket,
    storage: Storage,
    key: aws.kms.Key,
    policy: pulumi.Input[str],
    region: str | None = None,
) -> BucketSettings:
    """The bucket's settings in ``region`` (None: the stack's)."""
    aws.s3.BucketOwnershipControls(
        bucket_name,
        bucket=bucket.id,
        rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
        region=region,
        opts=parent.child(),
    )
    public_access = aws.s3.BucketPublicAccessBlock(
        bucket_name,
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        region=region,
        opts=parent.child(),
    )
    versioning = aws.s3.BucketVersioning(
        bucket_name,
        bucket=bucket.id,
        versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(
            status="Enabled" if cfg.versioning else "Disabled"
        ),
        region=region,
        opts=parent.child(),
    )
    encryption = aws.s3.BucketServerSideEncryptionConfiguration(
        bucket_name, bucket=bucket.id, rules=[bucket_encryption(cfg, key)], region=region, opts=parent.child()
    )
    bucket_policy_resource = aws.s3.BucketPolicy(
        bucket_name,
        bucket=bucket.id,
        policy=policy,
        region=region,
        # S3 rejects concurrent changes to a bucket's policy and its public access block.
        opts=parent.child(depends_on=[public_access]),
    )
    aws.s3.BucketLifecycleConfiguration(
        bucket_name, bucket=bucket.id, rules=lifecycle_rules(cfg, storage), region=region, opts=parent.child()
    )
    return BucketSettings(encryption, bucket_policy_resource, versioning)


def bucket_encryption(cfg: Bucket, key: aws.kms.Key) -> aws.s3.BucketServerSideEncryptionConfigurationRuleArgs:
    if cfg.encryption == "customerManaged":
        return aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
            apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
                sse_algorithm="aws:kms", kms_master_key_id=key.arn
            ),
            bucket_key_enabled=True,
        )
    return aws.s3.BucketServerSideEncryptionConfigurationRuleArgs(
        apply_server_side_encryption_by_default=aws.s3.BucketServerSideEncryptionConfigurationRuleApplyServerSideEncryptionByDefaultArgs(
            sse_algorithm="AES256"
        )
    )
