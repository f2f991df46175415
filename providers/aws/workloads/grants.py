"""What a service's own role may do: exactly its ``access`` list, as one IAM policy document (pure
data, so every statement is tested on its own).

- ``buckets``: object actions on the named buckets' objects only (``read``: get; ``readWrite``:
  get, put, delete, abort an upload); no bucket-level action, so not even listing. A bucket
  encrypted with the stack's storage key adds that key, for S3's requests on that bucket only
  (``kms:ViaService``, the ``aws:s3:arn`` encryption context): decrypt to read, data keys to write.
- ``secrets: [databaseCredentials]``: ``GetSecretValue`` on the database credentials secret and
  decrypt with the database key, for Secrets Manager's requests on that secret only
  (``kms:EncryptionContext:SecretARN``).
- ``cache``: the same on the Redis AUTH token's secret and the cache key.
- ``database``: nothing in IAM. The service signs in with the credentials secret's password; the
  network policy and the database security group carry the rest.

No statement has a ``*`` resource; a service without any of these gets no policy at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bettafish.config.services import Access, BucketName, SecretName

Statement = dict[str, Any]

OBJECT_ACTIONS = {
    "read": ["s3:GetObject"],
    "readWrite": ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"],
}
KEY_ACTIONS = {"read": ["kms:Decrypt"], "readWrite": ["kms:Decrypt", "kms:GenerateDataKey"]}


@dataclass(frozen=True)
class Bucket:
    arn: str
    key_arn: str | None
    """The customer-managed key encrypting it, None for SSE-S3."""


@dataclass(frozen=True)
class Secret:
    arn: str
    key_arn: str


@dataclass(frozen=True)
class GrantTargets:
    """The resolved ARNs a service's access list may name."""

    region: str
    buckets: dict[str, Bucket]
    """By logical name (mediaContent...)."""
    secrets: dict[SecretName, Secret]
    cache_token: Secret


def grants_anything(access: Access) -> bool:
    """Whether ``access`` names anything IAM grants (``database`` alone does not)."""
    return bool(access.buckets or access.secrets or access.cache)


def access_policy(access: Access, targets: GrantTargets) -> dict[str, Any] | None:
    """The policy document of ``access``, or None when it names nothing IAM grants."""
    if not grants_anything(access):
        return None
    statements: list[Statement] = []
    for logical, mode in sorted(access.buckets.items()):
        statements += _bucket(logical, mode, targets.buckets[logical], targets.region)
    for secret_name in sorted(set(access.secrets)):
        statements += _secret(_sid(secret_name), targets.secrets[secret_name], targets.region)
    if access.cache:
        statements += _secret("CacheAuthToken", targets.cache_token, targets.region)
    return {"Version": "2012-10-17", "Statement": statements}


def _sid(name: str) -> str:
    return name[0].upper() + name[1:]


def _bucket(logical: BucketName, mode: str, bucket: Bucket, region: str) -> list[Statement]:
    statements: list[Statement] = [
        {
            "Sid": f"{_sid(logical)}Objects{_sid(mode)}",
            "Effect": "Allow",
            "Action": OBJECT_ACTIONS[mode],
            "Resource": [f"{bucket.arn}/*"],
        }
    ]
    if bucket.key_arn is not None:
        statements.append(
            {
                "Sid": f"{_sid(logical)}Key{_sid(mode)}",
                "Effect": "Allow",
                "Action": KEY_ACTIONS[mode],
                "Resource": [bucket.key_arn],
                "Condition": {
                    "StringEquals": {"kms:ViaService": f"s3.{region}.amazonaws.com"},
                    # With S3 Bucket Keys the context is the bucket's ARN; without, the object's.
                    "StringLike": {"kms:EncryptionContext:aws:s3:arn": [bucket.arn, f"{bucket.arn}/*"]},
                },
            }
        )
    return statements


def _secret(sid: str, secret: Secret, region: str) -> list[Statement]:
    return [
        {"Sid": f"{sid}Read", "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": [secret.arn]},
        {
            "Sid": f"{sid}Decrypt",
            "Effect": "Allow",
            "Action": ["kms:Decrypt"],
            "Resource": [secret.key_arn],
            "Condition": {
                "StringEquals": {
                    "kms:ViaService": f"secretsmanager.{region}.amazonaws.com",
                    "kms:EncryptionContext:SecretARN": secret.arn,
                }
            },
        },
    ]
