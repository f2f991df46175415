"""Kubernetes config: the managed control plane, node pools, add-ons, scaling and spot capacity."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from bettafish.config.base import Cidr, MachineSize, Model, Percent, PositiveInt

Addon = Literal["loadBalancerController", "clusterAutoscaler", "metricsServer", "blockStorageCsi"]


class ControlPlane(Model):
    """Managed control plane. The spec's three t3.medium masters become a zone-redundant managed
    control plane (EKS, regional GKE, AKS Standard tier): its machines are the cloud's to size."""

    zone_redundant: bool = True
    private_endpoint: bool = True
    authorized_cidrs: list[Cidr] = Field(default_factory=list)


class NodePool(Model):
    size: MachineSize
    count: PositiveInt
    min_count: PositiveInt
    max_count: PositiveInt
    zones: Annotated[list[Annotated[int, Field(ge=1)]], Field(min_length=1)]
    """1-based positions in ``bettafish:network.zones``."""

    @model_validator(mode="after")
    def _count_within_bounds(self) -> NodePool:
        if not self.min_count <= self.count <= self.max_count:
            raise ValueError(
                f"need minCount <= count <= maxCount, got {self.min_count} <= {self.count} <= {self.max_count}"
            )
        return self


class ClusterAutoscaling(Model):
    min_capacity: PositiveInt
    max_capacity: PositiveInt
    target_cpu_percent: Percent
    scale_up_cooldown_seconds: PositiveInt
    scale_down_cooldown_seconds: PositiveInt

    @model_validator(mode="after")
    def _min_not_above_max(self) -> ClusterAutoscaling:
        if self.min_capacity > self.max_capacity:
            raise ValueError(f"minCapacity {self.min_capacity} is above maxCapacity {self.max_capacity}")
        return self


class Spot(Model):
    enabled: bool
    max_percent: Annotated[int, Field(ge=0, le=100)]
    fallback_to_on_demand: bool = True


class Kubernetes(Model):
    version: Annotated[str, Field(pattern=r"^1\.\d{2}$")]
    control_plane: ControlPlane = ControlPlane()
    node_pools: Annotated[dict[Annotated[str, Field(pattern=r"^[a-z][a-z0-9]{0,11}$")], NodePool], Field(min_length=1)]
    addons: list[Addon]
    autoscaling: ClusterAutoscaling
    spot: Spot
