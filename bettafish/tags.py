"""Tags and labels on every taggable resource, valid under each cloud's rules."""

from __future__ import annotations

import re

from bettafish.config import Cloud, Identity

_GCP_INVALID = re.compile(r"[^a-z0-9_-]")
_AZURE_INVALID = re.compile(r"[<>%&\\?/]")
_AWS_INVALID = re.compile(r"[^\w .:/=+@-]")
_LIMITS = {"aws": (128, 256), "gcp": (63, 63), "azure": (512, 256)}


def _clean(cloud: Cloud, text: str) -> str:
    if cloud == "gcp":
        return _GCP_INVALID.sub("-", text.lower())
    if cloud == "azure":
        return _AZURE_INVALID.sub("-", text)
    return _AWS_INVALID.sub("-", text)


def resource_tags(cloud: Cloud, identity: Identity, component: str) -> dict[str, str]:
    """``project``, ``stack``, ``component`` and ``managed-by``, cleaned for ``cloud``."""
    key_limit, value_limit = _LIMITS[cloud]
    raw = {"project": identity.project, "stack": identity.stack, "component": component, "managed-by": "pulumi"}
    return {_clean(cloud, k)[:key_limit]: _clean(cloud, v)[:value_limit] for k, v in raw.items()}
