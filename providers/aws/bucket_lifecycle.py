"""S3 lifecycle rules: transitions, expiry, old versions and abandoned multipart uploads (rule 19)."""

from __future__ import annotations

import pulumi_aws as aws

from bettafish.config.storage import Bucket, Storage

STORAGE_CLASSES = {"infrequentAccess": "STANDARD_IA", "archive": "GLACIER"}


def lifecycle_rules(cfg: Bucket, storage: Storage) -> list[aws.s3.BucketLifecycleConfigurationRuleArgs]:
    """One rule per concern, each over the whole bucket."""
    everything = aws.s3.BucketLifecycleConfigurationRuleFilterArgs()
    rules = []
    if cfg.transitions:
        rules.append(
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="transition",
                status="Enabled",
                filter=everything,
                transitions=[
                    aws.s3.BucketLifecycleConfigurationRuleTransitionArgs(
                        days=t.days, storage_class=STORAGE_CLASSES[t.storage_class]
                    )
                    for t in cfg.transitions
                ],
            )
        )
    if cfg.expire_days is not None:
        rules.append(
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="expire",
                status="Enabled",
                filter=everything,
                expiration=aws.s3.BucketLifecycleConfigurationRuleExpirationArgs(days=cfg.expire_days),
            )
        )
    if cfg.versioning:
        rules.append(
            aws.s3.BucketLifecycleConfigurationRuleArgs(
                id="expire-noncurrent-versions",
                status="Enabled",
                filter=everything,
                noncurrent_version_expiration=aws.s3.BucketLifecycleConfigurationRuleNoncurrentVersionExpirationArgs(
                    noncurrent_days=storage.noncurrent_version_expire_days
                ),
            )
        )
    rules.append(
        aws.s3.BucketLifecycleConfigurationRuleArgs(
            id="abort-incomplete-uploads",
            status="Enabled",
            filter=everything,
            abort_incomplete_multipart_upload=aws.s3.BucketLifecycleConfigurationRuleAbortIncompleteMultipartUploadArgs(
                days_after_initiation=storage.abort_incomplete_upload_days
            ),
        )
    )
    return rules
