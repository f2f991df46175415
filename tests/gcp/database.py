"""Cloud SQL as recorded from the real program run offline on GCP: constants and lookups shared by
the PostgreSQL, logging and credentials tests."""

from __future__ import annotations

from functools import cache
from typing import Any

from bettafish.plan import RecordedResource, Recording
from tests.mocks import run_stack

STACKS = ("prod", "staging")
PREFIX = {"prod": "bettafish-prod-db", "staging": "bettafish-staging-db"}
NET = {"prod": "10.0", "staging": "10.1"}
NUMBER = "409871234567"
SQL_AGENT = f"serviceAccount:service-{NUMBER}@gcp-sa-cloud-sql.iam.gserviceaccount.com"
SECRETS_AGENT = f"serviceAccount:service-{NUMBER}@gcp-sa-secretmanager.iam.gserviceaccount.com"
ENCRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"

INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"
DATABASE = "gcp:sql/database:Database"
USER = "gcp:sql/user:User"
IDENTITY = "gcp:projects/serviceIdentity:ServiceIdentity"
GRANT = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
SECRET = "gcp:secretmanager/secret:Secret"
VERSION = "gcp:secretmanager/secretVersion:SecretVersion"
PASSWORD = "random:index/randomPassword:RandomPassword"
SERVICE = "gcp:projects/service:Service"
RANDOM_ID = "random:index/randomId:RandomId"
LOG_BUCKET = "gcp:logging/projectBucketConfig:ProjectBucketConfig"
SINK = "gcp:logging/projectSink:ProjectSink"
EXCLUSION = "gcp:logging/projectExclusion:ProjectExclusion"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "gcp")


def by_name(stack: str, suffix: str) -> RecordedResource:
    return plan(stack).named(f"{PREFIX[stack]}-{suffix}")


def primary(stack: str) -> RecordedResource:
    return by_name(stack, "primary")


def instances(stack: str) -> list[RecordedResource]:
    return plan(stack).of_type(INSTANCE)


def settings(resource: RecordedResource) -> dict[str, Any]:
    value: dict[str, Any] = resource.inputs["settings"]
    return value


def key(stack: str, purpose: str = "database") -> RecordedResource:
    return plan(stack).named(f"bettafish-{stack}-keys-{purpose}")


def children(stack: str) -> list[RecordedResource]:
    (db,) = plan(stack).of_type("bettafish:database:PostgresCluster")
    return plan(stack).children_of(db.urn)
