"""GCP ObjectStore: one Cloud Storage bucket per logical bucket, per security rules 15-19 and 32, as
recorded from the real program run offline on GCP."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from bettafish.plan import RecordedResource, Recording
from tests.mocks import physical_name, run_stack

STACKS = ("prod", "staging")
PREFIX = {"prod": "bettafish-prod-store", "staging": "bettafish-staging-store"}
LOGICAL = {"mediaContent": "media-content", "reports": "reports", "logs": "logs"}
GCS_AGENT = "serviceAccount:service-409871234567@gs-project-accounts.iam.gserviceaccount.com"

BUCKET = "gcp:storage/bucket:Bucket"
GRANT = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
SERVICE = "gcp:projects/service:Service"
BUCKET_MEMBER = "gcp:storage/bucketIAMMember:BucketIAMMember"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "gcp")


def bucket(stack: str, logical: str) -> RecordedResource:
    return plan(stack).named(f"{PREFIX[stack]}-{LOGICAL[logical]}")


def buckets(stack: str) -> list[RecordedResource]:
    return plan(stack).of_type(BUCKET)


def storage_key(stack: str) -> RecordedResource:
    return plan(stack).named(f"bettafish-{stack}-keys-storage")


def delete(**condition: Any) -> dict[str, Any]:
    return {"action": {"type": "Delete"}, "condition": condition}


def to_class(storage_class: str, age: int, warmer: list[str]) -> dict[str, Any]:
    return {
        "action": {"type": "SetStorageClass", "storageClass": storage_class},
        "condition": {"age": age, "withState": "LIVE", "matchesStorageClasses": warmer},
    }


ABORT_UPLOADS = {"action": {"type": "AbortIncompleteMultipartUpload"}, "condition": {"age": 7}}
NEARLINE = ["STANDARD"]
ARCHIVE = ["STANDARD", "NEARLINE", "COLDLINE"]


@pytest.mark.parametrize("stack", STACKS)
def test_store_has_exactly_the_expected_children(stack: str) -> None:
    (store,) = plan(stack).of_type("bettafish:storage:ObjectStore")
    found = sorted((r.type, r.name.removeprefix(f"{PREFIX[stack]}-")) for r in plan(stack).children_of(store.urn))
    assert found == sorted(
        [
            (SERVICE, "storage-api"),
            (GRANT, "gcs-key-user"),
            *([(GRANT, "gcs-dual-key-user")] if stack == "prod" else []),  # the dual-region buckets' key
            (BUCKET_MEMBER, "usage-log-writer"),
            *[(BUCKET, slug) for slug in LOGICAL.values()],
        ]
    )


@pytest.mark.parametrize("stack", STACKS)
def test_every_bucket_waits_for_the_storage_api(stack: str) -> None:
    api = plan(stack).named(f"{PREFIX[stack]}-storage-api")
    assert api.inputs["service"] == "storage.googleapis.com"
    assert all(api.urn in b.dependencies for b in buckets(stack))


# Rule 39: bucket access logged into the logs bucket.
@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("logical", ["mediaContent", "reports"])
def test_data_bucket_access_is_logged_into_the_logs_bucket(stack: str, logical: str) -> None:
    writer = plan(stack).named(f"{PREFIX[stack]}-usage-log-writer")
    data = bucket(stack, logical)
    assert data.inputs["logging"] == {
        "logBucket": physical_name(bucket(stack, "logs")),
        "logObjectPrefix": f"{LOGICAL[logical]}/",
    }
    assert writer.urn in data.dependencies


@pytest.mark.parametrize("stack", STACKS)
def test_googles_usage_log_writer_may_only_add_objects_to_the_logs_bucket(stack: str) -> None:
    writer = plan(stack).named(f"{PREFIX[stack]}-usage-log-writer")
    assert writer.inputs == {
        "bucket": physical_name(bucket(stack, "logs")),
        "role": "roles/storage.objectCreator",
        "member": "group:cloud-storage-analytics@google.com",
    }
    assert "logging" not in bucket(stack, "logs").inputs


# Rule 15: never public.
@pytest.mark.parametrize("stack", STACKS)
def test_no_bucket_can_be_made_public(stack: str) -> None:
    for resource in buckets(stack):
        assert resource.inputs["publicAccessPrevention"] == "enforced"
        assert resource.inputs["uniformBucketLevelAccess"] is True


# Rule 16: versioning.
@pytest.mark.parametrize("stack", STACKS)
def test_every_bucket_is_versioned(stack: str) -> None:
    assert all(b.inputs["versioning"] == {"enabled": True} for b in buckets(stack))


# Rule 17: encryption.
@pytest.mark.parametrize("stack", STACKS)
def test_reports_are_encrypted_with_the_storage_key_after_the_grant(stack: str) -> None:
    # prod's reports bucket is dual-region (the DR region): its key is the multi-region storage key.
    key = plan(stack).named(f"bettafish-{stack}-keys-multi-storage") if stack == "prod" else storage_key(stack)
    grant = plan(stack).named(
        f"{PREFIX[stack]}-gcs-dual-key-user" if stack == "prod" else f"{PREFIX[stack]}-gcs-key-user"
    )
    reports = bucket(stack, "reports")
    assert reports.inputs["encryption"] == {"defaultKmsKeyName": key.id}
    assert grant.inputs == {
        "cryptoKeyId": key.id,
        "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        "member": GCS_AGENT,
    }
    assert grant.urn in reports.dependencies


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("logical", ["mediaContent", "logs"])
def test_provider_managed_buckets_use_googles_keys(stack: str, logical: str) -> None:
    assert "encryption" not in bucket(stack, logical).inputs


# Rule 19: lifecycle per spec, incomplete uploads aborted, soft delete.
@pytest.mark.parametrize(
    ("stack", "logical", "rules"),
    [
        ("prod", "mediaContent", [delete(age=365, withState="LIVE")]),
        ("prod", "reports", [to_class("NEARLINE", 30, NEARLINE), delete(age=2555, withState="LIVE")]),
        ("prod", "logs", [to_class("ARCHIVE", 7, ARCHIVE), delete(age=2555, withState="LIVE")]),
        ("staging", "mediaContent", [delete(age=30, withState="LIVE")]),
        ("staging", "reports", [to_class("NEARLINE", 30, NEARLINE), delete(age=90, withState="LIVE")]),
        ("staging", "logs", [to_class("ARCHIVE", 7, ARCHIVE), delete(age=30, withState="LIVE")]),
    ],
)
def test_lifecycle_rules_per_bucket(stack: str, logical: str, rules: list[dict[str, Any]]) -> None:
    noncurrent = {"prod": 90, "staging": 7}[stack]
    assert bucket(stack, logical).inputs["lifecycleRules"] == [
        *rules,
        delete(daysSinceNoncurrentTime=noncurrent, withState="ARCHIVED"),
        ABORT_UPLOADS,
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_deleted_objects_stay_recoverable_for_a_week(stack: str) -> None:
    assert all(b.inputs["softDeletePolicy"] == {"retentionDurationSeconds": 7 * 86400} for b in buckets(stack))


# Rule 32: protected in prod and never force-destroyed there; staging can be torn down.
@pytest.mark.parametrize(("stack", "protected"), [("prod", True), ("staging", False)])
def test_buckets_are_force_destroyed_only_where_nothing_is_protected(stack: str, protected: bool) -> None:
    for resource in buckets(stack):
        assert resource.protect is protected
        assert resource.inputs["forceDestroy"] is not protected


@pytest.mark.parametrize("stack", STACKS)
def test_buckets_are_regional_standard_and_labelled(stack: str) -> None:
    labels = {"project": "bettafish", "stack": stack, "component": "storage", "managed-by": "pulumi"}
    for resource in buckets(stack):
        # prod's user data is dual-region with the DR region (test_operations.py); its logs stay here.
        dual = stack == "prod" and not resource.name.endswith("-logs")
        assert (resource.inputs["location"], resource.inputs["storageClass"]) == (
            "US" if dual else "US-EAST1",
            "STANDARD",
        )
        assert resource.inputs["labels"] == labels
        assert resource.inputs["project"] == f"bettafish-{stack}"


@pytest.mark.parametrize("stack", STACKS)
def test_outputs_name_each_logical_bucket(stack: str) -> None:
    names = {logical: physical_name(bucket(stack, logical)) for logical in LOGICAL}
    assert plan(stack).outputs["bucketNames"] == names
    assert plan(stack).outputs["bucketUrls"] == {logical: f"gs://{name}" for logical, name in names.items()}
    assert all(name.startswith(f"{PREFIX[stack]}-{LOGICAL[logical]}-") for logical, name in names.items())
