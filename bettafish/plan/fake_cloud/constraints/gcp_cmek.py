"""GCP customer-managed encryption: what each consuming service refuses.

Every consumer of a Cloud KMS key refuses a key outside its own location, and fails to create (or
later to use) the resource while its service agent cannot use the key: the resource must wait for
the agent's ``cryptoKeyEncrypterDecrypter`` grant on that key.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from bettafish.plan.fake_cloud.constraints import Constraint, upstream, value

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

ENCRYPTER_DECRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
KEY_GRANT = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
_KEY_LOCATION = re.compile(r"/locations/([^/]+)/keyRings/")


@dataclass(frozen=True)
class Consumer:
    """A resource type encrypted with a Cloud KMS key."""

    short: str
    type: str
    uses: Callable[[dict[str, Any]], list[tuple[str, str]]]
    """(key id, the resource's location for that key) pairs the inputs name."""
    doc: str


def _at(key_path: str, location_path: str) -> Callable[[dict[str, Any]], list[tuple[str, str]]]:
    def uses(inputs: dict[str, Any]) -> list[tuple[str, str]]:
        key = value(inputs, key_path)
        return [(str(key), str(value(inputs, location_path, "")))] if key else []

    return uses


def _secret_replicas(inputs: dict[str, Any]) -> list[tuple[str, str]]:
    replicas = value(inputs, "replication.userManaged.replicas", [])
    return [
        (str(value(r, "customerManagedEncryption.kmsKeyName")), str(r.get("location", "")))
        for r in replicas
        if value(r, "customerManagedEncryption.kmsKeyName")
    ]


CONSUMERS: tuple[Consumer, ...] = (
    Consumer(
        "sql",
        "gcp:sql/databaseInstance:DatabaseInstance",
        _at("encryptionKeyName", "region"),
        "https://cloud.google.com/sql/docs/postgres/cmek",
    ),
    Consumer(
        "redis-cluster",
        "gcp:redis/cluster:Cluster",
        _at("kmsKey", "region"),
        "https://cloud.google.com/memorystore/docs/cluster/use-cmek",
    ),
    Consumer(
        "storage-bucket",
        "gcp:storage/bucket:Bucket",
        _at("encryption.defaultKmsKeyName", "location"),
        "https://cloud.google.com/storage/docs/encryption/customer-managed-keys",
    ),
    Consumer(
        "log-bucket",
        "gcp:logging/projectBucketConfig:ProjectBucketConfig",
        _at("cmekSettings.kmsKeyName", "location"),
        "https://cloud.google.com/logging/docs/routing/managed-encryption-storage",
    ),
    Consumer(
        "secret",
        "gcp:secretmanager/secret:Secret",
        _secret_replicas,
        "https://cloud.google.com/secret-manager/docs/cmek",
    ),
)


def _key_elsewhere(consumer: Consumer) -> Callable[[RecordedResource, Sequence[RecordedResource]], bool]:
    def refuses(resource: RecordedResource, before: Sequence[RecordedResource]) -> bool:
        for key, location in consumer.uses(resource.inputs):
            found = _KEY_LOCATION.search(key)
            if found and found.group(1).lower() != location.lower():
                return True
        return False

    return refuses


def _key_not_granted(consumer: Consumer) -> Callable[[RecordedResource, Sequence[RecordedResource]], bool]:
    def refuses(resource: RecordedResource, before: Sequence[RecordedResource]) -> bool:
        granted = {
            r.inputs.get("cryptoKeyId")
            for r in upstream(resource, before)
            if r.type == KEY_GRANT and r.inputs.get("role") == ENCRYPTER_DECRYPTER
        }
        return any(key not in granted for key, _ in consumer.uses(resource.inputs))

    return refuses


def consumer_rows(consumer: Consumer) -> tuple[Constraint, Constraint]:
    """The two rows every customer-managed key consumer gets: key location and key grant."""
    return (
        Constraint(
            id=f"gcp-{consumer.short}-cmek-key-location",
            type=consumer.type,
            refuses=_key_elsewhere(consumer),
            error="the Cloud KMS key must be in the same location as the resource it encrypts"
            " (a regional resource takes a key of its own region)",
            doc=consumer.doc,
        ),
        Constraint(
            id=f"gcp-{consumer.short}-cmek-key-granted",
            type=consumer.type,
            refuses=_key_not_granted(consumer),
            error="the service agent has no cloudkms.cryptoKeyEncrypterDecrypter on the key yet (permission"
            " denied on the KMS key): the resource must depend on the agent's grant on that key",
            doc=consumer.doc,
        ),
    )


CONSTRAINTS: tuple[Constraint, ...] = tuple(row for consumer in CONSUMERS for row in consumer_rows(consumer))
