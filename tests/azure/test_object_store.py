"""Azure ObjectStore: one locked-down storage account per bucket with its container, versioning, soft
delete, encryption and lifecycle per security rules 15-19 and 32, as recorded from the real program
run offline on Azure."""

from __future__ import annotations

import re
from typing import Any

import pytest

from bettafish.plan import RecordedResource
from tests.azure.stacks import (
    ACCOUNT,
    BLOB_SERVICE,
    CONTAINER,
    CRYPTO_SERVICE_ENCRYPTION_USER,
    DIAGNOSTICS,
    ENDPOINT,
    GRANT,
    IDENTITY,
    LIFECYCLE,
    LOCATION,
    LOCK,
    RESOURCE_GROUP,
    STACKS,
    ZONE,
    ZONE_GROUP,
    ZONE_LINK,
    children,
    computed,
    config,
    group_name,
    inventory,
    named,
    plan,
    role,
    snake_case_keys,
)
from tests.mocks import physical_name

BUCKETS = {"mediaContent": "media-content", "reports": "reports", "logs": "logs"}
"""Logical bucket -> container (and logical-name suffix)."""
SKUS = {"mediaContent": "Standard_GZRS", "reports": "Standard_GZRS", "logs": "Standard_GRS"}
"""Every bucket is copied to the paired region (the user data's recovery point); Azure offers the
archive tier on LRS/GRS accounts only: the logs bucket archives after 7 days."""
LIFECYCLE_RULES: dict[str, dict[str, dict[str, Any]]] = {
    "prod": {
        "mediaContent": {"delete": {"daysAfterModificationGreaterThan": 365}},
        "reports": {
            "tierToCool": {"daysAfterModificationGreaterThan": 30},
            "delete": {"daysAfterModificationGreaterThan": 2555},
        },
        "logs": {
            "tierToArchive": {"daysAfterModificationGreaterThan": 7},
            "delete": {"daysAfterModificationGreaterThan": 2555},
        },
    },
    "staging": {
        "mediaContent": {"delete": {"daysAfterModificationGreaterThan": 30}},
        "reports": {
            "tierToCool": {"daysAfterModificationGreaterThan": 30},
            "delete": {"daysAfterModificationGreaterThan": 90},
        },
        "logs": {
            "tierToArchive": {"daysAfterModificationGreaterThan": 7},
            "delete": {"daysAfterModificationGreaterThan": 30},
        },
    },
}
NONCURRENT_DAYS = {"prod": 90, "staging": 7}


def part(stack: str, bucket: str, suffix: str = "") -> RecordedResource:
    return named(stack, "store", BUCKETS[bucket] + (f"-{suffix}" if suffix else ""))


def account(stack: str, bucket: str) -> dict[str, Any]:
    return part(stack, bucket).inputs


def tags(stack: str) -> dict[str, str]:
    return {"project": "bettafish", "stack": stack, "component": "storage", "managed-by": "pulumi"}


@pytest.mark.parametrize("stack", STACKS)
def test_store_has_exactly_the_expected_children(stack: str) -> None:
    expected = [
        (RESOURCE_GROUP, "rg"),
        (IDENTITY, "cmk"),
        (GRANT, "cmk-grant"),
        (GRANT, "logs-grant"),
        (ACCOUNT, "access-logs"),
        (LIFECYCLE, "access-logs-lifecycle"),
        (ZONE, "blob-dns"),
        (ZONE_LINK, "blob-dns-link"),
    ]
    if stack == "prod":
        expected.append((LOCK, "access-logs-lock"))
    for container in BUCKETS.values():
        expected += [
            (ACCOUNT, container),
            (BLOB_SERVICE, f"{container}-blob-service"),
            (CONTAINER, f"{container}-container"),
            (LIFECYCLE, f"{container}-lifecycle"),
            (ENDPOINT, f"{container}-endpoint"),
            (ZONE_GROUP, f"{container}-endpoint-dns"),
            (DIAGNOSTICS, f"{container}-access-logs"),
        ]
        if stack == "prod":
            expected.append((LOCK, f"{container}-lock"))
    assert inventory(stack, "store") == sorted(expected)


def test_the_buckets_are_the_configured_ones() -> None:
    assert [logical for logical, _ in config("prod").storage.buckets.items()] == list(BUCKETS)


# Rule 15: nothing public.


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("bucket", BUCKETS)
def test_accounts_allow_no_public_blobs_and_no_shared_keys(stack: str, bucket: str) -> None:
    inputs = account(stack, bucket)
    assert inputs["allowBlobPublicAccess"] is False
    assert inputs["allowSharedKeyAccess"] is False
    assert inputs["defaultToOAuthAuthentication"] is True
    assert inputs["allowCrossTenantReplication"] is False
    # Rule 37: only the private endpoint reaches the data; no Azure service needs the public side.
    assert inputs["publicNetworkAccess"] == "Disabled"
    assert inputs["networkRuleSet"] == {"defaultAction": "Deny", "bypass": "None"}


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("bucket", BUCKETS)
def test_each_account_holds_one_private_container(stack: str, bucket: str) -> None:
    container = part(stack, bucket, "container").inputs
    assert container["containerName"] == BUCKETS[bucket]
    assert container["publicAccess"] == "None"
    assert container["accountName"] == physical_name(part(stack, bucket))


# Rule 16: versioning. Rule 19: soft delete.


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("bucket", BUCKETS)
def test_blobs_are_versioned_and_deleted_blobs_and_containers_stay_recoverable(stack: str, bucket: str) -> None:
    service = part(stack, bucket, "blob-service").inputs
    retention = {"enabled": True, "days": NONCURRENT_DAYS[stack]}
    assert service["blobServicesName"] == "default"
    assert service["isVersioningEnabled"] is True
    assert service["deleteRetentionPolicy"] == retention
    assert service["containerDeleteRetentionPolicy"] == retention
    assert config(stack).storage.noncurrent_version_expire_days == NONCURRENT_DAYS[stack]


# Rule 17: encryption (SSE-KMS for reports, provider keys for the others, as the spec says).


@pytest.mark.parametrize("stack", STACKS)
def test_reports_are_encrypted_with_the_storage_key_through_the_identity(stack: str) -> None:
    identity = named(stack, "store", "cmk")
    vault = named(stack, "keys", "vault")
    assert account(stack, "reports")["encryption"] == {
        "keySource": "Microsoft.Keyvault",
        # No version: the account follows the key's rotation.
        "keyVaultProperties": {
            "keyName": physical_name(named(stack, "keys", "storage")),
            "keyVaultUri": computed(vault)["properties"]["vaultUri"],
        },
        "encryptionIdentity": {"encryptionUserAssignedIdentity": identity.id},
        "services": {"blob": {"enabled": True, "keyType": "Account"}, "file": {"enabled": True, "keyType": "Account"}},
    }
    assert account(stack, "reports")["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [identity.id]}


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("bucket", ["mediaContent", "logs"])
def test_provider_managed_buckets_use_microsoft_managed_keys(stack: str, bucket: str) -> None:
    assert account(stack, bucket)["encryption"] == {
        "keySource": "Microsoft.Storage",
        "services": {"blob": {"enabled": True, "keyType": "Account"}, "file": {"enabled": True, "keyType": "Account"}},
    }
    assert "identity" not in account(stack, bucket)


@pytest.mark.parametrize("stack", STACKS)
def test_the_identity_holds_crypto_service_encryption_user_on_the_storage_key_before_the_account(stack: str) -> None:
    grant, identity = named(stack, "store", "cmk-grant"), named(stack, "store", "cmk")
    assert grant.inputs["roleDefinitionId"] == role(CRYPTO_SERVICE_ENCRYPTION_USER)
    assert grant.inputs["scope"] == named(stack, "keys", "storage").id
    assert grant.inputs["principalId"] == computed(identity)["principalId"]
    assert grant.urn in part(stack, "reports").dependencies


# Rule 18: TLS only.


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("bucket", BUCKETS)
def test_accounts_take_https_with_tls_1_2_only(stack: str, bucket: str) -> None:
    assert account(stack, bucket)["enableHttpsTrafficOnly"] is True
    assert account(stack, bucket)["minimumTlsVersion"] == "TLS1_2"


# Rule 19: lifecycle.


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("bucket", BUCKETS)
def test_lifecycle_tiers_and_expires_blobs_and_deletes_old_versions(stack: str, bucket: str) -> None:
    policy = part(stack, bucket, "lifecycle").inputs
    assert policy["managementPolicyName"] == "default"
    assert policy["accountName"] == physical_name(part(stack, bucket))
    assert policy["policy"] == {
        "rules": [
            {
                "name": "lifecycle",
                "enabled": True,
                "type": "Lifecycle",
                "definition": {
                    "filters": {"blobTypes": ["blockBlob"]},
                    "actions": {
                        "baseBlob": LIFECYCLE_RULES[stack][bucket],
                        "version": {"delete": {"daysAfterCreationGreaterThan": NONCURRENT_DAYS[stack]}},
                    },
                },
            }
        ]
    }


def test_azure_discards_uncommitted_blocks_after_the_configured_seven_days() -> None:
    # Azure has no multipart uploads to abort; uncommitted blocks expire after a fixed 7 days.
    assert {config(stack).storage.abort_incomplete_upload_days for stack in STACKS} == {7}


# Accounts.


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("bucket", BUCKETS)
def test_accounts_are_general_purpose_v2_with_the_redundancy_their_tiers_allow(stack: str, bucket: str) -> None:
    inputs = account(stack, bucket)
    assert inputs["kind"] == "StorageV2"
    assert inputs["sku"] == {"name": SKUS[bucket]}
    assert inputs["accessTier"] == "Hot"
    assert inputs["location"] == LOCATION
    assert inputs["resourceGroupName"] == group_name(stack, "store")
    assert inputs["tags"] == tags(stack)


@pytest.mark.parametrize("stack", STACKS)
def test_account_names_are_global_names_azure_accepts(stack: str) -> None:
    names = [account(stack, bucket)["accountName"] for bucket in BUCKETS]
    assert all(re.fullmatch(r"[a-z0-9]{3,24}", name) for name in names), names
    assert len(set(names)) == len(names)
    for name, readable in zip(names, ["mediaco", "reports", "logs"], strict=True):
        assert name.startswith("bettafish")
        assert readable in name


def test_account_names_differ_between_stacks() -> None:
    prod = {account("prod", bucket)["accountName"] for bucket in BUCKETS}
    assert prod.isdisjoint(account("staging", bucket)["accountName"] for bucket in BUCKETS)


# Rule 32.


@pytest.mark.parametrize("stack", STACKS)
def test_accounts_are_protected_in_prod_only(stack: str) -> None:
    accounts = [r for r in children(stack, "store") if r.type == ACCOUNT]
    assert len(accounts) == 4, "the three buckets and the access-log account"
    assert all(r.protect is (stack == "prod") for r in accounts)


@pytest.mark.parametrize("bucket", BUCKETS)
def test_prod_accounts_are_locked_against_deletion(bucket: str) -> None:
    lock = part("prod", bucket, "lock").inputs
    assert lock["level"] == "CanNotDelete"
    assert lock["scope"] == part("prod", bucket).id


# Outputs.


@pytest.mark.parametrize("stack", STACKS)
def test_outputs_are_the_containers_and_their_urls(stack: str) -> None:
    outputs = plan(stack).outputs
    assert outputs["bucketNames"] == BUCKETS
    assert outputs["bucketUrls"] == {
        bucket: f"https://{account(stack, bucket)['accountName']}.blob.core.windows.net/{container}"
        for bucket, container in BUCKETS.items()
    }


@pytest.mark.parametrize("stack", STACKS)
def test_every_input_uses_the_api_names(stack: str) -> None:
    for resource in children(stack, "store"):
        assert not snake_case_keys(resource.inputs), resource.name
