"""Customer-managed encryption keys: rotation and deletion safety."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from bettafish.config.base import Model


class Encryption(Model):
    """One key per purpose (database, cache, storage, kubernetes, logs) per stack."""

    key_rotation_days: Annotated[int, Field(ge=90, le=2560)]
    """AWS rotates every 90 to 2560 days; GCP and Azure take the same period (GCP at most 90, see checks)."""
    key_deletion_window_days: Annotated[int, Field(ge=7, le=30)]
    """How long a deleted key can still be recovered (AWS deletion window, GCP destroy delay,
    Azure soft-delete retention)."""
    protection_level: Literal["hsm", "software"]
    """Where key material lives (security rule 40): ``hsm`` in prod. AWS KMS keys are always held
    in FIPS-validated HSMs; GCP Cloud KMS takes HSM or SOFTWARE; Azure needs a Premium vault for
    RSA-HSM keys."""
