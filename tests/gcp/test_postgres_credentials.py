"""GCP Cloud SQL admin credentials: a generated password on the built-in user, kept in Secret Manager
under the database key, only the secret's id leaving the component, as recorded from the real
program run offline on GCP."""

from __future__ import annotations

import json

import pytest

from bettafish.plan.fake_cloud.common import hex_digest
from tests.gcp.database import (
    ENCRYPTER,
    PREFIX,
    SECRETS_AGENT,
    STACKS,
    by_name,
    key,
    plan,
    primary,
)
from tests.mocks import physical_name


# Credentials.
@pytest.mark.parametrize("stack", STACKS)
def test_credentials_ref_is_the_secret_not_the_password(stack: str) -> None:
    secret = by_name(stack, "credentials")
    assert plan(stack).outputs["databaseCredentialsRef"] == secret.id
    assert secret.inputs["secretId"] == f"{PREFIX[stack]}-credentials"


@pytest.mark.parametrize("stack", STACKS)
def test_secret_lives_in_the_region_encrypted_with_the_database_key(stack: str) -> None:
    secret, grant = by_name(stack, "credentials"), by_name(stack, "secrets-key-user")
    assert secret.inputs["replication"] == {
        "userManaged": {
            "replicas": [{"location": "us-east1", "customerManagedEncryption": {"kmsKeyName": key(stack).id}}]
        }
    }
    assert grant.inputs == {"cryptoKeyId": key(stack).id, "role": ENCRYPTER, "member": SECRETS_AGENT}
    assert grant.urn in secret.dependencies


@pytest.mark.parametrize("stack", STACKS)
def test_admin_user_and_secret_version_receive_the_password_as_a_secret(stack: str) -> None:
    user, version = by_name(stack, "admin"), by_name(stack, "credentials-value")
    assert user.inputs["name"] == "bettafish_admin"
    assert user.inputs["instance"] == physical_name(primary(stack))
    assert user.inputs["password"] == "[secret]"
    assert version.inputs == {"secret": by_name(stack, "credentials").id, "secretData": "[secret]"}
    assert by_name(stack, "password").inputs == {"length": 32, "special": False}


@pytest.mark.parametrize("stack", STACKS)
def test_the_password_never_appears_in_plain_text(stack: str) -> None:
    # The fake cloud's generated value for this RandomPassword (bettafish.plan.fake_cloud.random).
    password = "Fk" + hex_digest("random", f"{PREFIX[stack]}-password", length=30)
    assert password not in repr(plan(stack).resources)
    assert password not in json.dumps(plan(stack).outputs)
