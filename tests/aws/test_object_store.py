"""AWS ObjectStore: three private, versioned, encrypted, TLS-only buckets with the spec's lifecycle."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from bettafish.plan import RecordedResource, Recording
from bettafish.plan.fake_cloud import ACCOUNT_ID
from tests.mocks import run_stack

PREFIX = {"prod": "bettafish-prod-store", "staging": "bettafish-staging-store"}
LOGICAL = {"mediaContent": "media-content", "reports": "reports", "logs": "logs"}
STACKS = ["prod", "staging"]


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "aws")


def buckets(stack: str) -> dict[str, RecordedResource]:
    found = {b.name: b for b in plan(stack).of_type("aws:s3/bucket:Bucket")}
    return {logical: found[f"{PREFIX[stack]}-{slug}"] for logical, slug in LOGICAL.items()}


def settings(stack: str, kind: str) -> dict[str, dict[str, Any]]:
    """Inputs of the ``aws:s3/<kind>`` resource of each bucket, by logical name (exactly one each)."""
    by_bucket = {b.id: logical for logical, b in buckets(stack).items()}
    found = [
        r for r in plan(stack).of_type(f"aws:s3/{kind[0].lower()}{kind[1:]}:{kind}") if r.inputs["bucket"] in by_bucket
    ]
    assert sorted(by_bucket[r.inputs["bucket"]] for r in found) == sorted(LOGICAL)
    return {by_bucket[r.inputs["bucket"]]: r.inputs for r in found}


@pytest.mark.parametrize("stack", STACKS)
def test_buckets_are_named_after_the_config_and_published(stack: str) -> None:
    found = buckets(stack)
    out = plan(stack).outputs
    assert out["bucketNames"] == {logical: b.id for logical, b in found.items()}
    assert out["bucketUrls"] == {logical: f"https://{b.id}.s3.us-east-1.amazonaws.com" for logical, b in found.items()}
    assert all(b.id.startswith(f"{PREFIX[stack]}-{LOGICAL[k]}-") and b.id == b.id.lower() for k, b in found.items())


@pytest.mark.parametrize("stack", STACKS)
def test_no_bucket_can_be_made_public(stack: str) -> None:
    """Rule 15 (CKV_AWS_53-56): one public access block per bucket, all four flags; ACLs disabled."""
    for logical, block in settings(stack, "BucketPublicAccessBlock").items():
        flags = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")
        assert all(block[f] is True for f in flags), logical
    for logical, ownership in settings(stack, "BucketOwnershipControls").items():
        assert ownership["rule"] == {"objectOwnership": "BucketOwnerEnforced"}, logical


@pytest.mark.parametrize("stack", STACKS)
def test_every_bucket_is_versioned(stack: str) -> None:
    """Rule 16 (CKV_AWS_21)."""
    for logical, versioning in settings(stack, "BucketVersioning").items():
        assert versioning["versioningConfiguration"] == {"status": "Enabled"}, logical


@pytest.mark.parametrize("stack", STACKS)
def test_encryption_follows_the_spec(stack: str) -> None:
    """Rule 17 (CKV_AWS_145/19): SSE-S3 for media and logs, SSE-KMS with the storage key for reports."""
    (key,) = [k for k in plan(stack).of_type("aws:kms/key:Key") if k.name.endswith("-keys-storage")]
    rules = {logical: s["rules"] for logical, s in settings(stack, "BucketServerSideEncryptionConfiguration").items()}
    aes = [{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}]
    assert rules["mediaContent"] == aes
    assert rules["logs"] == aes
    assert rules["reports"] == [
        {
            "applyServerSideEncryptionByDefault": {
                "sseAlgorithm": "aws:kms",
                "kmsMasterKeyId": f"arn:aws:kms:us-east-1:{ACCOUNT_ID}:key/{key.id}",
            },
            "bucketKeyEnabled": True,
        }
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_buckets_refuse_plain_http_and_old_tls(stack: str) -> None:
    """Rule 18 (CIS-AWS 2.1.1): deny when not over TLS or over TLS older than 1.2."""
    found = buckets(stack)
    for logical, inputs in settings(stack, "BucketPolicy").items():
        arn = f"arn:aws:s3:::{found[logical].id}"
        denies = [s for s in json.loads(inputs["policy"])["Statement"] if s["Effect"] == "Deny"]
        assert all(s["Action"] == "s3:*" and s["Resource"] == [arn, f"{arn}/*"] for s in denies), logical
        conditions = [s["Condition"] for s in denies]
        assert {"Bool": {"aws:SecureTransport": "false"}} in conditions, logical
        assert {"NumericLessThan": {"s3:TlsVersion": "1.2"}} in conditions, logical


@pytest.mark.parametrize("stack", STACKS)
def test_only_the_logs_bucket_grants_anything_and_only_to_s3_and_elb_log_delivery(stack: str) -> None:
    found = buckets(stack)
    policies = {k: json.loads(v["policy"])["Statement"] for k, v in settings(stack, "BucketPolicy").items()}
    assert not [s for k in ("mediaContent", "reports") for s in policies[k] if s["Effect"] == "Allow"]
    grant, alb = [s for s in policies["logs"] if s["Effect"] == "Allow"]
    # us-east-1's load balancers write as Elastic Load Balancing's account there, under alb/ only.
    assert alb["Principal"] == {"AWS": "arn:aws:iam::127311923021:root"}
    assert (alb["Action"], alb["Resource"]) == (
        "s3:PutObject",
        f"arn:aws:s3:::{found['logs'].id}/alb/AWSLogs/{ACCOUNT_ID}/*",
    )
    assert grant["Principal"] == {"Service": "logging.s3.amazonaws.com"}
    assert (grant["Action"], grant["Resource"]) == ("s3:PutObject", f"arn:aws:s3:::{found['logs'].id}/access-logs/*")
    assert grant["Condition"] == {
        "ArnLike": {"aws:SourceArn": [f"arn:aws:s3:::{found[k].id}" for k in ("mediaContent", "reports")]},
        "StringEquals": {"aws:SourceAccount": ACCOUNT_ID},
    }


@pytest.mark.parametrize("stack", STACKS)
def test_media_and_reports_log_their_access_into_the_logs_bucket(stack: str) -> None:
    """Rule 39 (CKV_AWS_18): server access logging, delivered only once the grant is in place."""
    found = buckets(stack)
    ours = {b.id for b in found.values()}
    logging = {
        r.inputs["bucket"]: r
        for r in plan(stack).of_type("aws:s3/bucketLogging:BucketLogging")
        if r.inputs["bucket"] in ours
    }
    assert set(logging) == {found["mediaContent"].id, found["reports"].id}
    (logs_policy,) = [
        r for r in plan(stack).of_type("aws:s3/bucketPolicy:BucketPolicy") if r.inputs["bucket"] == found["logs"].id
    ]
    for logical, slug in (("mediaContent", "media-content"), ("reports", "reports")):
        entry = logging[found[logical].id]
        assert (entry.inputs["targetBucket"], entry.inputs["targetPrefix"]) == (
            found["logs"].id,
            f"access-logs/{slug}/",
        )
        assert logs_policy.urn in entry.options["dependsOn"]


def _rules(stack: str) -> dict[str, dict[str, dict[str, Any]]]:
    found = settings(stack, "BucketLifecycleConfiguration")
    for rules in found.values():
        assert all(r["status"] == "Enabled" and r["filter"] == {} for r in rules["rules"])
    return {logical: {r["id"]: r for r in rules["rules"]} for logical, rules in found.items()}


@pytest.mark.parametrize(
    ("stack", "expire", "noncurrent"),
    [
        ("prod", {"mediaContent": 365, "reports": 2555, "logs": 2555}, 90),
        ("staging", {"mediaContent": 30, "reports": 90, "logs": 30}, 7),
    ],
)
def test_lifecycle_follows_the_spec(stack: str, expire: dict[str, int], noncurrent: int) -> None:
    """Rule 19 (CKV2_AWS_61): transitions, expiry, old versions, and abandoned multipart uploads."""
    rules = _rules(stack)
    assert set(rules["mediaContent"]) == {"expire", "expire-noncurrent-versions", "abort-incomplete-uploads"}
    assert rules["reports"]["transition"]["transitions"] == [{"days": 30, "storageClass": "STANDARD_IA"}]
    assert rules["logs"]["transition"]["transitions"] == [{"days": 7, "storageClass": "GLACIER"}]
    for logical, days in expire.items():
        assert rules[logical]["expire"]["expiration"] == {"days": days}
        assert rules[logical]["expire-noncurrent-versions"]["noncurrentVersionExpiration"] == {
            "noncurrentDays": noncurrent
        }
        assert rules[logical]["abort-incomplete-uploads"]["abortIncompleteMultipartUpload"] == {
            "daysAfterInitiation": 7
        }


@pytest.mark.parametrize("stack", STACKS)
def test_buckets_are_protected_in_prod_and_emptied_on_destroy_only_in_staging(stack: str) -> None:
    """Rule 32 in prod; finding 6 in staging: S3 refuses to delete a bucket that still holds object
    versions (BucketNotEmpty), so an unprotected stack's buckets are force_destroy."""
    for logical, bucket in buckets(stack).items():
        assert bucket.inputs["forceDestroy"] is (stack == "staging"), logical
        assert bucket.protect is (stack == "prod"), logical


def test_the_policy_waits_for_the_public_access_block() -> None:
    blocks = {
        r.inputs["bucket"]: r.urn
        for r in plan("prod").of_type("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock")
    }
    for policy in plan("prod").of_type("aws:s3/bucketPolicy:BucketPolicy"):
        assert blocks[policy.inputs["bucket"]] in policy.dependencies
