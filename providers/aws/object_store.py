"""AWS ObjectStore: one private, versioned, encrypted, TLS-only S3 bucket per logical bucket, with
the configured lifecycle."""

from __future__ import annotations

import json
import re

import pulumi
import pulumi_aws as aws

from bettafish.config.storage import Bucket, Storage
from components.base import sibling
from components.object_store import ObjectStore, ObjectStoreArgs
from providers.aws.keys import AwsKeys

STORAGE_CLASSES = {"infrequentAccess": "STANDARD_IA", "archive": "GLACIER"}
MIN_TLS_VERSION = "1.2"


def kebab(logical: str) -> str:
    """``mediaContent`` -> ``media-content``: S3 bucket names are lowercase."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", logical).lower()


class AwsObjectStore(ObjectStore):
    """Children per bucket: ``s3.Bucket``, ``BucketVersioning``, ``BucketServerSideEncryptionConfiguration``,
    ``BucketPublicAccessBlock``, ``BucketOwnershipControls``, ``BucketPolicy`` (TLS 1.2+ only) and
    ``BucketLifecycleConfiguration``.

    Extra attribute: ``buckets`` (logical name as in the config, mediaContent... -> ``s3.Bucket``).
    """

    def __init__(self, name: str, args: ObjectStoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        tags = args.context.tags("storage")
        storage_key = sibling(args.keys, AwsKeys).keys["storage"]
        self.buckets: dict[str, aws.s3.Bucket] = {
            logical: self._bucket(f"{name}-{kebab(logical)}", cfg, args.storage, storage_key, tags)
            for logical, cfg in args.storage.buckets.items()
        }
        self._publish(
            bucket_names=pulumi.Output.all(**{k: b.bucket for k, b in self.buckets.items()}),
            bucket_urls=pulumi.Output.all(
                **{k: pulumi.Output.concat("https://", b.bucket_regional_domain_name) for k, b in self.buckets.items()}
            ),
        )

    def _bucket(
        self, bucket_name: str, cfg: Bucket, storage: Storage, key: aws.kms.Key, tags: dict[str, str]
    ) -> aws.s3.Bucket:
        bucket = aws.s3.Bucket(
            bucket_name, force_destroy=False, tags={**tags, "bucket": bucket_name}, opts=self.child(stateful=True)
        )
        aws.s3.BucketOwnershipControls(
            bucket_name,
            bucket=bucket.id,
            rule=aws.s3.BucketOwnershipControlsRuleArgs(object_ownership="BucketOwnerEnforced"),
            opts=self.child(),
        )
        public_access = aws.s3.BucketPublicAccessBlock(
            bucket_name,
            bucket=bucket.id,
            block_public_acls=True,
            block_public_policy=True,
            ignore_public_acls=True,
            restrict_public_buckets=True,
            opts=self.child(),
        )
        aws.s3.BucketVersioning(
            bucket_name,
            bucket=bucket.id,
            versioning_configuration=aws.s3.BucketVersioningVersioningConfigurationArgs(
                status="Enabled" if cfg.versioning else "Disabled"
            ),
            opts=self.child(),
        )
        aws.s3.BucketServerSideEncryptionConfiguration(
            bucket_name, bucket=bucket.id, rules=[_encryption(cfg, key)], opts=self.child()
        )
        aws.s3.BucketPolicy(
            bucket_name,
            bucket=bucket.id,
            policy=bucket.arn.apply(lambda arn: json.dumps(tls_only_policy(arn))),
            # S3 rejects concurrent changes to a bucket's policy and its public access block.
            opts=self.child(depends_on=[public_access]),
        )
        aws.s3.BucketLifecycleConfiguration(
            bucket_name, bucket=bucket.id, rules=lifecycle_rules(cfg, storage), opts=self.child()
        )
        return bucket


def _encryption(cfg: Bucket, key: aws.kms.Key) -> aws.s3.BucketServerSideEncryptionConfigurationRuleArgs:
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


def tls_only_policy(bucket_arn: str) -> dict[str, object]:
    """Deny every request over plain HTTP or TLS older than 1.2; grants nothing."""
    resources = [bucket_arn, f"{bucket_arn}/*"]
    return {
        "Version": "2012-10-17",
        "Statement": [
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
        ],
    }
