"""Azure PostgresCluster: the flexible server and its replicas per security rules 1-8 and 32, its key
grants, parameters, database, the administrator password in Key Vault and the long-term snapshots,
as recorded from the real program run offline on Azure."""

from __future__ import annotations

import json
from itertools import pairwise
from typing import Any

import pytest

from bettafish.plan import RecordedResource
from tests.azure.stacks import (
    BACKUP_INSTANCE,
    BACKUP_POLICY,
    BACKUP_VAULT,
    CRYPTO_SERVICE_ENCRYPTION_USER,
    DR_LOCATION,
    GRANT,
    IDENTITY,
    KEY,
    LOCATION,
    LOCK,
    PARAMETER,
    PASSWORD,
    PG_DATABASE,
    POSTGRES_LTR_BACKUP,
    READER,
    RESOURCE_GROUP,
    SECRET,
    SERVER,
    STACKS,
    VNET,
    ZONE,
    ZONE_LINK,
    children,
    computed,
    config,
    group_name,
    inventory,
    named,
    of_type,
    plan,
    role,
    snake_case_keys,
)
from tests.mocks import edited, physical_name, run_program, stack_values

PARAMETERS = {
    "require_secure_transport": "on",
    "ssl_min_protocol_version": "TLSv1.2",
    "log_connections": "on",
    "log_disconnections": "on",
    "log_checkpoints": "on",
    "connection_throttle.enable": "on",
    "log_statement": "ddl",
    "log_min_duration_statement": "-1",
    "log_min_error_statement": "error",
    "log_lock_waits": "on",
    "azure.extensions": "pgaudit",
    "shared_preload_libraries": "pg_cron,pg_stat_statements,pgaudit",
    "pgaudit.log": "ddl,role",
    "pg_qs.query_capture_mode": "all",
    "pgms_wait_sampling.query_capture_mode": "all",
    "pg_qs.retention_period_in_days": "7",
}
"""Every server parameter, in the order written."""
REPLICAS = {"prod": 2, "staging": 0}
SERVERS = [("prod", "primary"), ("prod", "replica-1"), ("prod", "replica-2"), ("staging", "primary")]


def slug(parameter: str) -> str:
    return parameter.replace("_", "-").replace(".", "-")


def server(stack: str, suffix: str = "primary") -> RecordedResource:
    return named(stack, "db", suffix)


def inputs(stack: str, suffix: str = "primary") -> dict[str, Any]:
    return server(stack, suffix).inputs


def replicas(stack: str) -> list[RecordedResource]:
    return [r for r in of_type(stack, "db", SERVER) if r.inputs.get("createMode") == "Replica"]


def key(stack: str, suffix: str = "database") -> RecordedResource:
    return named(stack, "keys", suffix)


def tags(stack: str) -> dict[str, str]:
    return {"project": "bettafish", "stack": stack, "component": "database", "managed-by": "pulumi"}


@pytest.mark.parametrize(
    ("stack", "expected"),
    [
        (
            "prod",
            [
                (RESOURCE_GROUP, "rg"),
                (ZONE, "dns"),
                (ZONE_LINK, "dns-link"),
                (IDENTITY, "cmk"),
                (GRANT, "cmk-grant"),
                (IDENTITY, "geo-cmk"),
                (GRANT, "geo-cmk-grant"),
                (PASSWORD, "admin-password"),
                (SECRET, "admin-secret"),
                (SERVER, "primary"),
                (LOCK, "primary-lock"),
                *[(PARAMETER, slug(p)) for p in PARAMETERS],
                (PG_DATABASE, "database"),
                (SERVER, "replica-1"),
                (SERVER, "replica-2"),
                (BACKUP_VAULT, "backup-vault"),
                (LOCK, "backup-vault-lock"),
                (GRANT, "backup-ltr"),
                (GRANT, "backup-reader"),
                (BACKUP_POLICY, "snapshot-policy"),
                (BACKUP_INSTANCE, "snapshots"),
            ],
        ),
        (
            "staging",
            [
                (RESOURCE_GROUP, "rg"),
                (ZONE, "dns"),
                (ZONE_LINK, "dns-link"),
                (IDENTITY, "cmk"),
                (GRANT, "cmk-grant"),
                (PASSWORD, "admin-password"),
                (SECRET, "admin-secret"),
                (SERVER, "primary"),
                *[(PARAMETER, slug(p)) for p in PARAMETERS],
                (PG_DATABASE, "database"),
                (BACKUP_VAULT, "backup-vault"),
                (GRANT, "backup-ltr"),
                (GRANT, "backup-reader"),
                (BACKUP_POLICY, "snapshot-policy"),
                (BACKUP_INSTANCE, "snapshots"),
            ],
        ),
    ],
)
def test_database_has_exactly_the_expected_children(stack: str, expected: list[tuple[str, str]]) -> None:
    assert inventory(stack, "db") == sorted(expected)


# Rule 1: not public.


@pytest.mark.parametrize(("stack", "suffix"), SERVERS)
def test_servers_live_in_the_delegated_subnet_with_public_access_disabled(stack: str, suffix: str) -> None:
    assert inputs(stack, suffix)["network"] == {
        "delegatedSubnetResourceId": plan(stack).named(f"bettafish-{stack}-net-database").id,
        "privateDnsZoneArmResourceId": named(stack, "db", "dns").id,
        "publicNetworkAccess": "Disabled",
    }


@pytest.mark.parametrize("stack", STACKS)
def test_the_private_dns_zone_is_the_servers_own_and_resolves_in_the_vnet(stack: str) -> None:
    zone, link = named(stack, "db", "dns"), named(stack, "db", "dns-link")
    assert zone.inputs["privateZoneName"] == f"bettafish-{stack}-db.private.postgres.database.azure.com"
    assert zone.inputs["location"] == link.inputs["location"] == "global"
    assert link.inputs["privateZoneName"] == physical_name(zone)
    assert link.inputs["virtualNetwork"] == {"id": plan(stack).one(VNET).id}
    assert link.inputs["registrationEnabled"] is False
    # The server checks the zone is linked before it takes it.
    assert link.urn in server(stack).dependencies


# Rule 2: encrypted with the customer-managed database key.


@pytest.mark.parametrize("stack", STACKS)
def test_primary_is_encrypted_with_the_versionless_database_key_through_its_identity(stack: str) -> None:
    encryption = inputs(stack)["dataEncryption"]
    assert encryption["type"] == "AzureKeyVault"
    assert encryption["primaryKeyURI"] == computed(key(stack))["keyUri"]
    assert encryption["primaryKeyURI"].count("/") == 4, "a versionless URI follows key rotation"
    assert encryption["primaryUserAssignedIdentityId"] == named(stack, "db", "cmk").id
    assert named(stack, "db", "cmk").id in inputs(stack)["identity"]["userAssignedIdentities"]
    assert inputs(stack)["identity"]["type"] == "UserAssigned"


@pytest.mark.parametrize("stack", STACKS)
def test_the_identity_holds_crypto_service_encryption_user_on_the_database_key_before_the_server(stack: str) -> None:
    grant, identity = named(stack, "db", "cmk-grant"), named(stack, "db", "cmk")
    assert grant.inputs["roleDefinitionId"] == role(CRYPTO_SERVICE_ENCRYPTION_USER)
    assert grant.inputs["principalId"] == computed(identity)["principalId"]
    assert grant.inputs["principalType"] == "ServicePrincipal"
    assert grant.inputs["scope"] == key(stack).id
    assert identity.inputs["location"] == LOCATION
    assert grant.urn in server(stack).dependencies


@pytest.mark.parametrize("index", [1, 2])
def test_prod_replicas_are_encrypted_with_the_primary_key_and_identity(index: int) -> None:
    # Replicas keep no backups: no geo-backup key, only the primary's key and identity.
    encryption = inputs("prod", f"replica-{index}")["dataEncryption"]
    assert encryption == {
        "type": "AzureKeyVault",
        "primaryKeyURI": computed(key("prod"))["keyUri"],
        "primaryUserAssignedIdentityId": named("prod", "db", "cmk").id,
    }
    assert inputs("prod", f"replica-{index}")["identity"] == {
        "type": "UserAssigned",
        "userAssignedIdentities": {named("prod", "db", "cmk").id: {}},
    }


# Rule 3: TLS only. Rule 8: connection and audit logs. Written one after another.


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize(("parameter", "value"), list(PARAMETERS.items()))
def test_each_server_parameter_is_set_on_the_primary(stack: str, parameter: str, value: str) -> None:
    resource = named(stack, "db", slug(parameter))
    assert resource.inputs["configurationName"] == parameter
    assert resource.inputs["value"] == value
    assert resource.inputs["source"] == "user-override"
    assert resource.inputs["serverName"] == physical_name(server(stack))


@pytest.mark.parametrize("stack", STACKS)
def test_parameters_are_written_one_after_another_after_the_server(stack: str) -> None:
    # Azure refuses concurrent updates of one server.
    chain = [server(stack), *[named(stack, "db", slug(p)) for p in PARAMETERS]]
    for previous, current in pairwise(chain):
        assert previous.urn in current.dependencies, current.name


def test_query_store_keeps_performance_insights_for_the_configured_days() -> None:
    assert config("prod").database.monitoring.performance_insights_retention_days == int(
        PARAMETERS["pg_qs.retention_period_in_days"]
    )


# Rule 4: backups kept, point-in-time recovery, copies in the paired region.


@pytest.mark.parametrize(("stack", "days", "geo"), [("prod", 30, "Enabled"), ("staging", 7, "Disabled")])
def test_backups_are_kept_the_configured_days_and_copied_to_the_pair_when_asked(
    stack: str, days: int, geo: str
) -> None:
    assert inputs(stack)["backup"] == {"backupRetentionDays": days, "geoRedundantBackup": geo}
    assert config(stack).database.backup.retention_days == days


def test_prod_geo_backups_are_encrypted_with_the_dr_key_through_an_identity_in_the_dr_region() -> None:
    encryption = inputs("prod")["dataEncryption"]
    geo_identity, grant = named("prod", "db", "geo-cmk"), named("prod", "db", "geo-cmk-grant")
    assert encryption["geoBackupKeyURI"] == computed(key("prod", "dr-database"))["keyUri"]
    assert encryption["geoBackupUserAssignedIdentityId"] == geo_identity.id
    assert geo_identity.id in inputs("prod")["identity"]["userAssignedIdentities"]
    # Azure refuses the primary's identity for the geo key; the identity lives where the backups go.
    assert geo_identity.inputs["location"] == DR_LOCATION
    assert grant.inputs["scope"] == key("prod", "dr-database").id
    assert grant.inputs["principalId"] == computed(geo_identity)["principalId"]
    assert grant.inputs["roleDefinitionId"] == role(CRYPTO_SERVICE_ENCRYPTION_USER)
    assert grant.urn in server("prod").dependencies


def test_staging_has_no_geo_backup_encryption() -> None:
    assert not [k for k in inputs("staging")["dataEncryption"] if k.startswith("geoBackup")]


@pytest.mark.parametrize(
    ("stack", "redundancy", "soft_delete", "days"),
    [
        ("prod", "GeoRedundant", {"state": "On", "retentionDurationInDays": 14}, 90),
        # Staging must be destroyed and brought up again: a vault holding soft-deleted items cannot be deleted.
        ("staging", "ZoneRedundant", {"state": "Off"}, 14),
    ],
)
def test_snapshots_longer_than_backups_are_kept_in_an_azure_backup_vault(
    stack: str, redundancy: str, soft_delete: dict[str, object], days: int
) -> None:
    # Premium SSD up to 1 TiB: Azure Backup keeps daily vaulted snapshots snapshots.retentionDays.
    vault, policy, instance = (named(stack, "db", s) for s in ("backup-vault", "snapshot-policy", "snapshots"))
    assert vault.inputs["identity"] == {"type": "SystemAssigned"}
    assert vault.inputs["properties"]["storageSettings"] == [{"datastoreType": "VaultStore", "type": redundancy}]
    assert vault.inputs["properties"]["securitySettings"] == {"softDeleteSettings": soft_delete}
    rules = {r["objectType"]: r for r in policy.inputs["properties"]["policyRules"]}
    assert policy.inputs["properties"]["datasourceTypes"] == ["Microsoft.DBforPostgreSQL/flexibleServers"]
    assert rules["AzureBackupRule"]["trigger"]["schedule"]["repeatingTimeIntervals"] == [
        "R/2024-01-01T03:00:00+00:00/P1D"
    ]
    (lifecycle,) = rules["AzureRetentionRule"]["lifecycles"]
    assert lifecycle["deleteAfter"] == {"objectType": "AbsoluteDeleteOption", "duration": f"P{days}D"}
    assert config(stack).database.snapshots.retention_days == days
    source = instance.inputs["properties"]["dataSourceInfo"]
    assert source["resourceID"] == source["resourceUri"] == server(stack).id
    assert source["datasourceType"] == source["resourceType"] == "Microsoft.DBforPostgreSQL/flexibleServers"
    assert source["objectType"] == "Datasource"
    assert instance.inputs["properties"]["dataSourceSetInfo"] == {**source, "objectType": "DatasourceSet"}
    assert instance.inputs["properties"]["policyInfo"] == {"policyId": policy.id}


def test_staging_backup_vault_may_read_the_server_once_granted() -> None:
    vault, instance = named("staging", "db", "backup-vault"), named("staging", "db", "snapshots")
    principal = computed(vault)["identity"]["principalId"]
    ltr, reader = named("staging", "db", "backup-ltr"), named("staging", "db", "backup-reader")
    assert (ltr.inputs["roleDefinitionId"], ltr.inputs["scope"]) == (role(POSTGRES_LTR_BACKUP), server("staging").id)
    assert (reader.inputs["roleDefinitionId"], reader.inputs["scope"]) == (
        role(READER),
        named("staging", "db", "rg").id,
    )
    assert ltr.inputs["principalId"] == reader.inputs["principalId"] == principal
    assert {ltr.urn, reader.urn} <= set(instance.dependencies)


def test_prod_keeps_the_specs_90_day_snapshots_since_its_1_tib_premium_ssd_is_vaulted() -> None:
    # With Premium SSD v2 prod could keep none (cloudOverrides had cut them to the 35-day backups).
    assert config("prod").database.snapshots.retention_days == 90
    assert inputs("prod")["storage"]["storageSizeGB"] == 1024
    assert named("prod", "db", "backup-vault").protect


# Rule 5: zone-redundant HA.


def test_prod_primary_is_zone_redundant_across_the_first_two_zones() -> None:
    assert inputs("prod")["availabilityZone"] == "1"
    assert inputs("prod")["highAvailability"] == {"mode": "ZoneRedundant", "standbyAvailabilityZone": "2"}


def test_staging_primary_has_no_standby() -> None:
    assert inputs("staging")["highAvailability"] == {"mode": "Disabled"}
    assert inputs("staging")["availabilityZone"] == "1"


# Rule 6 and 32: deletion guard.


@pytest.mark.parametrize("stack", STACKS)
def test_servers_and_the_database_are_protected_in_prod_only(stack: str) -> None:
    stateful = [r for r in children(stack, "db") if r.type in (SERVER, PG_DATABASE, BACKUP_VAULT)]
    assert stateful
    assert all(r.protect is (stack == "prod") for r in stateful)


def test_prod_primary_is_locked_against_deletion() -> None:
    lock = named("prod", "db", "primary-lock")
    assert lock.inputs["level"] == "CanNotDelete"
    assert lock.inputs["scope"] == server("prod").id


def test_staging_has_no_locks() -> None:
    assert not of_type("staging", "db", LOCK)


# Rule 7: PostgreSQL 15 (Azure applies minor versions in the maintenance window).


@pytest.mark.parametrize("stack", STACKS)
def test_servers_run_the_configured_major_version(stack: str) -> None:
    assert {r.inputs["version"] for r in of_type(stack, "db", SERVER)} == {"15"}


# Size, storage, placement, maintenance.


@pytest.mark.parametrize(
    ("stack", "sku"),
    [
        ("prod", {"name": "Standard_E4ds_v5", "tier": "MemoryOptimized"}),
        ("staging", {"name": "Standard_E2ds_v5", "tier": "MemoryOptimized"}),
    ],
)
def test_primary_sku_comes_from_the_catalog_with_the_tier_of_its_family(stack: str, sku: dict[str, str]) -> None:
    assert inputs(stack)["sku"] == sku


def test_prod_storage_is_premium_ssd_at_the_tier_that_gives_the_configured_iops() -> None:
    # Finding 1: Premium SSD v2 takes no customer key (nor, in eastus, HA, replicas or geo-redundant
    # backups). 1000 GB -> 1 TiB (baseline P30: 5,000 IOPS, 200 MB/s), run at P40 (7,500 IOPS, 250 MB/s)
    # for the 6,400 IOPS and 145 MB/s that Standard_E4ds_v5 serves at most (cloudOverrides.azure).
    assert inputs("prod")["storage"] == {
        "type": "Premium_LRS",
        "storageSizeGB": 1024,
        "tier": "P40",
        "autoGrow": "Disabled",
    }
    storage = config("prod").database.storage
    assert (storage.type, storage.iops, storage.throughput_mbps) == ("provisionedIops", 6400, 145)


@pytest.mark.parametrize(("stack", "suffix"), SERVERS)
def test_no_server_uses_premium_ssd_v2(stack: str, suffix: str) -> None:
    # Every server has a customer key; prod's also HA, geo-redundant backups and replicas.
    assert inputs(stack, suffix)["storage"]["type"] == "Premium_LRS"
    assert inputs(stack, suffix)["dataEncryption"]["type"] == "AzureKeyVault"


def test_staging_storage_is_the_smallest_premium_ssd_holding_the_configured_size() -> None:
    # 100 GB -> 128 GiB (P10); autogrow would drift from the config and make the next update shrink it.
    assert inputs("staging")["storage"] == {
        "type": "Premium_LRS",
        "storageSizeGB": 128,
        "tier": "P10",
        "autoGrow": "Disabled",
    }


@pytest.mark.parametrize("stack", STACKS)
def test_maintenance_is_sunday_at_four_utc(stack: str) -> None:
    assert inputs(stack)["maintenanceWindow"] == {
        "customWindow": "Enabled",
        "dayOfWeek": 0,
        "startHour": 4,
        "startMinute": 0,
    }


@pytest.mark.parametrize("stack", STACKS)
def test_primary_is_created_fresh_in_the_stack_region_and_group(stack: str) -> None:
    assert inputs(stack)["createMode"] == "Create"
    assert inputs(stack)["location"] == LOCATION
    assert inputs(stack)["resourceGroupName"] == group_name(stack, "db")
    assert inputs(stack)["tags"] == tags(stack)


@pytest.mark.parametrize("stack", STACKS)
def test_read_replica_count_per_stack(stack: str) -> None:
    assert len(replicas(stack)) == REPLICAS[stack] == config(stack).database.read_replicas.count


@pytest.mark.parametrize(("index", "zone"), [(1, "2"), (2, "3")])
def test_prod_replicas_replicate_the_primary_in_their_zones_at_the_replica_size(index: int, zone: str) -> None:
    replica = inputs("prod", f"replica-{index}")
    assert replica["createMode"] == "Replica"
    assert replica["sourceServerResourceId"] == server("prod").id
    assert replica["availabilityZone"] == zone
    assert replica["sku"] == {"name": "Standard_E2ds_v5", "tier": "MemoryOptimized"}
    assert replica["storage"] == inputs("prod")["storage"]
    assert replica["highAvailability"] == {"mode": "Disabled"}
    assert "administratorLoginPassword" not in replica


def test_prod_replicas_are_created_one_after_another_once_the_primary_is_set_up() -> None:
    chain = [named("prod", "db", "database"), server("prod", "replica-1"), server("prod", "replica-2")]
    for previous, current in pairwise(chain):
        assert previous.urn in current.dependencies, current.name


@pytest.mark.parametrize("stack", STACKS)
def test_the_database_is_created_on_the_primary_after_its_parameters(stack: str) -> None:
    database = named(stack, "db", "database")
    assert database.inputs["databaseName"] == "bettafish"
    assert database.inputs["serverName"] == physical_name(server(stack))
    assert database.inputs["charset"] == "UTF8"
    assert named(stack, "db", slug(list(PARAMETERS)[-1])).urn in database.dependencies


# Credentials: a generated password, kept secret, stored in Key Vault.


@pytest.mark.parametrize("stack", STACKS)
def test_the_administrator_password_is_generated_and_passed_as_a_secret(stack: str) -> None:
    password = named(stack, "db", "admin-password")
    assert password.inputs["length"] == 32
    assert all(password.inputs[f"min{kind}"] == 1 for kind in ("Lower", "Upper", "Numeric", "Special"))
    assert inputs(stack)["administratorLogin"] == "dbadmin"
    assert inputs(stack)["administratorLoginPassword"] == "[secret]"
    assert inputs(stack)["authConfig"] == {"passwordAuth": "Enabled", "activeDirectoryAuth": "Disabled"}


@pytest.mark.parametrize("stack", STACKS)
def test_the_password_is_kept_as_a_secret_in_the_key_vault(stack: str) -> None:
    secret = named(stack, "db", "admin-secret")
    assert secret.inputs["vaultName"] == physical_name(named(stack, "keys", "vault"))
    assert secret.inputs["resourceGroupName"] == group_name(stack, "keys")
    assert secret.inputs["properties"] == {"value": "[secret]", "contentType": "password of dbadmin"}


@pytest.mark.parametrize("stack", STACKS)
def test_the_password_never_appears_in_plain_text(stack: str) -> None:
    password = computed(named(stack, "db", "admin-password"))["result"]
    assert password.startswith("Fk")
    assert password not in repr(plan(stack).resources)
    assert password not in json.dumps(plan(stack).outputs)


# Outputs.


@pytest.mark.parametrize("stack", STACKS)
def test_outputs_name_the_endpoints_port_database_and_where_the_credentials_live(stack: str) -> None:
    outputs = plan(stack).outputs
    writer = computed(server(stack))["fullyQualifiedDomainName"]
    assert outputs["databaseWriterEndpoint"] == writer
    assert outputs["databaseReaderEndpoints"] == (
        [computed(r)["fullyQualifiedDomainName"] for r in replicas(stack)] or [writer]
    )
    assert outputs["databasePort"] == 5432
    assert outputs["databaseName"] == "bettafish"
    assert outputs["databaseCredentialsRef"] == computed(named(stack, "db", "admin-secret"))["properties"]["secretUri"]


@pytest.mark.parametrize("stack", STACKS)
def test_every_taggable_resource_has_the_database_tags(stack: str) -> None:
    for resource in children(stack, "db"):
        if "tags" in resource.inputs:
            assert resource.inputs["tags"] == tags(stack), resource.name
    assert all("tags" in r.inputs for r in children(stack, "db") if r.type in (SERVER, IDENTITY, ZONE, SECRET))


@pytest.mark.parametrize("stack", STACKS)
def test_every_input_uses_the_api_names(stack: str) -> None:
    for resource in children(stack, "db"):
        assert not snake_case_keys(resource.inputs), resource.name


def test_no_key_in_the_keys_component_is_touched_by_the_database() -> None:
    # The database only reads keys; the Keys component owns them.
    assert not of_type("prod", "db", KEY)


# Rule 38: statement and error logging from database.logging, pgaudit when asked.


def test_statement_logging_follows_database_logging_and_pgaudit_only_when_asked() -> None:
    logging = {
        "statements": "mod",
        "minDurationMs": 500,
        "minErrorStatement": "log",
        "lockWaits": False,
        "audit": False,
    }
    values = edited(stack_values("staging", "azure"), "bettafish:database", lambda db: db | {"logging": logging})
    written = {
        r.inputs["configurationName"]: r.inputs["value"] for r in run_program(values, "staging").of_type(PARAMETER)
    }
    assert {k: written[k] for k in ("log_statement", "log_min_duration_statement", "log_min_error_statement")} == {
        "log_statement": "mod",
        "log_min_duration_statement": "500",
        "log_min_error_statement": "log",
    }
    assert written["log_lock_waits"] == "off"
    assert not {"azure.extensions", "shared_preload_libraries", "pgaudit.log"} & set(written)


def test_pgaudit_is_allow_listed_and_preloaded_beside_azures_own_libraries() -> None:
    # shared_preload_libraries replaces the list: Azure's pg_cron and pg_stat_statements stay in it. It is
    # static: loaded at the next restart (docs/deploying.md), then CREATE EXTENSION pgaudit.
    assert PARAMETERS["shared_preload_libraries"].split(",") == ["pg_cron", "pg_stat_statements", "pgaudit"]
    assert config("prod").database.logging.audit is True
