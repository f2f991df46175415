"""Helpers shared by the per-cloud parts of the fake cloud."""

from __future__ import annotations

import hashlib
from typing import Any

ACCOUNT_ID = "123456789012"
SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000000"
TENANT_ID = "11111111-1111-4111-8111-111111111111"
GCP_PROJECT_NUMBER = "409871234567"

Computed = tuple[str, dict[str, Any]]
"""A resource's id and the outputs the provider computes on top of its inputs."""


def hex_digest(*parts: str, length: int = 17) -> str:
    """A stable hex string for ``parts``: fake ids are deterministic."""
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def fake_uuid(*parts: str) -> str:
    digest = hex_digest(*parts, length=32)
    return f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-8{digest[17:20]}-{digest[20:32]}"


def physical_name(name: str, inputs: dict[str, Any], key: str = "name") -> str:
    """The physical name: the one the program gave, else Pulumi-style autonaming (name + suffix)."""
    given = inputs.get(key)
    return given if isinstance(given, str) and given else f"{name}-{hex_digest(name, length=7)}"
