"""Redis config: size, shards and replicas, memory policy, snapshots."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from bettafish.config.base import DailyWindow, MachineSize, Model, Port, PositiveInt, WeeklyWindow

MaxMemoryPolicy = Literal[
    "allkeys-lru",
    "allkeys-lfu",
    "allkeys-random",
    "volatile-lru",
    "volatile-lfu",
    "volatile-random",
    "volatile-ttl",
    "noeviction",
]


class CacheSnapshots(Model):
    retention_days: Annotated[int, Field(ge=0, le=35)]
    window: DailyWindow


class CacheTtl(Model):
    application_seconds: PositiveInt
    database_result_seconds: PositiveInt


class Cache(Model):
    engine_version: Annotated[str, Field(pattern=r"^7(\.\d)?$")]
    size: MachineSize
    shards: Annotated[int, Field(ge=1, le=500)]
    replicas_per_shard: Annotated[int, Field(ge=0, le=5)]
    automatic_failover: bool
    multi_az: bool
    max_memory_policy: MaxMemoryPolicy
    reserved_memory_percent: Annotated[int, Field(ge=0, le=100)]
    snapshots: CacheSnapshots
    maintenance_window: WeeklyWindow
    ttl: CacheTtl
    port: Port = 6379
    auth_token_update: Literal["rotate", "set"] = "rotate"
    """How a changed ``bettafish:redisAuthToken`` reaches the cache (AWS, the one cloud with a static
    token): ``rotate`` adds the new token beside the old one (clients move over), ``set`` then
    leaves only the new one. Rotation is these two updates, in that order."""

    def whole_cluster_size(self) -> MachineSize:
        """All shards as one size, for clouds that size a single SKU for the cluster (Azure)."""
        size = self.size
        return size.model_copy(update={"vcpus": size.vcpus * self.shards, "memory_gib": size.memory_gib * self.shards})

    @model_validator(mode="after")
    def _failover_needs_replicas(self) -> Cache:
        if self.automatic_failover and self.replicas_per_shard < 1:
            raise ValueError("automaticFailover needs replicasPerShard >= 1")
        if self.multi_az and not self.automatic_failover:
            raise ValueError("multiAz needs automaticFailover")
        return self
