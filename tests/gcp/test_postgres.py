"""GCP PostgresCluster: Cloud SQL primary and replicas, their settings per security rules 1-7, the
key grants, the APIs, the database, and what a later up or a destroy must not do to them, as
recorded from the real program run offline on GCP (logging and credentials: their own modules)."""

from __future__ import annotations

from ipaddress import IPv4Address, IPv4Network

import pytest

from bettafish.config.database import DatabaseStorage
from providers.gcp.postgres.settings import data_disk
from tests.gcp.database import (
    DATABASE,
    ENCRYPTER,
    EXCLUSION,
    GRANT,
    IDENTITY,
    INSTANCE,
    LOG_BUCKET,
    NET,
    PASSWORD,
    PREFIX,
    RANDOM_ID,
    SECRET,
    SERVICE,
    SINK,
    SQL_AGENT,
    STACKS,
    USER,
    VERSION,
    by_name,
    children,
    instances,
    key,
    plan,
    primary,
    settings,
)
from tests.mocks import physical_name

COMMON = [
    (SERVICE, "sqladmin-api"),
    (SERVICE, "secretmanager-api"),
    (LOG_BUCKET, "logs"),
    (SINK, "logs"),
    (EXCLUSION, "logs"),
    (RANDOM_ID, "logs-id"),
    (IDENTITY, "sql-agent"),
    (GRANT, "sql-key-user"),
    (INSTANCE, "primary"),
    (DATABASE, "database"),
    (PASSWORD, "password"),
    (USER, "admin"),
    (IDENTITY, "secrets-agent"),
    (GRANT, "secrets-key-user"),
    (SECRET, "credentials"),
    (VERSION, "credentials-value"),
]


@pytest.mark.parametrize(
    ("stack", "extra"),
    [
        ("prod", [(INSTANCE, "replica-1"), (INSTANCE, "replica-2"), (GRANT, "sql-dr-key-user")]),
        ("staging", []),
    ],
)
def test_postgres_has_exactly_the_expected_children(stack: str, extra: list[tuple[str, str]]) -> None:
    found = sorted((r.type, r.name.removeprefix(f"{PREFIX[stack]}-")) for r in children(stack))
    assert found == sorted(COMMON + extra)


# Rule 1: not public.
@pytest.mark.parametrize("stack", STACKS)
def test_every_instance_has_a_private_address_only_from_the_access_range(stack: str) -> None:
    network = plan(stack).one("gcp:compute/network:Network").id
    access_range = physical_name(plan(stack).named(f"bettafish-{stack}-net-database-range"))
    for instance in instances(stack):
        ip = settings(instance)["ipConfiguration"]
        assert ip["ipv4Enabled"] is False
        assert ip["privateNetwork"] == network
        assert ip["allocatedIpRange"] == access_range
        assert "authorizedNetworks" not in ip


@pytest.mark.parametrize("stack", STACKS)
def test_primary_waits_for_the_private_services_peering(stack: str) -> None:
    assert plan(stack).named(f"bettafish-{stack}-net-psa").urn in primary(stack).dependencies


# Rule 2: customer-managed key, granted before use.
@pytest.mark.parametrize("stack", STACKS)
def test_every_instance_is_encrypted_with_the_database_key_after_the_grant(stack: str) -> None:
    grant = by_name(stack, "sql-key-user")
    assert grant.inputs == {"cryptoKeyId": key(stack).id, "role": ENCRYPTER, "member": SQL_AGENT}
    for instance in instances(stack):
        assert instance.inputs["encryptionKeyName"] == key(stack).id
        assert grant.urn in instance.dependencies


@pytest.mark.parametrize("stack", STACKS)
def test_the_sql_agent_is_cloud_sqls_service_identity(stack: str) -> None:
    agent = by_name(stack, "sql-agent")
    assert agent.inputs == {"service": "sqladmin.googleapis.com", "project": f"bettafish-{stack}"}


def test_sql_agent_may_use_the_dr_key_so_a_restore_there_can_start() -> None:
    dr_key = plan("prod").named("bettafish-prod-keys-dr-database")
    assert by_name("prod", "sql-dr-key-user").inputs == {
        "cryptoKeyId": dr_key.id,
        "role": ENCRYPTER,
        "member": SQL_AGENT,
    }


# Rule 3: TLS.
@pytest.mark.parametrize("stack", STACKS)
def test_every_instance_accepts_encrypted_connections_only(stack: str) -> None:
    assert all(settings(i)["ipConfiguration"]["sslMode"] == "ENCRYPTED_ONLY" for i in instances(stack))


# Rule 4: backups and point-in-time recovery.
@pytest.mark.parametrize(
    ("stack", "retained", "log_days", "location"),
    [("prod", 90, 7, "us-west1"), ("staging", 14, 3, None)],
)
def test_daily_backups_with_pitr_kept_for_the_snapshot_retention(
    stack: str, retained: int, log_days: int, location: str | None
) -> None:
    backup = settings(primary(stack))["backupConfiguration"]
    expected = {
        "enabled": True,
        "startTime": "03:00",
        "pointInTimeRecoveryEnabled": True,
        "transactionLogRetentionDays": log_days,
        "backupRetentionSettings": {"retainedBackups": retained, "retentionUnit": "COUNT"},
    }
    if location:
        expected["location"] = location
    assert backup == expected


@pytest.mark.parametrize("stack", STACKS)
def test_replicas_take_no_backups_of_their_own(stack: str) -> None:
    assert all("backupConfiguration" not in settings(i) for i in instances(stack) if i is not primary(stack))


# Rule 5: zone-redundant HA.
@pytest.mark.parametrize(("stack", "availability"), [("prod", "REGIONAL"), ("staging", "ZONAL")])
def test_primary_is_regional_when_highly_available(stack: str, availability: str) -> None:
    assert settings(primary(stack))["availabilityType"] == availability
    assert settings(primary(stack))["locationPreference"] == {"zone": "us-east1-b"}


# Rule 6: deletion guard.
@pytest.mark.parametrize(("stack", "guarded"), [("prod", True), ("staging", False)])
def test_instances_refuse_deletion_in_protected_stacks(stack: str, guarded: bool) -> None:
    for instance in instances(stack):
        assert instance.inputs["deletionProtection"] is guarded
        assert settings(instance)["deletionProtectionEnabled"] is guarded
        assert instance.protect is guarded


@pytest.mark.parametrize("stack", STACKS)
def test_a_deleted_primary_leaves_its_backups_and_a_final_backup(stack: str) -> None:
    days = {"prod": 90, "staging": 14}[stack]
    assert settings(primary(stack))["retainBackupsOnDelete"] is True
    assert settings(primary(stack))["finalBackupConfig"] == {"enabled": True, "retentionDays": days}


# Rule 7: PostgreSQL 15, minor versions by Google's maintenance.
@pytest.mark.parametrize("stack", STACKS)
def test_every_instance_runs_postgres_15_with_the_weekly_maintenance_hour(stack: str) -> None:
    for instance in instances(stack):
        assert instance.inputs["databaseVersion"] == "POSTGRES_15"
        assert settings(instance)["maintenanceWindow"] == {"day": 7, "hour": 4, "updateTrack": "stable"}


# Finding 3: a later up must not replace the instance to shrink its grown disk.
@pytest.mark.parametrize("stack", STACKS)
def test_every_instance_ignores_changes_to_its_autoresized_disk(stack: str) -> None:
    for instance in instances(stack):
        assert settings(instance)["diskAutoresize"] is True
        assert "diskSize" in settings(instance)
        assert instance.options["ignoreChanges"] == ["settings.diskSize"]


@pytest.mark.parametrize("stack", STACKS)
def test_the_database_is_left_to_its_instance_on_delete(stack: str) -> None:
    """Cloud SQL refuses to drop a database with open connections; the instance takes it along."""
    assert by_name(stack, "database").inputs["deletionPolicy"] == "ABANDON"


@pytest.mark.parametrize("stack", STACKS)
def test_cloud_sql_and_secret_manager_apis_come_first(stack: str) -> None:
    apis = {r.inputs["service"]: r.urn for r in plan(stack).of_type(SERVICE) if r.name.startswith(PREFIX[stack])}
    assert set(apis) == {"sqladmin.googleapis.com", "secretmanager.googleapis.com"}
    assert apis["sqladmin.googleapis.com"] in by_name(stack, "sql-agent").dependencies
    assert apis["secretmanager.googleapis.com"] in by_name(stack, "secrets-agent").dependencies


@pytest.mark.parametrize("stack", STACKS)
def test_query_insights_on(stack: str) -> None:
    assert all(settings(i)["insightsConfig"] == {"queryInsightsEnabled": True} for i in instances(stack))


@pytest.mark.parametrize(
    ("stack", "tier", "disk"),
    [("prod", "db-perf-optimized-N-4", 1000), ("staging", "db-perf-optimized-N-2", 100)],
)
def test_primary_size_edition_and_disk(stack: str, tier: str, disk: int) -> None:
    found = settings(primary(stack))
    assert (found["tier"], found["edition"]) == (tier, "ENTERPRISE_PLUS")
    assert (found["diskType"], found["diskSize"], found["diskAutoresize"]) == ("PD_SSD", disk, True)
    assert primary(stack).inputs["region"] == "us-east1"


def test_replicas_are_zonal_in_the_configured_zones_and_follow_the_primary() -> None:
    replicas = [by_name("prod", f"replica-{i}") for i in (1, 2)]
    assert [settings(r)["locationPreference"]["zone"] for r in replicas] == ["us-east1-c", "us-east1-d"]
    for replica in replicas:
        assert replica.inputs["masterInstanceName"] == physical_name(primary("prod"))
        assert settings(replica)["tier"] == "db-perf-optimized-N-2"
        assert settings(replica)["availabilityType"] == "ZONAL"
        assert settings(replica)["diskSize"] >= settings(primary("prod"))["diskSize"]


def test_staging_has_no_replicas() -> None:
    assert instances("staging") == [primary("staging")]


@pytest.mark.parametrize(("stack", "protected"), [("prod", True), ("staging", False)])
def test_the_database_is_protected_like_its_instance(stack: str, protected: bool) -> None:
    database = by_name(stack, "database")
    assert database.inputs["instance"] == physical_name(primary(stack))
    assert database.inputs["name"] == "bettafish"
    assert database.protect is protected


@pytest.mark.parametrize("stack", STACKS)
def test_instances_carry_the_standard_labels(stack: str) -> None:
    labels = {"project": "bettafish", "stack": stack, "component": "database", "managed-by": "pulumi"}
    assert all(settings(i)["userLabels"] == labels for i in instances(stack))


@pytest.mark.parametrize("stack", STACKS)
def test_outputs_are_private_addresses_in_the_access_range(stack: str) -> None:
    outputs = plan(stack).outputs
    access_range = IPv4Network(f"{NET[stack]}.20.0/23")
    readers = outputs["databaseReaderEndpoints"]
    assert IPv4Address(outputs["databaseWriterEndpoint"]) in access_range
    assert all(IPv4Address(reader) in access_range for reader in readers)
    assert len(readers) == {"prod": 2, "staging": 1}[stack]
    if stack == "staging":  # no replicas: reads go to the primary
        assert readers == [outputs["databaseWriterEndpoint"]]
    assert (outputs["databasePort"], outputs["databaseName"]) == (5432, "bettafish")


def test_data_disk_is_sized_for_the_iops_on_ssd_persistent_disk() -> None:
    storage = DatabaseStorage.model_validate({"sizeGb": 100, "type": "provisionedIops", "iops": 10000})
    assert data_disk(storage, "db-perf-optimized-N-4") == {"disk_type": "PD_SSD", "disk_size": 334}


def test_data_disk_provisions_iops_and_throughput_on_hyperdisk_tiers() -> None:
    storage = DatabaseStorage.model_validate(
        {"sizeGb": 1000, "type": "provisionedIops", "iops": 10000, "throughputMbps": 1000}
    )
    assert data_disk(storage, "db-c4a-highmem-8") == {
        "disk_type": "HYPERDISK_BALANCED",
        "disk_size": 1000,
        "data_disk_provisioned_iops": 10000,
        "data_disk_provisioned_throughput": 1000,
    }


@pytest.mark.parametrize("stack", STACKS)
def test_instances_are_autonamed_so_a_staging_brought_up_again_gets_new_names(stack: str) -> None:
    """Cloud SQL keeps a deleted instance's name reserved for about a week."""
    for instance in instances(stack):
        assert "name" not in instance.inputs
        assert physical_name(instance).startswith(f"{instance.name}-")
