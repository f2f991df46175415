"""Redis: sharded, replicated, encrypted and private."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pulumi

from bettafish.config.cache import Cache
from components.base import DeployContext, NeutralComponent
from components.keys import Keys
from components.vpc import Vpc


@dataclass(frozen=True)
class CacheClusterArgs:
    cache: Cache
    auth_token: pulumi.Input[str] | None
    """The Redis AUTH token, a Pulumi secret (AWS; GCP and Azure issue their own credentials)."""
    vpc: Vpc
    keys: Keys
    log_retention_days: int
    """How long the cloud keeps the slow-log logs it writes for us (monitoring.logRetention.databaseDays)."""
    context: DeployContext


class CacheCluster(NeutralComponent):
    """``bettafish:cache:CacheCluster`` (ElastiCache, Memorystore, Azure Managed Redis)."""

    TYPE: ClassVar[str] = "bettafish:cache:CacheCluster"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("endpoints", "port", "tls_enabled")

    endpoints: pulumi.Output[list[str]]
    """Host names clients connect to."""
    port: pulumi.Output[int]
    tls_enabled: pulumi.Output[bool]

    def __init__(self, name: str, args: CacheClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args.context, opts)
