"""Object storage: the media, reports and logs buckets."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pulumi

from bettafish.config.storage import Storage
from components.base import DeployContext, NeutralComponent
from components.keys import Keys
from components.vpc import Vpc


@dataclass(frozen=True)
class ObjectStoreArgs:
    storage: Storage
    vpc: Vpc
    """The network whose application subnets reach the buckets privately (security rule 37)."""
    keys: Keys
    context: DeployContext


class ObjectStore(NeutralComponent):
    """``bettafish:storage:ObjectStore`` (S3, Cloud Storage, Blob Storage)."""

    TYPE: ClassVar[str] = "bettafish:storage:ObjectStore"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("bucket_names", "bucket_urls")

    bucket_names: pulumi.Output[dict[str, str]]
    """Physical bucket (container) name per logical bucket (mediaContent, reports, logs)."""
    bucket_urls: pulumi.Output[dict[str, str]]
    """URL of each bucket."""

    def __init__(self, name: str, args: ObjectStoreArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args.context, opts)
