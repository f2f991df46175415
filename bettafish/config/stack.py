"""The root stack config model."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from bettafish.config.base import Cloud, Model
from bettafish.config.cache import Cache
from bettafish.config.database import Database
from bettafish.config.edge import Edge
from bettafish.config.encryption import Encryption
from bettafish.config.kubernetes import Kubernetes
from bettafish.config.network import Network
from bettafish.config.operations import Budget, DisasterRecovery, Monitoring
from bettafish.config.registry import Registry
from bettafish.config.services import Services
from bettafish.config.storage import Storage


class Identity(Model):
    """Which Pulumi project and stack this config belongs to (from the engine, not the YAML)."""

    project: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$")]
    stack: Annotated[str, Field(pattern=r"^[A-Za-z0-9_.-]+$")]

    @property
    def prefix(self) -> str:
        """Lowercase ``project-stack`` prefix for physical names."""
        return f"{self.project}-{self.stack}".lower().replace("_", "-").replace(".", "-")


class ProviderSettings(Model):
    """The selected cloud's provider settings (``aws:region``, ``gcp:project`` + ``gcp:region``,
    ``azure-native:location``)."""

    region: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]+[a-z0-9]$")]
    project: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{4,28}[a-z0-9]$")] | None = None


class StackConfig(Model):
    """Everything one stack deploys, validated before any resource is registered."""

    identity: Identity
    cloud: Cloud
    provider: ProviderSettings
    protect_stateful: bool = True
    """Mark databases, caches, buckets and keys ``protect``; only a throwaway stack turns this off."""
    network: Network
    encryption: Encryption
    kubernetes: Kubernetes
    services: Services
    registry: Registry = Registry()
    database: Database
    cache: Cache
    storage: Storage
    edge: Edge
    monitoring: Monitoring
    budget: Budget
    disaster_recovery: DisasterRecovery
