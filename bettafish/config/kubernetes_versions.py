"""The Kubernetes versions each cloud offers and when their standard support ends (``data/kubernetes.yaml``)."""

from __future__ import annotations

from datetime import date
from functools import cache
from importlib import resources

import yaml
from pydantic import Field, TypeAdapter

from bettafish.config.base import Cloud, Model


class CloudVersions(Model):
    source: str
    standard_support_ends: dict[str, date] = Field(min_length=1)


class VersionCatalog(Model):
    as_of: date
    aws: CloudVersions
    gcp: CloudVersions
    azure: CloudVersions

    def of(self, cloud: Cloud) -> CloudVersions:
        versions: CloudVersions = getattr(self, cloud)
        return versions


@cache
def version_catalog() -> VersionCatalog:
    text = resources.files("bettafish").joinpath("data/kubernetes.yaml").read_text()
    return TypeAdapter(VersionCatalog).validate_python(yaml.safe_load(text))
