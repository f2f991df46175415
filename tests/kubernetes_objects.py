"""Kubernetes objects of a recording as manifests, validated offline (kubernetes-validate, strict)
against the cluster's Kubernetes version."""

from __future__ import annotations

from typing import Any

import kubernetes_validate

from bettafish.plan import RecordedResource, Recording

_NOT_MANIFEST = frozenset({"kubernetes:helm.sh/v3:Release"})
"""Kubernetes resources of the SDK that are not API objects themselves."""


def kubernetes_objects(recording: Recording) -> list[RecordedResource]:
    """Every API object the recording registered through pulumi-kubernetes."""
    return [
        r for r in recording.resources if r.custom and r.type.startswith("kubernetes:") and r.type not in _NOT_MANIFEST
    ]


def manifest(resource: RecordedResource) -> dict[str, Any]:
    """The object as the API receives it: ``apiVersion`` and ``kind`` from the type token
    (``kubernetes:storage.k8s.io/v1:StorageClass``), the rest from the recorded inputs."""
    _, group_version, kind = resource.type.split(":")
    api_version = group_version.removeprefix("core/")
    body = {k: v for k, v in resource.inputs.items() if k not in ("apiVersion", "kind")}
    return {"apiVersion": api_version, "kind": kind, **body}


def validate(resource: RecordedResource, kubernetes_version: str) -> None:
    """Raise ``kubernetes_validate.ValidationError`` unless the object is valid for the version
    (``1.35``), unknown fields included (strict)."""
    kubernetes_validate.validate(manifest(resource), f"{kubernetes_version}.0", strict=True)
