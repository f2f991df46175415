"""Object storage config: the three buckets and their lifecycle."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field, model_validator

from bettafish.config.base import Model, PositiveInt


class Transition(Model):
    days: PositiveInt
    storage_class: Literal["infrequentAccess", "archive"]


class Bucket(Model):
    versioning: bool
    transitions: list[Transition] = Field(default_factory=list)
    expire_days: PositiveInt | None = None
    encryption: Literal["providerManaged", "customerManaged"]

    @model_validator(mode="after")
    def _lifecycle_in_order(self) -> Bucket:
        days = [t.days for t in self.transitions]
        if days != sorted(set(days)):
            raise ValueError(f"transitions must have increasing days, got {days}")
        if self.expire_days is not None and days and self.expire_days <= days[-1]:
            raise ValueError(f"expireDays {self.expire_days} must come after the last transition ({days[-1]} days)")
        return self


class Buckets(Model):
    media_content: Bucket
    reports: Bucket
    logs: Bucket

    def items(self) -> list[tuple[str, Bucket]]:
        """(logical name as written in the config - mediaContent, reports, logs - and the bucket)."""
        return [(field.alias or name, getattr(self, name)) for name, field in type(self).model_fields.items()]


class Storage(Model):
    buckets: Buckets
    abort_incomplete_upload_days: Annotated[int, Field(ge=1, le=30)]
    noncurrent_version_expire_days: PositiveInt
