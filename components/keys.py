"""Customer-managed encryption keys, one per purpose, rotated and recoverable."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Literal

import pulumi

from bettafish.config.encryption import Encryption
from components.base import DeployContext, NeutralComponent

KeyPurpose = Literal["database", "cache", "storage", "kubernetes", "logs"]
KEY_PURPOSES: tuple[KeyPurpose, ...] = ("database", "cache", "storage", "kubernetes", "logs")


@dataclass(frozen=True)
class KeysArgs:
    encryption: Encryption
    dr_region: str | None
    """Where database backups are copied; the database key gets a replica there when set."""
    context: DeployContext


class Keys(NeutralComponent):
    """``bettafish:security:Keys`` (AWS KMS, GCP Cloud KMS, Azure Key Vault)."""

    TYPE: ClassVar[str] = "bettafish:security:Keys"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("key_ids",)

    key_ids: pulumi.Output[dict[str, str]]
    """Key per purpose (database, cache, storage, kubernetes, logs): an ARN, a crypto key id, or a
    versionless Key Vault key URI."""

    def __init__(self, name: str, args: KeysArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args.context, opts)
