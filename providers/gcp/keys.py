"""GCP Keys: a Cloud KMS key ring in the region with one rotated symmetric key per purpose, held in
Cloud HSM or in software per ``encryption.protectionLevel``, and a database key in the
disaster-recovery region when backups are copied there."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from bettafish.config.checks.operations_gcp import multi_region
from bettafish.config.encryption import Encryption
from components.keys import KEY_PURPOSES, KeyPurpose, Keys, KeysArgs
from providers.gcp.agents import grant_key_use, logging_agent
from providers.gcp.firewall import gcp_name
from providers.gcp.project import CLOUD_KMS, LOGGING, enable_apis, require_project

SECONDS_PER_DAY = 86400
ALGORITHM = "GOOGLE_SYMMETRIC_ENCRYPTION"
"""AES-256-GCM key versions."""
PROTECTION_LEVEL = {"hsm": "HSM", "software": "SOFTWARE"}
"""``encryption.protectionLevel`` -> the CryptoKey version template's protection level (rule 40)."""


KMS_MULTI_REGIONS = {"US": "us", "EU": "europe", "ASIA": "asia"}
"""The Cloud KMS multi-region of each Cloud Storage multi-region."""


def dual_region_area(region: str, dr_region: str) -> str | None:
    """The multi-region (``US``) holding both regions, where a dual-region bucket of the two lives."""
    area = multi_region(region)
    return area if area is not None and area == multi_region(dr_region) else None


def duration(days: int) -> str:
    """A KMS duration: whole seconds with the ``s`` suffix."""
    return f"{days * SECONDS_PER_DAY}s"


class GcpKeys(Keys):
    """Children: the Cloud KMS and Cloud Logging APIs; a ``kms.KeyRing`` in the stack's region and one
    ``kms.CryptoKey`` per purpose (database, cache, storage, kubernetes, logs) in it:
    ENCRYPT_DECRYPT, rotated every ``keyRotationDays`` (security rule 29 wants at most 90, checked
    at config time), versions destroyed only ``keyDeletionWindowDays`` after being scheduled for
    destruction, new versions created at ``protectionLevel`` (HSM: the key material never leaves
    a FIPS 140-2 Level 3 Cloud HSM; every consumer here, Cloud SQL, Memorystore, Cloud Storage,
    Secret Manager and Cloud Logging, takes HSM keys as it takes software ones). Cloud KMS never
    changes a key's protection level: changing ``protectionLevel`` replaces every key, and with
    it every resource encrypted with one (docs/deploying.md).

    Cloud Logging's service account is granted the ``logs`` key here, once for every log bucket of
    the stack (``logs_ready``: what a log bucket waits for).

    With a disaster-recovery region, a second key ring there holds a second database key. Cloud
    SQL encrypts backups with the primary's key even when they are stored in another region, but
    a CMEK instance must use a key of its own region: restoring those backups (or adding a
    replica) in the DR region needs this key, and it must exist before the disaster. The buckets of
    user data are then dual-region across the two regions (``providers.gcp.object_store``), and a
    dual-region bucket takes a key of the multi-region holding it (``us`` for US-EAST1 + US-WEST1):
    a third ring there holds a second storage key.

    Key rings and key versions cannot be deleted on GCP (a destroyed key only schedules its
    versions for destruction), so every ring and key is stateful: protected in prod. Their names
    are autonamed, so a staging destroyed and brought up again gets new ones.

    Extra attributes for sibling GCP components: ``key_ring``, ``keys`` (per purpose),
    ``dr_key_ring`` and ``dr_database_key`` (None without a DR region), ``dual_region_storage_key``
    (None without a DR region in the same multi-region), ``dr_region``, ``logs_ready``.
    """

    def __init__(self, name: str, args: KeysArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        ctx = args.context
        project, region, labels = require_project(ctx), ctx.provider.region, ctx.tags("keys")
        apis = enable_apis(self, name, project, CLOUD_KMS, LOGGING)
        self._kms_api = apis[CLOUD_KMS]
        self.key_ring = self._ring(name, "ring", region, project)
        self.keys: dict[KeyPurpose, gcp.kms.CryptoKey] = {
            purpose: self._key(name, purpose, self.key_ring, args.encryption, labels) for purpose in KEY_PURPOSES
        }
        self.dr_key_ring: gcp.kms.KeyRing | None = None
        self.dr_database_key: gcp.kms.CryptoKey | None = None
        self.dual_region_storage_key: gcp.kms.CryptoKey | None = None
        self.dr_region = args.dr_region
        if args.dr_region:
            self.dr_key_ring = self._ring(name, "dr-ring", args.dr_region, project)
            self.dr_database_key = self._key(name, "dr-database", self.dr_key_ring, args.encryption, labels)
            area = dual_region_area(region, args.dr_region)
            if area is not None:
                ring = self._ring(name, "multi-ring", KMS_MULTI_REGIONS[area], project)
                self.dual_region_storage_key = self._key(name, "multi-storage", ring, args.encryption, labels)

        logging_grant = grant_key_use(
            self, f"{name}-logging-key-user", self.keys["logs"], logging_agent(self, project, apis[LOGGING])
        )
        self.logs_ready: list[pulumi.Resource] = [apis[LOGGING], logging_grant]
        """A log bucket encrypted with the ``logs`` key is created after these."""

        self._publish(key_ids=pulumi.Output.all(**{purpose: key.id for purpose, key in self.keys.items()}))

    def _ring(self, name: str, role: str, location: str, project: str) -> gcp.kms.KeyRing:
        return gcp.kms.KeyRing(
            gcp_name(name, role),
            project=project,
            location=location,
            opts=self.child(stateful=True, depends_on=[self._kms_api]),
        )

    def _key(
        self, name: str, role: str, ring: gcp.kms.KeyRing, cfg: Encryption, labels: dict[str, str]
    ) -> gcp.kms.CryptoKey:
        return gcp.kms.CryptoKey(
            gcp_name(name, role),
            key_ring=ring.id,
            purpose="ENCRYPT_DECRYPT",
            rotation_period=duration(cfg.key_rotation_days),
            destroy_scheduled_duration=duration(cfg.key_deletion_window_days),
            version_template={"algorithm": ALGORITHM, "protection_level": PROTECTION_LEVEL[cfg.protection_level]},
            labels=labels,
            opts=self.child(stateful=True),
        )
