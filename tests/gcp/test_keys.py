"""GCP Keys: the Cloud KMS key ring, one rotated key per purpose, the DR database key, as recorded
from the real program run offline on GCP."""

from __future__ import annotations

from functools import cache

import pytest

from bettafish.plan import RecordedResource, Recording
from tests.mocks import physical_name, run_stack

STACKS = ("prod", "staging")
PREFIX = {"prod": "bettafish-prod-keys", "staging": "bettafish-staging-keys"}
PURPOSES = ("database", "cache", "storage", "kubernetes", "logs")
REGION, DR_REGION = "us-east1", "us-west1"
DAY = 86400

KEY_RING = "gcp:kms/keyRing:KeyRing"
CRYPTO_KEY = "gcp:kms/cryptoKey:CryptoKey"
GRANT = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
SERVICE = "gcp:projects/service:Service"
LOGGING_AGENT = "serviceAccount:service-409871234567@gcp-sa-logging.iam.gserviceaccount.com"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "gcp")


def by_name(stack: str, suffix: str) -> RecordedResource:
    return plan(stack).named(f"{PREFIX[stack]}-{suffix}")


def children(stack: str) -> list[RecordedResource]:
    (keys,) = plan(stack).of_type("bettafish:security:Keys")
    return plan(stack).children_of(keys.urn)


@pytest.mark.parametrize(
    ("stack", "dr"),
    [
        (
            "prod",
            # The DR region's database key, and the multi-region storage key of the dual-region buckets.
            [
                (KEY_RING, "dr-ring"),
                (CRYPTO_KEY, "dr-database"),
                (KEY_RING, "multi-ring"),
                (CRYPTO_KEY, "multi-storage"),
            ],
        ),
        ("staging", []),
    ],
)
def test_keys_have_exactly_the_expected_children(stack: str, dr: list[tuple[str, str]]) -> None:
    found = sorted((r.type, r.name.removeprefix(f"{PREFIX[stack]}-")) for r in children(stack))
    assert found == sorted(
        [
            (SERVICE, "cloudkms-api"),
            (SERVICE, "logging-api"),
            (KEY_RING, "ring"),
            *[(CRYPTO_KEY, p) for p in PURPOSES],
            (GRANT, "logging-key-user"),
            *dr,
        ]
    )


@pytest.mark.parametrize("stack", STACKS)
def test_key_rings_wait_for_the_cloud_kms_api(stack: str) -> None:
    api = by_name(stack, "cloudkms-api")
    assert api.inputs == {
        "project": f"bettafish-{stack}",
        "service": "cloudkms.googleapis.com",
        "disableOnDestroy": False,
    }
    assert all(api.urn in ring.dependencies for ring in plan(stack).of_type(KEY_RING))


@pytest.mark.parametrize("stack", STACKS)
def test_cloud_logging_may_use_the_logs_key_once_for_every_log_bucket(stack: str) -> None:
    """Its service account comes from the project's CMEK settings, after the Logging API is on."""
    grant = by_name(stack, "logging-key-user")
    assert grant.inputs == {
        "cryptoKeyId": by_name(stack, "logs").id,
        "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        "member": LOGGING_AGENT,
    }
    assert len([g for g in plan(stack).of_type(GRANT) if g.inputs["member"] == LOGGING_AGENT]) == 1


@pytest.mark.parametrize("stack", STACKS)
def test_one_key_per_purpose_in_the_regional_ring(stack: str) -> None:
    ring = by_name(stack, "ring")
    assert ring.inputs == {"project": f"bettafish-{stack}", "location": REGION}
    for purpose in PURPOSES:
        key = by_name(stack, purpose)
        assert key.inputs["keyRing"] == ring.id
        assert key.inputs["purpose"] == "ENCRYPT_DECRYPT"


# Rule 40: keys in hardware where offered.
@pytest.mark.parametrize(("stack", "level"), [("prod", "HSM"), ("staging", "SOFTWARE")])
def test_key_versions_are_made_at_the_configured_protection_level(stack: str, level: str) -> None:
    """prod: encryption.protectionLevel hsm (Cloud HSM); staging: software."""
    keys = plan(stack).of_type(CRYPTO_KEY)
    assert len(keys) == {"prod": 7, "staging": 5}[stack]
    for key in keys:
        assert key.inputs["versionTemplate"] == {"algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION", "protectionLevel": level}


@pytest.mark.parametrize("stack", STACKS)
def test_key_ids_output_maps_each_purpose_to_its_key(stack: str) -> None:
    assert plan(stack).outputs["keyIds"] == {purpose: by_name(stack, purpose).id for purpose in PURPOSES}
    assert all(f"/locations/{REGION}/keyRings/" in key_id for key_id in plan(stack).outputs["keyIds"].values())


@pytest.mark.parametrize("stack", STACKS)
def test_every_key_rotates_at_least_every_90_days(stack: str) -> None:
    """Security rule 29 (CKV_GCP_43): the config's 90 days, in KMS's seconds."""
    keys = plan(stack).of_type(CRYPTO_KEY)
    assert keys
    for key in keys:
        assert key.inputs["rotationPeriod"] == f"{90 * DAY}s"
        assert int(key.inputs["rotationPeriod"].removesuffix("s")) <= 90 * DAY


@pytest.mark.parametrize("stack", STACKS)
def test_destroyed_versions_stay_recoverable_for_the_deletion_window(stack: str) -> None:
    assert all(k.inputs["destroyScheduledDuration"] == f"{30 * DAY}s" for k in plan(stack).of_type(CRYPTO_KEY))


@pytest.mark.parametrize("stack", STACKS)
def test_keys_carry_the_standard_labels(stack: str) -> None:
    labels = {"project": "bettafish", "stack": stack, "component": "keys", "managed-by": "pulumi"}
    assert all(k.inputs["labels"] == labels for k in plan(stack).of_type(CRYPTO_KEY))


def test_dr_database_key_lives_in_its_own_ring_in_the_dr_region() -> None:
    ring, key = by_name("prod", "dr-ring"), by_name("prod", "dr-database")
    assert ring.inputs["location"] == DR_REGION
    assert key.inputs["keyRing"] == ring.id
    assert key.inputs["rotationPeriod"] == f"{90 * DAY}s"
    assert key.id not in plan("prod").outputs["keyIds"].values()


def test_no_dr_key_when_backups_are_not_copied() -> None:
    assert [r.inputs["location"] for r in plan("staging").of_type(KEY_RING)] == [REGION]


@pytest.mark.parametrize(("stack", "protected"), [("prod", True), ("staging", False)])
def test_rings_and_keys_are_protected_in_prod_only(stack: str, protected: bool) -> None:
    """Security rule 32: key rings and keys cannot even be deleted on GCP; a destroy must not try."""
    held = [r for r in children(stack) if r.type in (KEY_RING, CRYPTO_KEY)]
    assert held
    assert all(r.protect is protected for r in held)


@pytest.mark.parametrize("stack", STACKS)
def test_keys_are_autonamed_from_their_role(stack: str) -> None:
    """Key rings are never deleted: a staging brought up again must get new names."""
    for resource in (r for r in children(stack) if r.type in (KEY_RING, CRYPTO_KEY)):
        assert physical_name(resource).startswith(f"{resource.name}-")


def test_the_dual_region_storage_key_lives_in_the_multi_region_of_both_regions() -> None:
    """A bucket across us-east1 and us-west1 is in the US multi-region and takes a key in ``us``."""
    ring = by_name("prod", "multi-ring")
    assert ring.inputs["location"] == "us"
    assert ring.protect is True
    assert by_name("prod", "multi-storage").inputs["keyRing"] == ring.id
