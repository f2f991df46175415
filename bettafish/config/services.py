"""The five BettaFish services that run on Kubernetes."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from bettafish.config.base import MachineSize, Model, Percent, Port, PositiveInt, require_unique

ServiceName = Literal["apiGateway", "insightEngine", "mediaEngine", "queryEngine", "reportEngine"]
BucketName = Literal["mediaContent", "reports", "logs"]
SecretName = Literal["databaseCredentials"]


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


class Image(Model):
    """A container image in the stack's registry: a repository and an immutable tag or a digest."""

    repository: Annotated[str, Field(pattern=r"^[a-z0-9]+([._-][a-z0-9]+)*(/[a-z0-9]+([._-][a-z0-9]+)*)*$")]
    tag: Annotated[str, Field(pattern=r"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")] | None = None
    digest: Annotated[str, Field(pattern=r"^sha256:[0-9a-f]{64}$")] | None = None

    @model_validator(mode="after")
    def _pinned(self) -> Image:
        if (self.tag is None) == (self.digest is None):
            raise ValueError("give exactly one of tag and digest")
        if self.tag == "latest":
            raise ValueError("tag 'latest' moves; pin a release tag or a digest (security rule 35)")
        return self

    def reference(self, registry: str) -> str:
        """``<registry>/<repository>:<tag>`` or ``…@<digest>``."""
        pin = f"@{self.digest}" if self.digest else f":{self.tag}"
        return f"{registry}/{self.repository}{pin}"


class Access(Model):
    """What a service may reach besides the services it calls: the cloud grants its identity holds."""

    buckets: dict[BucketName, Literal["read", "readWrite"]] = Field(default_factory=dict)
    database: bool = False
    cache: bool = False
    secrets: list[SecretName] = Field(default_factory=list)


class Service(Model):
    image: Image
    size: MachineSize
    """What one replica may use: its CPU limit; requests are the size capped at what a node of its
    pool can give (``bettafish.config.capacity``)."""
    node_pool: str
    min_replicas: PositiveInt
    max_replicas: PositiveInt
    target_cpu_percent: Percent = 70
    target_memory_percent: Percent | None = None
    port: Port = 8000
    gpu: bool = False
    health_check: HealthCheck
    access: Access = Access()
    calls: list[ServiceName] = Field(default_factory=list)
    """Services this one sends requests to (the only pod-to-pod traffic the network policies allow)."""
    interruptible: bool = False
    """May run on spot nodes (tolerates the spot taint): a replica may vanish at two minutes' notice."""
    writable_paths: list[Annotated[str, Field(pattern=r"^/[A-Za-z0-9_./-]*$")]] = Field(
        default_factory=lambda: ["/tmp"]
    )
    """Directories the app writes to: an ``emptyDir`` each, the root filesystem stays read-only."""
    termination_grace_seconds: Annotated[int, Field(ge=1, le=600)] = 30

    @model_validator(mode="after")
    def _consistent(self) -> Service:
        if self.min_replicas > self.max_replicas:
            raise ValueError(f"minReplicas {self.min_replicas} is above maxReplicas {self.max_replicas}")
        require_unique("calls", list(self.calls))
        require_unique("writablePaths", list(self.writable_paths))
        return self


class Services(Model):
    api_gateway: Service
    insight_engine: Service
    media_engine: Service
    query_engine: Service
    report_engine: Service

    def items(self) -> list[tuple[ServiceName, Service]]:
        """(name as written in the config - apiGateway... - and the service)."""
        return [(field.alias, getattr(self, name)) for name, field in type(self).model_fields.items()]  # type: ignore[misc]

    def get(self, name: ServiceName) -> Service:
        return dict(self.items())[name]
