"""Rules 1-8 and 38: PostgreSQL on RDS, Cloud SQL and Azure Database for PostgreSQL flexible server."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bettafish.policy.model import Finding, Hit, Resource, Stack, is_set, number
from bettafish.policy.rule import Rule, Setting
from bettafish.policy.rules.common import is_on, is_replica, locked, postgres_parameters
from bettafish.policy.tokens import PG, RDS, SQL

DATABASES = (RDS, SQL, PG)

NOT_PUBLIC = Rule(1, "database-not-public", "Database not public")


@NOT_PUBLIC.on(RDS)
def _rds_not_public(db: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if db.get("publiclyAccessible") is not False:
        yield Finding("publiclyAccessible", "must be set to false")


@NOT_PUBLIC.on(SQL)
def _sql_not_public(db: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if db.get("settings.ipConfiguration.ipv4Enabled") is not False:
        yield Finding("settings.ipConfiguration.ipv4Enabled", "must be set to false (no public IP)")
    if not is_set(db.get("settings.ipConfiguration.privateNetwork")):
        yield Finding("settings.ipConfiguration.privateNetwork", "must name the VPC the instance is reached from")


@NOT_PUBLIC.on(PG)
def _pg_not_public(db: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if db.get("network.publicNetworkAccess") != "Disabled":
        yield Finding("network.publicNetworkAccess", 'must be "Disabled"')


CUSTOMER_KEY = Rule(2, "database-customer-key", "Database encrypted with a customer-managed key")


@CUSTOMER_KEY.on(RDS)
def _rds_key(db: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if db.get("storageEncrypted") is not True:
        yield Finding("storageEncrypted", "must be true")
    if not is_set(db.get("kmsKeyId")):
        yield Finding("kmsKeyId", "must name the stack's customer-managed KMS key")


@CUSTOMER_KEY.on(SQL)
def _sql_key(db: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if not is_set(db.get("encryptionKeyName")):
        yield Finding("encryptionKeyName", "must name the stack's Cloud KMS key (CMEK)")


@CUSTOMER_KEY.on(PG)
def _pg_key(db: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if db.get("dataEncryption.type") != "AzureKeyVault" or not is_set(db.get("dataEncryption.primaryKeyURI")):
        yield Finding("dataEncryption", 'type must be "AzureKeyVault" with a primaryKeyURI')


REQUIRES_TLS = Rule(3, "database-requires-tls", "Database requires TLS")


@REQUIRES_TLS.across(RDS, SQL, PG)
def _requires_tls(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    for db in stack.of_type(RDS, PG):
        if db.type == PG and is_replica(db):
            continue  # an Azure replica takes its server parameters from the primary
        parameters = postgres_parameters(stack, db) or {}
        key = "rds.force_ssl" if db.type == RDS else "require_secure_transport"
        if not is_on(parameters.get(key)):
            where = "parameterGroupName" if db.type == RDS else "Configuration"
            yield Hit(db, where, f"{key} must be on (1) in the database's parameters")
    for db in stack.of_type(SQL):
        if db.get("settings.ipConfiguration.sslMode") not in ("ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"):
            yield Hit(
                db, "settings.ipConfiguration.sslMode", "must be ENCRYPTED_ONLY or TRUSTED_CLIENT_CERTIFICATE_REQUIRED"
            )


BACKUPS = Rule(
    4,
    "database-backups",
    "Backups kept for the spec's retention, with point-in-time recovery",
    settings={
        "minimumRetentionDays": Setting(30, "days of automated backups the primary keeps (spec: 30)"),
        "requireGeoRedundantBackup": Setting(True, "Azure: backups copied to the paired region"),
    },
)


@BACKUPS.on(RDS)
def _rds_backups(db: Resource, config: Mapping[str, Any]) -> Iterator[Finding]:
    if is_replica(db):
        return
    kept = number(db.get("backupRetentionPeriod"))
    if kept is None or kept < config["minimumRetentionDays"]:
        yield Finding("backupRetentionPeriod", f"must be at least {config['minimumRetentionDays']} days (got {kept})")


@BACKUPS.on(SQL)
def _sql_backups(db: Resource, config: Mapping[str, Any]) -> Iterator[Finding]:
    if is_replica(db):
        return
    backup = db.get("settings.backupConfiguration") or {}
    if backup.get("enabled") is not True or backup.get("pointInTimeRecoveryEnabled") is not True:
        yield Finding("settings.backupConfiguration", "enabled and pointInTimeRecoveryEnabled must be true")
    kept = number((backup.get("backupRetentionSettings") or {}).get("retainedBackups"))
    if kept is None or kept < config["minimumRetentionDays"]:
        yield Finding(
            "settings.backupConfiguration.backupRetentionSettings.retainedBackups",
            f"must keep at least {config['minimumRetentionDays']} daily backups (got {kept})",
        )


@BACKUPS.on(PG)
def _pg_backups(db: Resource, config: Mapping[str, Any]) -> Iterator[Finding]:
    if is_replica(db):
        return
    kept = number(db.get("backup.backupRetentionDays"))
    if kept is None or kept < config["minimumRetentionDays"]:
        yield Finding("backup.backupRetentionDays", f"must be at least {config['minimumRetentionDays']} (got {kept})")
    if config["requireGeoRedundantBackup"] and db.get("backup.geoRedundantBackup") != "Enabled":
        yield Finding("backup.geoRedundantBackup", 'must be "Enabled"')


HIGH_AVAILABILITY = Rule(5, "database-zone-redundant", "Zone-redundant HA")


@HIGH_AVAILABILITY.on(RDS, SQL, PG)
def _zone_redundant(db: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if is_replica(db):
        return
    if db.type == RDS and db.get("multiAz") is not True:
        yield Finding("multiAz", "must be true")
    if db.type == SQL and db.get("settings.availabilityType") != "REGIONAL":
        yield Finding("settings.availabilityType", 'must be "REGIONAL"')
    if db.type == PG and db.get("highAvailability.mode") != "ZoneRedundant":
        yield Finding("highAvailability.mode", 'must be "ZoneRedundant"')


DELETION_GUARD = Rule(6, "database-deletion-guard", "Database deletion guard")


@DELETION_GUARD.across(*DATABASES)
def _deletion_guard(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    for db in stack.of_type(RDS):
        if db.get("deletionProtection") is not True:
            yield Hit(db, "deletionProtection", "must be true")
        # RDS takes no final snapshot of a read replica; the primary's must be kept.
        if not is_replica(db) and db.get("skipFinalSnapshot") is not False:
            yield Hit(db, "skipFinalSnapshot", "must be false (a final snapshot before deletion)")
    for db in stack.of_type(SQL):
        if db.get("deletionProtection") is not True:
            yield Hit(db, "deletionProtection", "must be true (Pulumi-side guard)")
        if db.get("settings.deletionProtectionEnabled") is not True:
            yield Hit(db, "settings.deletionProtectionEnabled", "must be true (Cloud SQL API guard)")
    for db in stack.of_type(PG):
        if not is_replica(db) and not locked(stack, db):
            yield Hit(
                db, "(management lock)", "needs a CanNotDelete management lock on the server or its resource group"
            )


POSTGRES_VERSION = Rule(
    7,
    "postgres-version",
    "PostgreSQL major version pinned, minor upgrades on",
    settings={"majorVersion": Setting("15", "the PostgreSQL major version of the spec")},
)


@POSTGRES_VERSION.on(RDS, SQL, PG)
def _postgres_version(db: Resource, config: Mapping[str, Any]) -> Iterator[Finding]:
    major = str(config["majorVersion"])
    if db.type == RDS:
        if not is_replica(db) and db.get("engine") != "postgres":
            yield Finding("engine", 'must be "postgres"')
        version = str(db.get("engineVersion", ""))
        if not is_replica(db) and version.split(".")[0] != major:
            yield Finding("engineVersion", f"must be {major} or {major}.x (got {version or 'unset'})")
        if db.get("autoMinorVersionUpgrade") is not True:
            yield Finding("autoMinorVersionUpgrade", "must be true")
    elif db.type == SQL and db.get("databaseVersion") != f"POSTGRES_{major}":
        yield Finding("databaseVersion", f"must be POSTGRES_{major}")
    elif db.type == PG and str(db.get("version")) != major:
        yield Finding("version", f'must be "{major}"')


CONNECTION_LOGS = Rule(8, "database-connection-logs", "Database connection and audit logs")
CONNECTION_PARAMETERS = {
    RDS: ("log_connections", "log_disconnections"),
    SQL: ("log_connections", "log_disconnections"),
    PG: ("log_connections", "log_disconnections", "log_checkpoints", "connection_throttle.enable"),
}


@CONNECTION_LOGS.across(*DATABASES)
def _connection_logs(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    for db in stack.of_type(*DATABASES):
        if db.type == RDS and "postgresql" not in (db.get("enabledCloudwatchLogsExports") or []):
            yield Hit(db, "enabledCloudwatchLogsExports", 'must include "postgresql"')
        if db.type == PG and is_replica(db):
            continue
        parameters = postgres_parameters(stack, db) or {}
        for key in CONNECTION_PARAMETERS[db.type]:
            if not is_on(parameters.get(key)):
                yield Hit(db, key, "must be on in the database's parameters")


STATEMENT_LOGS = Rule(38, "database-statement-logs", "Database statement and error logging")
ERROR_OR_MORE = ("debug5", "debug4", "debug3", "debug2", "debug1", "info", "notice", "warning", "error")


@STATEMENT_LOGS.across(*DATABASES)
def _statement_logs(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    for db in stack.of_type(*DATABASES):
        if db.type == PG and is_replica(db):
            continue
        parameters = postgres_parameters(stack, db) or {}
        if parameters.get("log_statement") not in ("ddl", "mod", "all"):
            yield Hit(db, "log_statement", "must be ddl (or mod, all)")
        if parameters.get("log_min_error_statement") not in ERROR_OR_MORE:
            yield Hit(db, "log_min_error_statement", "must be error or more verbose")
        if not is_on(parameters.get("log_lock_waits")):
            yield Hit(db, "log_lock_waits", "must be on")
        if "log_min_duration_statement" not in parameters and not is_on(parameters.get("log_duration")):
            yield Hit(db, "log_min_duration_statement", "must be set explicitly (-1 turns duration logging off)")
        if db.type == SQL:
            audit = is_on(parameters.get("cloudsql.enable_pgaudit"))
        else:
            audit = "pgaudit" in parameters.get("shared_preload_libraries", "").split(",")
        if not audit:
            yield Hit(db, "pgaudit", "pgaudit must be loaded (shared_preload_libraries, or cloudsql.enable_pgaudit)")


RULES = (
    NOT_PUBLIC,
    CUSTOMER_KEY,
    REQUIRES_TLS,
    BACKUPS,
    HIGH_AVAILABILITY,
    DELETION_GUARD,
    POSTGRES_VERSION,
    CONNECTION_LOGS,
    STATEMENT_LOGS,
)
