"""The five BettaFish services that run on Kubernetes."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, model_validator

from bettafish.config.base import MachineSize, Model, Percent, Port, PositiveInt


class HealthCheck(Model):
    path: Annotated[str, Field(pattern=r"^/\S*$")]
    interval_seconds: PositiveInt
    timeout_seconds: PositiveInt
    healthy_threshold: Annotated[int, Field(ge=1, le=10)]
    unhealthy_threshold: Annotated[int, Field(ge=1, le=10)]

    @model_validator(mode="after")
    def _timeout_shorter_than_interval(self) -> HealthCheck:
        if self.timeout_seconds >= self.interval_seconds:
            raise ValueError(
                f"timeoutSeconds {self.timeout_seconds} must be shorter than intervalSeconds {self.interval_seconds}"
            )
        return self


class Service(Model):
    size: MachineSize
    """What one replica may use; requests and limits derive from it."""
    node_pool: str
    min_replicas: PositiveInt
    max_replicas: PositiveInt
    target_cpu_percent: Percent = 70
    target_memory_percent: Percent | None = None
    port: Port = 8000
    gpu: bool = False
    health_check: HealthCheck | None = None

    @model_validator(mode="after")
    def _min_not_above_max(self) -> Service:
        if self.min_replicas > self.max_replicas:
            raise ValueError(f"minReplicas {self.min_replicas} is above maxReplicas {self.max_replicas}")
        return self


class Services(Model):
    api_gateway: Service
    insight_engine: Service
    media_engine: Service
    query_engine: Service
    report_engine: Service

    def items(self) -> list[tuple[str, Service]]:
        return [(name, getattr(self, name)) for name in type(self).model_fields]
