"""GCP ObjectStore: one Cloud Storage bucket per logical bucket, private, versioned, encrypted, with
lifecycle rules and soft delete."""

from __future__ import annotations

import re
from typing import Any

import pulumi
import pulumi_gcp as gcp

from bettafish.config.storage import Bucket, Storage
from components.base import sibling
from components.object_store import ObjectStore, ObjectStoreArgs
from providers.gcp.agents import grant_key_use, storage_agent
from providers.gcp.firewall import gcp_name
from providers.gcp.keys import SECONDS_PER_DAY, GcpKeys
from providers.gcp.vpc import require_project

STORAGE_CLASS = {"infrequentAccess": "NEARLINE", "archive": "ARCHIVE"}
"""Neutral transition targets: NEARLINE (30-day minimum, like S3 STANDARD_IA) and ARCHIVE."""

COLDER_THAN = {"NEARLINE": ["STANDARD"], "ARCHIVE": ["STANDARD", "NEARLINE", "COLDLINE"]}
"""A transition only moves objects to a colder class."""

SOFT_DELETE_DAYS = 7
"""Cloud Storage's own default soft-delete window (7 to 90 days allowed): deleted and overwritten
objects stay recoverable this long. The config has no such setting yet."""


def slug(logical: str) -> str:
    """``mediaContent`` -> ``media-content`` (bucket names are lowercase)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", logical).lower()


class GcpObjectStore(ObjectStore):
    """Children: a ``storage.Bucket`` per logical bucket (mediaContent, reports, logs), autonamed
    from ``<name>-<bucket>``, in the stack's region: uniform bucket-level access, public access
    prevention enforced (security rule 15), versioning as configured, soft delete, never
    force-destroyed, stateful; the bucket's default key is the storage key for
    ``customerManaged`` buckets (the Cloud Storage agent is granted that key first), Google's
    keys otherwise. Cloud Storage serves HTTPS only (rule 18 needs no setting).

    Lifecycle per bucket: each transition a SetStorageClass rule for live objects of a warmer
    class, ``expireDays`` a Delete of live objects (a versioned bucket keeps them as noncurrent),
    noncurrent versions deleted ``noncurrentVersionExpireDays`` after they became noncurrent,
    incomplete multipart uploads aborted after ``abortIncompleteUploadDays``.

    Extra attribute: ``buckets`` (per logical name).
    """

    def __init__(self, name: str, args: ObjectStoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        storage, ctx = args.storage, args.context
        project, region, labels = require_project(ctx), ctx.provider.region, ctx.tags("storage")
        key = sibling(args.keys, GcpKeys).keys["storage"]
        needs_key = any(b.encryption == "customerManaged" for _, b in storage.buckets.items())
        key_grant = (
            grant_key_use(self, f"{name}-gcs-key-user", key, storage_agent(self, project)) if needs_key else None
        )

        self.buckets: dict[str, gcp.storage.Bucket] = {}
        for logical, bucket in storage.buckets.items():
            customer_managed = bucket.encryption == "customerManaged"
            self.buckets[logical] = gcp.storage.Bucket(
                gcp_name(name, slug(logical)),
                project=project,
                location=region.upper(),
                storage_class="STANDARD",
                uniform_bucket_level_access=True,
                public_access_prevention="enforced",
                versioning={"enabled": bucket.versioning},
                encryption={"default_kms_key_name": key.id} if customer_managed else None,
                lifecycle_rules=lifecycle_rules(bucket, storage),
                soft_delete_policy={"retention_duration_seconds": SOFT_DELETE_DAYS * SECONDS_PER_DAY},
                force_destroy=False,
                labels=labels,
                opts=self.child(stateful=True, depends_on=[key_grant] if customer_managed and key_grant else []),
            )

        self._publish(
            bucket_names=pulumi.Output.all(**{logical: b.name for logical, b in self.buckets.items()}),
            bucket_urls=pulumi.Output.all(**{logical: b.url for logical, b in self.buckets.items()}),
        )


def lifecycle_rules(bucket: Bucket, storage: Storage) -> list[dict[str, Any]]:
    rules: list[dict[str, Any]] = []
    for transition in bucket.transitions:
        target = STORAGE_CLASS[transition.storage_class]
        rules.append(
            {
                "action": {"type": "SetStorageClass", "storage_class": target},
                "condition": {
                    "age": transition.days,
                    "with_state": "LIVE",
                    "matches_storage_classes": COLDER_THAN[target],
                },
            }
        )
    if bucket.expire_days is not None:
        rules.append({"action": {"type": "Delete"}, "condition": {"age": bucket.expire_days, "with_state": "LIVE"}})
    if bucket.versioning:
        rules.append(
            {
                "action": {"type": "Delete"},
                "condition": {
                    "days_since_noncurrent_time": storage.noncurrent_version_expire_days,
                    "with_state": "ARCHIVED",
                },
            }
        )
    rules.append(
        {
            "action": {"type": "AbortIncompleteMultipartUpload"},
            "condition": {"age": storage.abort_incomplete_upload_days},
        }
    )
    return rules
