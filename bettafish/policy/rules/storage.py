"""Rules 15-19: object storage (S3 buckets and their separate configuration resources, GCS buckets,
Azure storage accounts with their blob service and containers)."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from bettafish.policy.model import Finding, Hit, Resource, Stack, as_list, is_set, number
from bettafish.policy.rule import Rule, Setting
from bettafish.policy.tokens import (
    BLOB_CONTAINER,
    BSP,
    GCS,
    MANAGEMENT_POLICY,
    S3_ACL,
    S3_BUCKETS,
    S3_ENCRYPTION,
    S3_LIFECYCLE,
    S3_POLICY,
    S3_PUBLIC_ACCESS,
    S3_VERSIONING,
    SA,
)

PUBLIC_MEMBERS = ("allUsers", "allAuthenticatedUsers")


def attached(stack: Stack, bucket: Resource, token: str) -> list[Resource]:
    """The S3 configuration resources of ``token`` whose ``bucket`` came from ``bucket``."""
    return stack.referencing(bucket, "bucket", token)


def data_accounts(stack: Stack) -> list[Resource]:
    """Storage accounts that hold the platform's objects: those with blob containers."""
    return [a for a in stack.of_type(SA) if stack.referencing(a, "accountName", BLOB_CONTAINER)]


NO_PUBLIC = Rule(15, "no-public-buckets", "No public buckets")
BLOCK_FLAGS = ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets")


@NO_PUBLIC.across(*S3_BUCKETS, S3_ACL)
def _s3_not_public(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    for bucket in stack.of_type(*S3_BUCKETS):
        blocks = attached(stack, bucket, S3_PUBLIC_ACCESS)
        if len(blocks) != 1:
            yield Hit(bucket, "BucketPublicAccessBlock", f"needs exactly one public access block (has {len(blocks)})")
        for block in blocks:
            for flag in BLOCK_FLAGS:
                if block.get(flag) is not True:
                    yield Hit(bucket, f"BucketPublicAccessBlock.{flag}", "must be true")
        if str(bucket.get("acl", "private")).startswith(("public", "authenticated")):
            yield Hit(bucket, "acl", "must not grant public access")
    for acl in stack.of_type(S3_ACL):
        if str(acl.get("acl", "private")).startswith(("public", "authenticated")):
            yield Hit(acl, "acl", "must not grant public access")


@NO_PUBLIC.on(GCS)
def _gcs_not_public(bucket: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if bucket.get("publicAccessPrevention") != "enforced":
        yield Finding("publicAccessPrevention", 'must be "enforced"')
    if bucket.get("uniformBucketLevelAccess") is not True:
        yield Finding("uniformBucketLevelAccess", "must be true (no object ACLs)")


@NO_PUBLIC.on_family(
    lambda t: t.startswith("gcp:storage/") and t.endswith(("IAMMember", "IAMBinding")),
    "gcp:storage/*IAMMember, *IAMBinding",
)
def _gcs_no_public_grant(grant: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    members = [grant.get("member"), *as_list(grant.get("members"))]
    if any(m in PUBLIC_MEMBERS for m in members):
        yield Finding("member", "must not grant a bucket to allUsers or allAuthenticatedUsers")


@NO_PUBLIC.on(SA, BLOB_CONTAINER)
def _azure_not_public(resource: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if resource.type == SA and resource.get("allowBlobPublicAccess") is not False:
        yield Finding("allowBlobPublicAccess", "must be false")
    if resource.type == BLOB_CONTAINER and resource.get("publicAccess", "None") != "None":
        yield Finding("publicAccess", 'must be "None"')


VERSIONING = Rule(16, "bucket-versioning", "Bucket versioning")


@VERSIONING.across(*S3_BUCKETS)
def _s3_versioning(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    for bucket in stack.of_type(*S3_BUCKETS):
        states = [v.get("versioningConfiguration.status") for v in attached(stack, bucket, S3_VERSIONING)]
        if states != ["Enabled"]:
            yield Hit(bucket, "BucketVersioning.versioningConfiguration.status", "must be Enabled")


@VERSIONING.on(GCS, BSP)
def _versioning(resource: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if resource.type == GCS and resource.get("versioning.enabled") is not True:
        yield Finding("versioning.enabled", "must be true")
    if resource.type == BSP and resource.get("isVersioningEnabled") is not True:
        yield Finding("isVersioningEnabled", "must be true")


ENCRYPTION = Rule(
    17,
    "bucket-encryption",
    "Bucket encryption, with the customer-managed key where the spec asks for it",
    settings={"customerKeyBuckets": Setting(["reports"], "buckets (by name suffix) the spec encrypts with SSE-KMS")},
)
SSE_ALGORITHMS = ("AES256", "aws:kms", "aws:kms:dsse")


def wants_customer_key(resource: Resource, config: Mapping[str, Any]) -> bool:
    return any(resource.name.endswith(f"-{bucket}") for bucket in config["customerKeyBuckets"])


@ENCRYPTION.across(*S3_BUCKETS)
def _s3_encryption(stack: Stack, config: Mapping[str, Any]) -> Iterator[Hit]:
    for bucket in stack.of_type(*S3_BUCKETS):
        configurations = attached(stack, bucket, S3_ENCRYPTION)
        defaults = [
            r.get("applyServerSideEncryptionByDefault") or {} for c in configurations for r in as_list(c.get("rules"))
        ]
        if not defaults:
            yield Hit(bucket, "BucketServerSideEncryptionConfiguration", "needs a default encryption configuration")
        for default in defaults:
            algorithm = default.get("sseAlgorithm")
            if algorithm not in SSE_ALGORITHMS:
                yield Hit(bucket, "sseAlgorithm", f"must be one of {', '.join(SSE_ALGORITHMS)}")
            elif algorithm.startswith("aws:kms") and not is_set(default.get("kmsMasterKeyId")):
                yield Hit(bucket, "kmsMasterKeyId", "must name the stack's key (not the AWS-managed aws/s3 key)")
            if wants_customer_key(bucket, config) and algorithm == "AES256":
                yield Hit(
                    bucket, "sseAlgorithm", "the spec encrypts this bucket with the customer-managed key (aws:kms)"
                )


@ENCRYPTION.on(GCS, SA)
def _encryption(resource: Resource, config: Mapping[str, Any]) -> Iterator[Finding]:
    customer = wants_customer_key(resource, config)
    if resource.type == GCS:
        # Google encrypts every object; a customer key is named only where the spec asks for one.
        if (customer or is_set(resource.get("encryption"))) and not is_set(
            resource.get("encryption.defaultKmsKeyName")
        ):
            yield Finding("encryption.defaultKmsKeyName", "must name the stack's Cloud KMS key")
        return
    source = resource.get("encryption.keySource")
    if source not in ("Microsoft.Storage", "Microsoft.Keyvault"):
        yield Finding("encryption.keySource", "must be set (Microsoft.Storage or Microsoft.Keyvault)")
    if source == "Microsoft.Keyvault" and not (
        is_set(resource.get("encryption.keyVaultProperties.keyName"))
        and is_set(resource.get("encryption.keyVaultProperties.keyVaultUri"))
    ):
        yield Finding("encryption.keyVaultProperties", "must name the key and its vault")
    if customer and source != "Microsoft.Keyvault":
        yield Finding("encryption.keySource", "the spec encrypts this bucket with the customer-managed key")


TLS_ONLY = Rule(18, "storage-tls-only", "TLS-only storage access")


def denies_plain_http(policy: Resource) -> bool:
    try:
        document = json.loads(str(policy.get("policy", "")))
    except json.JSONDecodeError:
        return False
    for statement in as_list(document.get("Statement")):
        condition = (statement.get("Condition") or {}).get("Bool") or {}
        if (
            statement.get("Effect") == "Deny"
            and statement.get("Principal") in ("*", {"AWS": "*"})
            and str(condition.get("aws:SecureTransport")).lower() == "false"
        ):
            return True
    return False


@TLS_ONLY.across(*S3_BUCKETS)
def _s3_tls_only(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    for bucket in stack.of_type(*S3_BUCKETS):
        if not any(denies_plain_http(p) for p in attached(stack, bucket, S3_POLICY)):
            yield Hit(bucket, "BucketPolicy", "must deny every request with aws:SecureTransport false")


@TLS_ONLY.on(SA)
def _azure_tls_only(account: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    # GCS serves HTTPS only: nothing to check there.
    if account.get("enableHttpsTrafficOnly") is not True:
        yield Finding("enableHttpsTrafficOnly", "must be true")
    if account.get("minimumTlsVersion") not in ("TLS1_2", "TLS1_3"):
        yield Finding("minimumTlsVersion", 'must be "TLS1_2" or newer')


LIFECYCLE = Rule(19, "bucket-lifecycle", "Lifecycle rules, incomplete uploads aborted, soft delete")


@LIFECYCLE.across(*S3_BUCKETS, SA)
def _lifecycle(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    for bucket in stack.of_type(*S3_BUCKETS):
        rules = [
            r
            for c in attached(stack, bucket, S3_LIFECYCLE)
            for r in as_list(c.get("rules"))
            if r.get("status") == "Enabled"
        ]
        for key, what in (
            ("abortIncompleteMultipartUpload", "abort incomplete multipart uploads"),
            ("expiration", "expire objects as the spec says"),
            ("noncurrentVersionExpiration", "expire noncurrent versions"),
        ):
            if not any(is_set(r.get(key)) for r in rules):
                yield Hit(bucket, f"BucketLifecycleConfiguration.{key}", f"an enabled rule must {what}")
    for account in data_accounts(stack):
        policies = stack.referencing(account, "accountName", MANAGEMENT_POLICY)
        deletes = [
            rule
            for policy in policies
            for rule in as_list(policy.get("policy.rules"))
            if rule.get("enabled", True) and is_set((rule.get("definition") or {}).get("actions", {}).get("baseBlob"))
        ]
        if not deletes:
            yield Hit(account, "ManagementPolicy", "needs a lifecycle management policy with an enabled rule")


@LIFECYCLE.on(GCS, BSP)
def _soft_delete(resource: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if resource.type == BSP:
        policy = resource.get("deleteRetentionPolicy") or {}
        if policy.get("enabled") is not True or (number(policy.get("days")) or 0) < 1:
            yield Finding("deleteRetentionPolicy", "soft delete must be enabled with a number of days")
        return
    actions = [str((r.get("action") or {}).get("type")) for r in as_list(resource.get("lifecycleRules"))]
    if "AbortIncompleteMultipartUpload" not in actions:
        yield Finding("lifecycleRules", "a rule must abort incomplete multipart uploads")
    if "Delete" not in actions:
        yield Finding("lifecycleRules", "a rule must delete objects as the spec says")
    if (number(resource.get("softDeletePolicy.retentionDurationSeconds")) or 0) <= 0:
        yield Finding("softDeletePolicy.retentionDurationSeconds", "soft delete must keep deleted objects")


RULES = (NO_PUBLIC, VERSIONING, ENCRYPTION, TLS_ONLY, LIFECYCLE)
