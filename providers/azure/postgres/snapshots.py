"""Long-term snapshots of a flexible server: Azure Backup's vaulted backups, kept
``snapshots.retentionDays`` in a Backup vault outside the server (Premium SSD servers up to 1 TiB).

Automated backups already cover ``backup.retentionDays`` (at most 35 days); the vault is built only
for snapshots kept longer than that.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import dataprotection, dbforpostgresql, resources

from bettafish.config.database import Database
from components.base import NeutralComponent
from providers.azure.common import POSTGRES_LTR_BACKUP, READER, delete_lock, grant

DATASOURCE_TYPE = "Microsoft.DBforPostgreSQL/flexibleServers"
VAULT_STORE = {"data_store_type": "VaultStore", "object_type": "DataStoreInfoBase"}
SCHEDULE_ANCHOR_DATE = "2024-01-01"
"""Repeating intervals start from a date; only the time of day matters for a daily schedule."""
SOFT_DELETE_DAYS = 14
"""Azure Backup's shortest soft-delete retention: deleted snapshots stay recoverable two weeks."""


def soft_delete(protect_stateful: bool) -> dict[str, object]:
    """Soft delete keeps deleted snapshots two weeks, and a vault that still holds soft-deleted items
    cannot be deleted: on for protected stacks (prod), off where the stack must be torn down and
    brought up again (staging), whose ``pulumi destroy`` would otherwise fail on the vault."""
    if protect_stateful:
        return {"state": "On", "retention_duration_in_days": SOFT_DELETE_DAYS}
    return {"state": "Off"}


def needs_vault(db: Database) -> bool:
    return db.snapshots.retention_days > db.backup.retention_days


def snapshot_schedule(backup_window: str) -> str:
    """A daily snapshot at the start of ``backup.window`` (UTC): Azure schedules the automated
    backups itself, so the configured window times the vaulted snapshot."""
    return f"R/{SCHEDULE_ANCHOR_DATE}T{backup_window.split('-')[0]}:00+00:00/P1D"


def backup_policy_properties(db: Database) -> dict[str, object]:
    return {
        "object_type": "BackupPolicy",
        "datasource_types": [DATASOURCE_TYPE],
        "policy_rules": [
            {
                "name": "DailySnapshot",
                "object_type": "AzureBackupRule",
                "backup_parameters": {"backup_type": "Full", "object_type": "AzureBackupParams"},
                "data_store": VAULT_STORE,
                "trigger": {
                    "object_type": "ScheduleBasedTriggerContext",
                    "schedule": {"repeating_time_intervals": [snapshot_schedule(db.backup.window)], "time_zone": "UTC"},
                    "tagging_criteria": [
                        {"is_default": True, "tag_info": {"tag_name": "Default"}, "tagging_priority": 99}
                    ],
                },
            },
            {
                "name": "Default",
                "object_type": "AzureRetentionRule",
                "is_default": True,
                "lifecycles": [
                    {
                        "delete_after": {
                            "object_type": "AbsoluteDeleteOption",
                            "duration": f"P{db.snapshots.retention_days}D",
                        },
                        "source_data_store": VAULT_STORE,
                    }
                ],
            },
        ],
    }


def vaulted_snapshots(
    parent: NeutralComponent,
    name: str,
    db: Database,
    server: dbforpostgresql.Server,
    rg: resources.ResourceGroup,
    location: str,
    subscription: pulumi.Input[str],
    tags: dict[str, str],
) -> dataprotection.BackupInstance:
    """Backup vault (its own identity reads the server), daily policy and the backup instance."""
    vault = dataprotection.BackupVault(
        f"{name}-backup-vault",
        resource_group_name=rg.name,
        location=location,
        identity={"type": "SystemAssigned"},
        properties={
            # Restores go to the paired region too when the database copies its backups there.
            "storage_settings": [
                {
                    "datastore_type": "VaultStore",
                    "type": "GeoRedundant" if db.cross_region_copy.enabled else "ZoneRedundant",
                }
            ],
            "security_settings": {"soft_delete_settings": soft_delete(parent.context.protect_stateful)},
        },
        tags=tags,
        opts=parent.child(stateful=True),
    )
    delete_lock(parent, f"{name}-backup-vault-lock", vault, vault.id, "Holds the database's long-term snapshots")
    principal = vault.identity.apply(lambda identity: identity.principal_id if identity else "")
    grants = [
        grant(
            parent,
            f"{name}-backup-ltr",
            principal_id=principal,
            role=POSTGRES_LTR_BACKUP,
            scope=server.id,
            subscription=subscription,
            description="Azure Backup takes long-term snapshots of this server",
        ),
        grant(
            parent,
            f"{name}-backup-reader",
            principal_id=principal,
            role=READER,
            scope=rg.id,
            subscription=subscription,
            description="Azure Backup reads the server's resource group",
        ),
    ]
    policy = dataprotection.BackupPolicy(
        f"{name}-snapshot-policy",
        resource_group_name=rg.name,
        vault_name=vault.name,
        properties=backup_policy_properties(db),
        opts=parent.child(),
    )
    source = {
        "datasource_type": DATASOURCE_TYPE,
        "object_type": "Datasource",
        "resource_id": server.id,
        "resource_location": location,
        "resource_name": server.name,
        "resource_type": DATASOURCE_TYPE,
        "resource_uri": server.id,
    }
    return dataprotection.BackupInstance(
        f"{name}-snapshots",
        resource_group_name=rg.name,
        vault_name=vault.name,
        properties={
            "object_type": "BackupInstance",
            "friendly_name": server.name,
            "data_source_info": source,
            "data_source_set_info": {**source, "object_type": "DatasourceSet"},
            "policy_info": {"policy_id": policy.id},
        },
        tags=tags,
        opts=parent.child(depends_on=grants),
    )
