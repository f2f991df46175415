"""Security rule 39 on Azure: the storage accounts that hold logs (VNet flow logs, storage access logs)
are encrypted with the stack's ``logs`` key, and every blob operation on the bucket accounts is
logged, through an Azure Monitor diagnostic setting on each blob service, to the access-log account.
(Log Analytics workspaces take a customer key only through a dedicated cluster, which this stack
does not build: its logs go to storage accounts, which take the key directly.)"""

from __future__ import annotations

from typing import Any

import pytest

from bettafish.plan import RecordedResource
from tests.azure.stacks import (
    ACCOUNT,
    CRYPTO_SERVICE_ENCRYPTION_USER,
    DIAGNOSTICS,
    GRANT,
    IDENTITY,
    LOCATION,
    STACKS,
    computed,
    config,
    named,
    plan,
    role,
)

BUCKETS = ("media-content", "reports", "logs")


def encrypted_with_the_logs_key(stack: str, account: RecordedResource, identity: RecordedResource) -> dict[str, Any]:
    return {
        "keySource": "Microsoft.Keyvault",
        "keyVaultProperties": {
            "keyName": computed(named(stack, "keys", "logs"))["name"],
            "keyVaultUri": computed(named(stack, "keys", "vault"))["properties"]["vaultUri"],
        },
        "encryptionIdentity": {"encryptionUserAssignedIdentity": identity.id},
        "services": {"blob": {"enabled": True, "keyType": "Account"}, "file": {"enabled": True, "keyType": "Account"}},
    }


def assert_granted_before(
    stack: str, grant: RecordedResource, identity: RecordedResource, account: RecordedResource
) -> None:
    assert grant.inputs["roleDefinitionId"] == role(CRYPTO_SERVICE_ENCRYPTION_USER)
    assert grant.inputs["scope"] == named(stack, "keys", "logs").id
    assert grant.inputs["principalId"] == computed(identity)["principalId"]
    assert grant.inputs["principalType"] == "ServicePrincipal"
    assert grant.urn in account.dependencies


@pytest.mark.parametrize("stack", STACKS)
def test_flow_logs_are_encrypted_with_the_logs_key(stack: str) -> None:
    account = named(stack, "net", "flowlogs")
    (identity,) = [r for r in plan(stack).of_type(IDENTITY) if r.name == f"bettafish-{stack}-net-flowlogs-cmk"]
    (grant,) = [r for r in plan(stack).of_type(GRANT) if r.name == f"bettafish-{stack}-net-flowlogs-cmk"]
    assert account.inputs["encryption"] == encrypted_with_the_logs_key(stack, account, identity)
    assert account.inputs["identity"] == {"type": "UserAssigned", "userAssignedIdentities": [identity.id]}
    assert_granted_before(stack, grant, identity, account)


@pytest.mark.parametrize("stack", STACKS)
def test_access_logs_land_in_their_own_account_encrypted_with_the_logs_key(stack: str) -> None:
    account, identity = named(stack, "store", "access-logs"), named(stack, "store", "cmk")
    assert account.inputs["encryption"] == encrypted_with_the_logs_key(stack, account, identity)
    assert_granted_before(stack, named(stack, "store", "logs-grant"), identity, account)
    assert account.inputs["location"] == LOCATION, "Azure Monitor writes only to an account of the logged region"
    assert account.inputs["allowSharedKeyAccess"] is False
    assert account.inputs["minimumTlsVersion"] == "TLS1_2"
    assert account.protect is (stack == "prod")


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("bucket", BUCKETS)
def test_every_blob_operation_on_a_bucket_is_logged_to_the_access_log_account(stack: str, bucket: str) -> None:
    setting = named(stack, "store", f"{bucket}-access-logs")
    assert setting.inputs == {
        "name": "access-logs",
        # Blob logs belong to the blob service: on the account itself Azure answers "Category
        # 'StorageRead' is not supported".
        "resourceUri": f"{named(stack, 'store', bucket).id}/blobServices/default",
        "storageAccountId": named(stack, "store", "access-logs").id,
        "logs": [
            {"category": "StorageRead", "enabled": True},
            {"category": "StorageWrite", "enabled": True},
            {"category": "StorageDelete", "enabled": True},
        ],
    }


@pytest.mark.parametrize("stack", STACKS)
def test_access_logs_are_deleted_when_the_logs_bucket_deletes_its_logs(stack: str) -> None:
    days = config(stack).storage.buckets.logs.expire_days
    assert named(stack, "store", "access-logs-lifecycle").inputs["policy"] == {
        "rules": [
            {
                "name": "expire-access-logs",
                "enabled": True,
                "type": "Lifecycle",
                "definition": {
                    # Azure Monitor writes append blobs, which lifecycle management deletes but cannot tier.
                    "filters": {"blobTypes": ["appendBlob"], "prefixMatch": ["insights-logs-"]},
                    "actions": {"baseBlob": {"delete": {"daysAfterModificationGreaterThan": days}}},
                },
            }
        ]
    }
    assert days == {"prod": 2555, "staging": 30}[stack]


@pytest.mark.parametrize("stack", STACKS)
def test_only_the_buckets_are_logged_and_never_into_themselves(stack: str) -> None:
    # The cluster's own diagnostic setting (control-plane logs to Log Analytics) is tests/azure/test_kube_cluster.py's.
    settings = [d for d in plan(stack).of_type(DIAGNOSTICS) if "storageAccountId" in d.inputs]
    assert len(settings) == 3
    for setting in settings:
        assert not setting.inputs["resourceUri"].startswith(setting.inputs["storageAccountId"])
    assert len(plan(stack).of_type(ACCOUNT)) == 5
