"""Kubernetes objects of a recording as manifests, validated offline (kubernetes-validate, strict)
against the cluster's Kubernetes version."""

from __future__ import annotations

from typing import Any

import jsonschema
import kubernetes_validate

from bettafish.plan import RecordedResource, Recording
from tests.azure_custom_resources import AZURE_CUSTOM_RESOURCES
from tests.gke_custom_resources import GKE_CUSTOM_RESOURCES

_NOT_MANIFEST = frozenset({"kubernetes:helm.sh/v3:Release"})
"""Kubernetes resources of the SDK that are not API objects themselves."""

CUSTOM_RESOURCES: dict[str, dict[str, Any]] = {
    # The ENIConfig CRD of the VPC CNI (amazon-vpc-cni-k8s, charts/aws-vpc-cni/crds), made strict:
    # the CRD keeps unknown fields, so a misspelt field would be ignored by the cluster.
    "crd.k8s.amazonaws.com/v1alpha1:ENIConfig": {
        "type": "object",
        "additionalProperties": False,
        "required": ["apiVersion", "kind", "spec"],
        "properties": {
            "apiVersion": {"const": "crd.k8s.amazonaws.com/v1alpha1"},
            "kind": {"const": "ENIConfig"},
            "spec": {
                "type": "object",
                "additionalProperties": False,
                "required": ["subnet"],
                "properties": {
                    "subnet": {"type": "string", "pattern": "^subnet-[0-9a-f]+$"},
                    "securityGroups": {"type": "array", "items": {"type": "string", "pattern": "^sg-[0-9a-f]+$"}},
                },
            },
        },
    },
    **GKE_CUSTOM_RESOURCES,
    **AZURE_CUSTOM_RESOURCES,
}
"""Schemas of the custom resources the plan registers, which kubernetes-validate does not know."""


def kubernetes_objects(recording: Recording) -> list[RecordedResource]:
    """Every API object the recording registered through pulumi-kubernetes."""
    return [
        r for r in recording.resources if r.custom and r.type.startswith("kubernetes:") and r.type not in _NOT_MANIFEST
    ]


def manifest(resource: RecordedResource) -> dict[str, Any]:
    """The object as the API receives it: ``apiVersion`` and ``kind`` from the type token
    (``kubernetes:storage.k8s.io/v1:StorageClass``), the rest from the recorded inputs. A patch
    (``BackendConfigPatch``) is a partial object of the kind it patches."""
    _, group_version, kind = resource.type.split(":")
    api_version = group_version.removeprefix("core/")
    if kind.endswith("Patch") and resource.inputs.get("kind") == kind.removesuffix("Patch"):
        kind = kind.removesuffix("Patch")
    body = {k: v for k, v in resource.inputs.items() if k not in ("apiVersion", "kind")}
    return {"apiVersion": api_version, "kind": kind, **body}


def validate(resource: RecordedResource, kubernetes_version: str) -> None:
    """Raise ``kubernetes_validate.ValidationError`` (or ``jsonschema.ValidationError`` for a custom
    resource) unless the object is valid for the version (``1.35``), unknown fields included (strict).
    A custom resource's metadata is checked as the ObjectMeta it is, its body against its CRD."""
    body = manifest(resource)
    schema = CUSTOM_RESOURCES.get(f"{body['apiVersion']}:{body['kind']}")
    if schema is None:
        kubernetes_validate.validate(body, f"{kubernetes_version}.0", strict=True)
        return
    metadata_only = {"apiVersion": "v1", "kind": "ConfigMap", "metadata": body["metadata"]}
    kubernetes_validate.validate(metadata_only, f"{kubernetes_version}.0", strict=True)
    jsonschema.validate({k: v for k, v in body.items() if k != "metadata"}, schema)
