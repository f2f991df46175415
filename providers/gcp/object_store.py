"""GCP ObjectStore: one Cloud Storage bucket per logical bucket, private, versioned, encrypted, with
lifecycle rules and soft delete; access to the data buckets is logged into the logs bucket."""

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
from providers.gcp.keys import SECONDS_PER_DAY, GcpKeys, dual_region_area
from providers.gcp.project import STORAGE, enable_apis, require_project

STORAGE_CLASS = {"infrequentAccess": "NEARLINE", "archive": "ARCHIVE"}
"""Neutral transition targets: NEARLINE (30-day minimum, like S3 STANDARD_IA) and ARCHIVE."""

COLDER_THAN = {"NEARLINE": ["STANDARD"], "ARCHIVE": ["STANDARD", "NEARLINE", "COLDLINE"]}
"""A transition only moves objects to a colder class."""

ACCESS_LOG_BUCKET = "logs"
"""The logical bucket that receives the other buckets' usage (access) logs."""
USAGE_LOG_WRITER = "group:cloud-storage-analytics@google.com"
"""Who writes Cloud Storage usage logs, as Google documents; it needs to create objects in the
destination bucket (https://cloud.google.com/storage/docs/access-logs)."""

TURBO = "ASYNC_TURBO"
"""Turbo replication: new objects in both regions within 15 minutes
(https://cloud.google.com/storage/docs/availability-durability#turbo-replication)."""

SOFT_DELETE_DAYS = 7
"""Cloud Storage's own default soft-delete window (7 to 90 days allowed): deleted and overwritten
objects stay recoverable this long. The config has no such setting yet."""


def slug(logical: str) -> str:
    """``mediaContent`` -> ``media-content`` (bucket names are lowercase)."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", logical).lower()


class DualRegion:
    """Where user data lives when the stack has a DR region in the same multi-region: a configurable
    dual-region bucket (location ``US``, data in the stack's region and the DR region) with turbo
    replication (``rpo: ASYNC_TURBO``: Google replicates every new object to the second region
    within 15 minutes, the spec's user-data RPO being 60), encrypted with the multi-region storage
    key (``GcpKeys.dual_region_storage_key``). The bucket keeps serving from the other region if
    one is lost, under the same name. A bucket's location cannot change: turning the DR region on or
    off replaces the buckets (docs/deploying.md)."""

    def __init__(self, area: str, regions: list[str], key: gcp.kms.CryptoKey) -> None:
        self.area, self.regions, self.key = area, regions, key

    @classmethod
    def of(cls, region: str, keys: GcpKeys) -> DualRegion | None:
        if keys.dr_region is None or keys.dual_region_storage_key is None:
            return None
        area = dual_region_area(region, keys.dr_region)
        if area is None:
            return None
        return cls(area, [region.upper(), keys.dr_region.upper()], keys.dual_region_storage_key)

    def arguments(self) -> dict[str, Any]:
        return {
            "location": self.area,
            "custom_placement_config": {"data_locations": self.regions},
            "rpo": TURBO,
        }


class GcpObjectStore(ObjectStore):
    """Children: the Cloud Storage API; a ``storage.Bucket`` per logical bucket (mediaContent,
    reports, logs), autonamed from ``<name>-<bucket>``, in the stack's region: uniform
    bucket-level access, public access prevention enforced (security rule 15), versioning as
    configured, soft delete, stateful; the bucket's default key is the storage key for
    ``customerManaged`` buckets (the Cloud Storage agent is granted that key first), Google's
    keys otherwise. Cloud Storage serves HTTPS only (rule 18 needs no setting).

    ``force_destroy`` only where the stack protects nothing (staging): a destroy then empties the
    buckets instead of failing on "The bucket you tried to delete is not empty"; protected buckets
    (prod) are never force-destroyed (rule 32).

    Access logging (rule 39): the data buckets write Cloud Storage usage logs (every request, hourly
    CSV objects under ``<bucket>/``) into the ``logs`` bucket, which Google's usage-log writer may
    create objects in. Usage logs rather than Data Access audit logs: like S3 server access logs
    on AWS they stay with the platform's buckets and are kept by the logs bucket's lifecycle
    (years) at storage prices, where audit logs would need a project-wide, authoritative audit
    config and bill every read at Cloud Logging ingestion prices, into ``_Default`` for 30 days.
    They do not name the caller's identity; changes to buckets and their IAM are in the Admin
    Activity audit logs, which are always on. The logs bucket does not log its own access.

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
        keys = sibling(args.keys, GcpKeys)
        api = enable_apis(self, name, project, STORAGE)[STORAGE]
        needs_key = any(b.encryption == "customerManaged" for _, b in storage.buckets.items())
        agent = storage_agent(self, project, api) if needs_key else None
        placement = DualRegion.of(region, keys)
        key_of: dict[bool, gcp.kms.CryptoKey] = {False: keys.keys["storage"]}
        grant_of: dict[bool, pulumi.Resource] = {}
        if agent is not None:
            grant_of[False] = grant_key_use(self, f"{name}-gcs-key-user", key_of[False], agent)
            if placement is not None:
                key_of[True] = placement.key
                grant_of[True] = grant_key_use(self, f"{name}-gcs-dual-key-user", placement.key, agent)

        def bucket(
            logical: str, cfg: Bucket, access_log: dict[str, str] | None, after: list[pulumi.Resource]
        ) -> gcp.storage.Bucket:
            customer_managed = cfg.encryption == "customerManaged"
            dual = placement is not None and logical != ACCESS_LOG_BUCKET
            key = key_of[dual]
            key_grant = grant_of.get(dual)
            return gcp.storage.Bucket(
                gcp_name(name, slug(logical)),
                project=project,
                **(placement.arguments() if dual and placement is not None else {"location": region.upper()}),
                storage_class="STANDARD",
                uniform_bucket_level_access=True,
                public_access_prevention="enforced",
                versioning={"enabled": cfg.versioning},
                encryption={"default_kms_key_name": key.id} if customer_managed else None,
                lifecycle_rules=lifecycle_rules(cfg, storage),
                soft_delete_policy={"retention_duration_seconds": SOFT_DELETE_DAYS * SECONDS_PER_DAY},
                logging=access_log,
                force_destroy=not ctx.protect_stateful,
                labels=labels,
                opts=self.child(
                    stateful=True, depends_on=[api, *after, *([key_grant] if customer_managed and key_grant else [])]
                ),
            )

        configured = dict(storage.buckets.items())
        logs = bucket(ACCESS_LOG_BUCKET, configured[ACCESS_LOG_BUCKET], None, [])
        writer = gcp.storage.BucketIAMMember(
            f"{name}-usage-log-writer",
            bucket=logs.name,
            role="roles/storage.objectCreator",
            member=USAGE_LOG_WRITER,
            opts=self.child(),
        )
        self.buckets: dict[str, gcp.storage.Bucket] = {
            logical: (
                logs
                if logical == ACCESS_LOG_BUCKET
                else bucket(logical, cfg, {"log_bucket": logs.name, "log_object_prefix": f"{slug(logical)}/"}, [writer])
            )
            for logical, cfg in configured.items()
        }

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
