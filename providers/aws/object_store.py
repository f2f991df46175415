"""AWS ObjectStore: one private, versioned, encrypted, TLS-only S3 bucket per logical bucket, with
the configured lifecycle; every bucket but the logs bucket logs its access into the logs bucket."""

from __future__ import annotations

import json
import re

import pulumi
import pulumi_aws as aws

from components.base import sibling
from components.object_store import ObjectStore, ObjectStoreArgs
from providers.aws.bucket_policies import ACCESS_LOGS_PREFIX, bucket_policy
from providers.aws.bucket_settings import bucket_settings
from providers.aws.keys import AwsKeys

LOGS_BUCKET = "logs"
"""The logical bucket that receives the server access logs of the others (security rule 39)."""


def kebab(logical: str) -> str:
    """``mediaContent`` -> ``media-content``: S3 bucket names are lowercase."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", logical).lower()


class AwsObjectStore(ObjectStore):
    """Children per bucket: ``s3.Bucket``, ``BucketVersioning``, ``BucketServerSideEncryptionConfiguration``,
    ``BucketPublicAccessBlock``, ``BucketOwnershipControls``, ``BucketPolicy`` (TLS 1.2+ only; on the
    logs bucket also the access-log delivery grant), ``BucketLifecycleConfiguration``, and for every
    bucket but the logs bucket a ``BucketLogging`` into the logs bucket.

    Buckets are ``forceDestroy`` only where stateful resources are not protected (a stack meant to
    be torn down): S3 refuses to delete a bucket that still holds objects or versions.

    Extra attributes: ``buckets`` (logical name as in the config, mediaContent... -> ``s3.Bucket``),
    ``encryption_keys`` (logical name -> the ``kms.Key`` of a customerManaged bucket, None for SSE-S3),
    ``storage`` (the ``bettafish:storage`` config the buckets follow), ``settings`` (logical name ->
    its ``BucketSettings``).
    """

    def __init__(self, name: str, args: ObjectStoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        self.storage = args.storage
        tags = args.context.tags("storage")
        storage_key = sibling(args.keys, AwsKeys).keys["storage"]
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id
        self.buckets: dict[str, aws.s3.Bucket] = {
            logical: aws.s3.Bucket(
                f"{name}-{kebab(logical)}",
                force_destroy=not self.context.protect_stateful,
                tags={**tags, "bucket": f"{name}-{kebab(logical)}"},
                opts=self.child(stateful=True),
            )
            for logical, _ in args.storage.buckets.items()
        }
        self.encryption_keys: dict[str, aws.kms.Key | None] = {
            logical: storage_key if cfg.encryption == "customerManaged" else None
            for logical, cfg in args.storage.buckets.items()
        }
        sources = [logical for logical in self.buckets if logical != LOGS_BUCKET]
        self.settings = {
            logical: bucket_settings(
                self,
                f"{name}-{kebab(logical)}",
                self.buckets[logical],
                cfg,
                args.storage,
                storage_key,
                policy=self._policy(logical, sources, account_id),
            )
            for logical, cfg in args.storage.buckets.items()
        }
        for logical in sources:
            aws.s3.BucketLogging(
                f"{name}-{kebab(logical)}",
                bucket=self.buckets[logical].id,
                target_bucket=self.buckets[LOGS_BUCKET].id,
                target_prefix=f"{ACCESS_LOGS_PREFIX}{kebab(logical)}/",
                # Delivery needs the logs bucket's grant and its (SSE-S3) default encryption in place.
                opts=self.child(depends_on=[self.settings[LOGS_BUCKET].encryption, self.settings[LOGS_BUCKET].policy]),
            )
        self._publish(
            bucket_names=pulumi.Output.all(**{k: b.bucket for k, b in self.buckets.items()}),
            bucket_urls=pulumi.Output.all(
                **{k: pulumi.Output.concat("https://", b.bucket_regional_domain_name) for k, b in self.buckets.items()}
            ),
        )

    def _policy(self, logical: str, sources: list[str], account_id: pulumi.Output[str]) -> pulumi.Output[str]:
        """TLS-only; on the logs bucket also the grants for the other buckets' and the ALB's access logs."""
        arns = [self.buckets[s].arn for s in sources] if logical == LOGS_BUCKET else []
        alb_region = self.context.provider.region if logical == LOGS_BUCKET else None
        document: pulumi.Output[str] = pulumi.Output.all(self.buckets[logical].arn, account_id, *arns).apply(
            lambda values: json.dumps(
                bucket_policy(values[0], log_sources=values[2:], account_id=values[1], alb_region=alb_region)
            )
        )
        return document
