"""GCP PostgresCluster: Cloud SQL primary and replicas, their settings per security rule 1-8, the
key grants, the database and the credentials in Secret Manager, as recorded from the real program
run offline on GCP."""

from __future__ import annotations

import json
from functools import cache
from ipaddress import IPv4Address, IPv4Network
from typing import Any

import pytest

from bettafish.config.database import DatabaseLogging, DatabaseStorage
from bettafish.plan import RecordedResource, Recording
from bettafish.plan.fake_cloud.common import hex_digest
from providers.gcp.postgres.settings import data_disk, database_flags
from tests.mocks import physical_name, run_stack

STACKS = ("prod", "staging")
PREFIX = {"prod": "bettafish-prod-db", "staging": "bettafish-staging-db"}
NET = {"prod": "10.0", "staging": "10.1"}
NUMBER = "409871234567"
SQL_AGENT = f"serviceAccount:service-{NUMBER}@gcp-sa-cloud-sql.iam.gserviceaccount.com"
SECRETS_AGENT = f"serviceAccount:service-{NUMBER}@gcp-sa-secretmanager.iam.gserviceaccount.com"
ENCRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"

INSTANCE = "gcp:sql/databaseInstance:DatabaseInstance"
DATABASE = "gcp:sql/database:Database"
USER = "gcp:sql/user:User"
IDENTITY = "gcp:projects/serviceIdentity:ServiceIdentity"
GRANT = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
SECRET = "gcp:secretmanager/secret:Secret"
VERSION = "gcp:secretmanager/secretVersion:SecretVersion"
PASSWORD = "random:index/randomPassword:RandomPassword"
SERVICE = "gcp:projects/service:Service"
RANDOM_ID = "random:index/randomId:RandomId"
LOG_BUCKET = "gcp:logging/projectBucketConfig:ProjectBucketConfig"
SINK = "gcp:logging/projectSink:ProjectSink"
EXCLUSION = "gcp:logging/projectExclusion:ProjectExclusion"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "gcp")


def by_name(stack: str, suffix: str) -> RecordedResource:
    return plan(stack).named(f"{PREFIX[stack]}-{suffix}")


def primary(stack: str) -> RecordedResource:
    return by_name(stack, "primary")


def instances(stack: str) -> list[RecordedResource]:
    return plan(stack).of_type(INSTANCE)


def settings(resource: RecordedResource) -> dict[str, Any]:
    value: dict[str, Any] = resource.inputs["settings"]
    return value


def key(stack: str, purpose: str = "database") -> RecordedResource:
    return plan(stack).named(f"bettafish-{stack}-keys-{purpose}")


def children(stack: str) -> list[RecordedResource]:
    (db,) = plan(stack).of_type("bettafish:database:PostgresCluster")
    return plan(stack).children_of(db.urn)


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
    access_range = physical_name(plan(stack).one("gcp:compute/globalAddress:GlobalAddress"))
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


# Rules 8 and 38: connection, statement, error, lock-wait and pgaudit logging.
@pytest.mark.parametrize("stack", STACKS)
def test_every_instance_logs_connections_statements_errors_lock_waits_and_audit(stack: str) -> None:
    """database.logging {statements: ddl, minDurationMs: -1, minErrorStatement: error, lockWaits: true,
    audit: true} in both stacks, beside rule 8's connection and checkpoint logging."""
    flags = [
        {"name": "log_connections", "value": "on"},
        {"name": "log_disconnections", "value": "on"},
        {"name": "log_checkpoints", "value": "on"},
        {"name": "log_statement", "value": "ddl"},
        {"name": "log_min_duration_statement", "value": "-1"},
        {"name": "log_min_error_statement", "value": "error"},
        {"name": "log_lock_waits", "value": "on"},
        {"name": "cloudsql.enable_pgaudit", "value": "on"},
        {"name": "pgaudit.log", "value": "ddl,role"},
    ]
    assert all(settings(i)["databaseFlags"] == flags for i in instances(stack))


def test_database_logging_config_reaches_the_flags() -> None:
    logging = {
        "statements": "mod",
        "minDurationMs": 500,
        "minErrorStatement": "log",
        "lockWaits": False,
        "audit": False,
    }
    flags = {f["name"]: f["value"] for f in database_flags(DatabaseLogging.model_validate(logging))}
    assert flags == {
        "log_connections": "on",
        "log_disconnections": "on",
        "log_checkpoints": "on",
        "log_statement": "mod",
        "log_min_duration_statement": "500",
        "log_min_error_statement": "log",
        "log_lock_waits": "off",
        "cloudsql.enable_pgaudit": "off",
    }


@pytest.mark.parametrize(("stack", "days"), [("prod", 30), ("staging", 7)])
def test_instance_logs_are_kept_for_the_database_log_retention_encrypted_with_the_logs_key(
    stack: str, days: int
) -> None:
    """monitoring.logRetention.databaseDays, in a log bucket of its own (rule 39), out of _Default."""
    bucket = next(r for r in plan(stack).of_type(LOG_BUCKET) if r.name == f"{PREFIX[stack]}-logs")
    sink = next(r for r in plan(stack).of_type(SINK) if r.name == f"{PREFIX[stack]}-logs")
    exclusion = next(r for r in plan(stack).of_type(EXCLUSION) if r.name == f"{PREFIX[stack]}-logs")
    assert (bucket.inputs["retentionDays"], bucket.inputs["location"]) == (days, "us-east1")
    assert bucket.inputs["cmekSettings"] == {"kmsKeyName": key(stack, "logs").id}
    assert bucket.inputs["bucketId"].startswith(f"{PREFIX[stack]}-logs-")
    ids = " OR ".join(f'"bettafish-{stack}:{physical_name(i)}"' for i in sorted(instances(stack), key=lambda i: i.name))
    expected = f'resource.type="cloudsql_database" AND resource.labels.database_id=({ids})'
    assert sorted_filter(sink.inputs["filter"]) == sorted_filter(expected)
    assert exclusion.inputs["filter"] == sink.inputs["filter"]
    assert sink.inputs["destination"] == f"logging.googleapis.com/{bucket.id}"


def sorted_filter(text: str) -> list[str]:
    head, _, ids = text.partition("(")
    return [head, *sorted(ids.rstrip(")").split(" OR "))]


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


# Credentials.
@pytest.mark.parametrize("stack", STACKS)
def test_credentials_ref_is_the_secret_not_the_password(stack: str) -> None:
    secret = by_name(stack, "credentials")
    assert plan(stack).outputs["databaseCredentialsRef"] == secret.id
    assert secret.inputs["secretId"] == f"{PREFIX[stack]}-credentials"


@pytest.mark.parametrize("stack", STACKS)
def test_secret_lives_in_the_region_encrypted_with_the_database_key(stack: str) -> None:
    secret, grant = by_name(stack, "credentials"), by_name(stack, "secrets-key-user")
    assert secret.inputs["replication"] == {
        "userManaged": {
            "replicas": [{"location": "us-east1", "customerManagedEncryption": {"kmsKeyName": key(stack).id}}]
        }
    }
    assert grant.inputs == {"cryptoKeyId": key(stack).id, "role": ENCRYPTER, "member": SECRETS_AGENT}
    assert grant.urn in secret.dependencies


@pytest.mark.parametrize("stack", STACKS)
def test_admin_user_and_secret_version_receive_the_password_as_a_secret(stack: str) -> None:
    user, version = by_name(stack, "admin"), by_name(stack, "credentials-value")
    assert user.inputs["name"] == "bettafish_admin"
    assert user.inputs["instance"] == physical_name(primary(stack))
    assert user.inputs["password"] == "[secret]"
    assert version.inputs == {"secret": by_name(stack, "credentials").id, "secretData": "[secret]"}
    assert by_name(stack, "password").inputs == {"length": 32, "special": False}


@pytest.mark.parametrize("stack", STACKS)
def test_the_password_never_appears_in_plain_text(stack: str) -> None:
    # The fake cloud's generated value for this RandomPassword (bettafish.plan.fake_cloud.random).
    password = "Fk" + hex_digest("random", f"{PREFIX[stack]}-password", length=30)
    assert password not in repr(plan(stack).resources)
    assert password not in json.dumps(plan(stack).outputs)


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
