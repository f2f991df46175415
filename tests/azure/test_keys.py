"""Azure Keys: the Key Vault (RBAC, purge protection, soft delete for the deletion window, firewall),
one rotated RSA key per purpose, the DR-region vault with its database key, and the deletion guards
(security rules 29 and 32), as recorded from the real program run offline on Azure."""

from __future__ import annotations

import re

import pytest

from components.keys import KEY_PURPOSES
from tests.azure.stacks import (
    DR_LOCATION,
    EXPIRY,
    KEY,
    LOCATION,
    LOCK,
    RANDOM_STRING,
    RESOURCE_GROUP,
    STACKS,
    VAULT,
    children,
    computed,
    config,
    group_name,
    inventory,
    named,
    plan,
    snake_case_keys,
)
from tests.mocks import physical_name

FOLLOWS_NEW_VERSIONS = ("database", "storage", "logs")
"""PostgreSQL and Storage (the buckets and the log accounts) take versionless key URIs and move to each
new version."""
PINS_A_VERSION = ("cache", "kubernetes")
"""Azure Managed Redis and the AKS KMS plugin pin one key version."""


def vault(stack: str, suffix: str = "vault") -> dict[str, object]:
    return named(stack, "keys", suffix).inputs


def vault_properties(stack: str, suffix: str = "vault") -> dict[str, object]:
    properties: dict[str, object] = named(stack, "keys", suffix).inputs["properties"]
    return properties


def key_properties(stack: str, purpose: str) -> dict[str, object]:
    properties: dict[str, object] = named(stack, "keys", purpose).inputs["properties"]
    return properties


def tags(stack: str) -> dict[str, str]:
    return {"project": "bettafish", "stack": stack, "component": "keys", "managed-by": "pulumi"}


@pytest.mark.parametrize(
    ("stack", "expected"),
    [
        (
            "prod",
            [
                (RESOURCE_GROUP, "rg"),
                (VAULT, "vault"),
                (RANDOM_STRING, "vault-suffix"),
                (LOCK, "vault-lock"),
                *[(KEY, purpose) for purpose in KEY_PURPOSES],
                *[(EXPIRY, f"{purpose}-expiry") for purpose in FOLLOWS_NEW_VERSIONS],
                (VAULT, "dr-vault"),
                (RANDOM_STRING, "dr-vault-suffix"),
                (LOCK, "dr-vault-lock"),
                (KEY, "dr-database"),
                (EXPIRY, "dr-database-expiry"),
            ],
        ),
        (
            "staging",
            [
                (RESOURCE_GROUP, "rg"),
                (VAULT, "vault"),
                (RANDOM_STRING, "vault-suffix"),
                *[(KEY, purpose) for purpose in KEY_PURPOSES],
                *[(EXPIRY, f"{purpose}-expiry") for purpose in FOLLOWS_NEW_VERSIONS],
            ],
        ),
    ],
)
def test_keys_have_exactly_the_expected_children(stack: str, expected: list[tuple[str, str]]) -> None:
    assert inventory(stack, "keys") == sorted(expected)


@pytest.mark.parametrize("stack", STACKS)
def test_vaults_use_rbac_purge_protection_and_soft_delete_for_the_deletion_window(stack: str) -> None:
    # Rule 29: a deleted key stays recoverable for keyDeletionWindowDays and cannot be purged before.
    window = config(stack).encryption.key_deletion_window_days
    for suffix in ["vault", "dr-vault"] if stack == "prod" else ["vault"]:
        properties = vault_properties(stack, suffix)
        assert properties["enableRbacAuthorization"] is True
        assert properties["enablePurgeProtection"] is True
        assert properties["enableSoftDelete"] is True
        assert properties["softDeleteRetentionInDays"] == window == 30
        assert "accessPolicies" not in properties


@pytest.mark.parametrize("stack", STACKS)
def test_vault_firewall_lets_only_trusted_azure_services_in(stack: str) -> None:
    # PostgreSQL, Storage and Managed Redis reach their keys as trusted services.
    for resource in [r for r in children(stack, "keys") if r.type == VAULT]:
        assert resource.inputs["properties"]["networkAcls"] == {"defaultAction": "Deny", "bypass": "AzureServices"}


@pytest.mark.parametrize(("stack", "sku"), [("prod", "premium"), ("staging", "standard")])
def test_vault_sku_follows_the_protection_level_in_the_deploying_tenant_and_stack_region(stack: str, sku: str) -> None:
    # Rule 40: HSM-protected keys live only in Premium vaults (prod: protectionLevel hsm).
    properties = vault_properties(stack)
    assert properties["sku"] == {"family": "A", "name": sku}
    assert config(stack).encryption.protection_level == {"premium": "hsm", "standard": "software"}[sku]
    assert properties["tenantId"] == "11111111-1111-4111-8111-111111111111"
    assert vault(stack)["location"] == LOCATION
    assert vault(stack)["resourceGroupName"] == group_name(stack, "keys")
    assert vault(stack)["tags"] == tags(stack)


@pytest.mark.parametrize("stack", STACKS)
def test_vault_names_are_global_names_azure_accepts_with_a_random_suffix(stack: str) -> None:
    # Finding 6: a deleted vault keeps its name for the soft-delete retention (purge protection forbids
    # purging it), so staging's destroy-then-up needs a name never used before: a pulumi_random suffix.
    vaults = plan(stack).of_type(VAULT)
    names = [physical_name(r) for r in vaults]
    for name in names:
        assert re.fullmatch(r"[a-z][a-z0-9]{2,23}", name), name
    assert len(set(names)) == len(names)
    for resource in vaults:
        suffix = named(stack, "keys", f"{resource.name.removeprefix(f'bettafish-{stack}-keys-')}-suffix")
        assert suffix.urn in resource.dependencies
        assert suffix.inputs == {"length": 8, "upper": False, "special": False}
        assert physical_name(resource).endswith(computed(suffix)["result"])
        assert not suffix.protect
    assert names[0].startswith(f"bettafish{stack}"[:12])


def test_vault_names_differ_between_stacks() -> None:
    assert {physical_name(r) for r in plan("prod").of_type(VAULT)}.isdisjoint(
        physical_name(r) for r in plan("staging").of_type(VAULT)
    )


def test_prod_copies_backups_to_a_dr_vault_in_the_paired_region_with_its_own_database_key() -> None:
    # Geo-redundant backups of a customer-key server are encrypted in the paired region with a key there.
    dr_vault = named("prod", "keys", "dr-vault")
    assert dr_vault.inputs["location"] == DR_LOCATION == config("prod").database.cross_region_copy.regions["azure"]
    dr_key = named("prod", "keys", "dr-database")
    assert dr_key.inputs["vaultName"] == physical_name(dr_vault)
    assert dr_key.inputs["properties"] == key_properties("prod", "database")
    assert [r.name for r in plan("prod").of_type(KEY) if r.inputs["vaultName"] == physical_name(dr_vault)] == [
        dr_key.name
    ]


def test_staging_copies_no_backups_so_has_no_dr_vault() -> None:
    assert len(plan("staging").of_type(VAULT)) == 1


@pytest.mark.parametrize(("stack", "kty"), [("prod", "RSA-HSM"), ("staging", "RSA")])
@pytest.mark.parametrize("purpose", KEY_PURPOSES)
def test_one_rsa_3072_key_per_purpose_in_the_main_vault(stack: str, kty: str, purpose: str) -> None:
    # Rule 40: prod keys in hardware (RSA-HSM; PostgreSQL, Storage, Managed Redis and AKS KMS take RSA keys
    # of 2048-4096 bits, HSM-protected or not); staging software keys.
    key = named(stack, "keys", purpose)
    assert key.inputs["vaultName"] == physical_name(named(stack, "keys", "vault"))
    assert key.inputs["resourceGroupName"] == group_name(stack, "keys")
    assert key_properties(stack, purpose)["kty"] == kty
    assert key_properties(stack, purpose)["keySize"] == 3072
    pinned = {"cache": {"versionPinnedBy": "Azure Managed Redis"}, "kubernetes": {"versionPinnedBy": "AKS KMS plugin"}}
    assert key.inputs["tags"] == tags(stack) | pinned.get(purpose, {})


@pytest.mark.parametrize(
    ("purpose", "ops"),
    [
        ("database", ["wrapKey", "unwrapKey"]),
        ("cache", ["wrapKey", "unwrapKey"]),
        ("storage", ["wrapKey", "unwrapKey"]),
        ("kubernetes", ["encrypt", "decrypt", "wrapKey", "unwrapKey"]),
        ("logs", ["wrapKey", "unwrapKey"]),
    ],
)
def test_each_key_allows_only_the_operations_its_service_uses(purpose: str, ops: list[str]) -> None:
    assert key_properties("prod", purpose)["keyOps"] == ops


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("purpose", KEY_PURPOSES)
def test_every_key_rotates_every_key_rotation_days(stack: str, purpose: str) -> None:
    # Rule 29: rotation on (90 days in both stacks, Key Vault's ISO-8601 duration).
    days = config(stack).encryption.key_rotation_days
    policy = key_properties(stack, purpose)["rotationPolicy"]
    assert isinstance(policy, dict)
    rotate = [a for a in policy["lifetimeActions"] if a["action"] == {"type": "rotate"}]
    assert rotate == [{"action": {"type": "rotate"}, "trigger": {"timeAfterCreate": f"P{days}D"}}]
    assert days == 90


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("purpose", FOLLOWS_NEW_VERSIONS)
def test_versions_of_followed_keys_expire_a_deletion_window_after_rotation_with_notice(
    stack: str, purpose: str
) -> None:
    policy = key_properties(stack, purpose)["rotationPolicy"]
    assert isinstance(policy, dict)
    assert policy["attributes"] == {"expiryTime": "P120D"}
    assert {"action": {"type": "notify"}, "trigger": {"timeBeforeExpiry": "P30D"}} in policy["lifetimeActions"]


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("purpose", FOLLOWS_NEW_VERSIONS)
def test_the_first_version_of_followed_keys_expires_too(stack: str, purpose: str) -> None:
    # Rule 40: the rotation policy's expiry reaches only versions made by rotation; the first one gets
    # attributes.expires, rotation + deletion window after its creation (a pulumiverse-time Offset).
    key, expiry = named(stack, "keys", purpose), named(stack, "keys", f"{purpose}-expiry")
    assert expiry.inputs == {"offsetDays": 120}
    assert key_properties(stack, purpose)["attributes"] == {"expires": computed(expiry)["unix"]}
    assert expiry.urn in key.dependencies
    # After a rotation Key Vault reports the newest version's expiry: history, not a change.
    assert key.options["ignoreChanges"] == ["properties.attributes.expires"]


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("purpose", PINS_A_VERSION)
def test_versions_of_pinned_keys_never_expire(stack: str, purpose: str) -> None:
    # An expired version would lock Redis (or the API server) out of its data.
    policy = key_properties(stack, purpose)["rotationPolicy"]
    assert isinstance(policy, dict)
    assert "attributes" not in policy
    assert [a["action"]["type"] for a in policy["lifetimeActions"]] == ["rotate"]


@pytest.mark.parametrize("stack", STACKS)
def test_key_ids_are_the_versionless_key_uris_per_purpose(stack: str) -> None:
    key_ids = plan(stack).outputs["keyIds"]
    assert set(key_ids) == set(KEY_PURPOSES)
    for purpose in KEY_PURPOSES:
        key = named(stack, "keys", purpose)
        vault_name = physical_name(named(stack, "keys", "vault"))
        assert key_ids[purpose] == computed(key)["keyUri"]
        assert key_ids[purpose] == f"https://{vault_name}.vault.azure.net/keys/{physical_name(key)}"


@pytest.mark.parametrize("stack", STACKS)
def test_vaults_and_keys_are_protected_in_prod_only(stack: str) -> None:
    # Rule 32.
    stateful = [r for r in children(stack, "keys") if r.type in (VAULT, KEY)]
    assert stateful
    assert all(r.protect is (stack == "prod") for r in stateful)
    assert not any(r.protect for r in children(stack, "keys") if r.type not in (VAULT, KEY))


def test_prod_vaults_are_locked_against_deletion() -> None:
    # Rule 32: protect stops `pulumi destroy`; the lock stops everyone else.
    for suffix in ("vault", "dr-vault"):
        lock = named("prod", "keys", f"{suffix}-lock")
        assert lock.inputs["level"] == "CanNotDelete"
        assert lock.inputs["scope"] == named("prod", "keys", suffix).id
        assert named("prod", "keys", suffix).urn in lock.dependencies


def test_staging_vault_is_not_locked_so_the_stack_can_be_torn_down() -> None:
    assert not [r for r in children("staging", "keys") if r.type == LOCK]


@pytest.mark.parametrize("stack", STACKS)
def test_every_input_uses_the_api_names(stack: str) -> None:
    for resource in children(stack, "keys"):
        assert not snake_case_keys(resource.inputs), resource.name
