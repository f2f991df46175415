"""Azure Database for PostgreSQL flexible server: what the real API refuses that the SDK's types allow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bettafish.config.azure_disks import PREMIUM_SSD_TIERS, premium_ssd_baseline, premium_ssd_ceiling
from bettafish.plan.fake_cloud.constraints import Constraint, value

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

SERVER = "azure-native:dbforpostgresql:Server"
PREMIUM_V2_FEATURE_REGIONS = frozenset({"canadacentral", "eastasia"})
"""Where Premium SSD v2 servers may have HA, read replicas and geo-redundant backups (preview)."""
DOCS = "https://learn.microsoft.com/azure/postgresql/flexible-server"


def _premium_v2(server: RecordedResource) -> bool:
    return bool(value(server.inputs, "storage.type") == "PremiumV2_LRS")


def _customer_key(server: RecordedResource) -> bool:
    return bool(value(server.inputs, "dataEncryption.type") == "AzureKeyVault")


def _premium_v2_with_customer_key(server: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    return _premium_v2(server) and _customer_key(server)


def _premium_v2_with_regional_features(server: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    features = (
        value(server.inputs, "highAvailability.mode", "Disabled") != "Disabled"
        or value(server.inputs, "backup.geoRedundantBackup") == "Enabled"
        or server.inputs.get("createMode") == "Replica"
    )
    return _premium_v2(server) and features and server.inputs.get("location") not in PREMIUM_V2_FEATURE_REGIONS


def _tier_outside_the_sizes_range(server: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    tier, size = value(server.inputs, "storage.tier"), value(server.inputs, "storage.storageSizeGB")
    if value(server.inputs, "storage.type") != "Premium_LRS" or tier is None or size is None:
        return False
    baseline = premium_ssd_baseline(int(size))
    if baseline is None or baseline.size_gib != int(size):
        return True  # not one of the sizes Premium SSD offers
    names = [t.name for t in PREMIUM_SSD_TIERS]
    allowed = names[names.index(baseline.name) : names.index(premium_ssd_ceiling(baseline).name) + 1]
    return tier not in allowed


def _standby_in_the_primarys_zone(server: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    standby = value(server.inputs, "highAvailability.standbyAvailabilityZone")
    return (
        value(server.inputs, "highAvailability.mode") == "ZoneRedundant"
        and standby is not None
        and standby == server.inputs.get("availabilityZone")
    )


def _burstable_with_ha_or_replica(server: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    burstable = value(server.inputs, "sku.tier") == "Burstable"
    ha = value(server.inputs, "highAvailability.mode", "Disabled") != "Disabled"
    return burstable and (ha or server.inputs.get("createMode") == "Replica")


def _geo_backup_without_its_own_key(server: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    if value(server.inputs, "backup.geoRedundantBackup") != "Enabled" or not _customer_key(server):
        return False
    encryption = server.inputs.get("dataEncryption", {})
    geo_identity = encryption.get("geoBackupUserAssignedIdentityId")
    return (
        not encryption.get("geoBackupKeyURI")
        or not geo_identity
        or geo_identity == encryption.get("primaryUserAssignedIdentityId")
    )


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="azure-postgres-premium-v2-customer-key",
        type=SERVER,
        refuses=_premium_v2_with_customer_key,
        error="Customer Managed Keys, On-demand backups, Long Term Backups, Online Disk scaling, and storage"
        " autogrow features aren't supported for Premium SSD v2",
        doc=f"{DOCS}/concepts-storage-premium-ssd-v2",
    ),
    Constraint(
        id="azure-postgres-premium-v2-regional-features",
        type=SERVER,
        refuses=_premium_v2_with_regional_features,
        error="High availability, read replicas and geo-redundant backups are supported for Premium SSD v2 in"
        " Canada Central and East Asia only (preview)",
        doc=f"{DOCS}/concepts-storage-premium-ssd-v2",
    ),
    Constraint(
        id="azure-postgres-premium-ssd-tier",
        type=SERVER,
        refuses=_tier_outside_the_sizes_range,
        error="The performance tier is not one the disk size can run at: a Premium SSD runs at its size's baseline"
        " tier or higher, up to P50 for disks up to 4 TiB and up to P80 for 8 and 16 TiB",
        doc="https://learn.microsoft.com/azure/virtual-machines/disks-change-performance",
    ),
    Constraint(
        id="azure-postgres-standby-zone",
        type=SERVER,
        refuses=_standby_in_the_primarys_zone,
        error="Zone-redundant high availability places the standby in another availability zone than the primary",
        doc="https://learn.microsoft.com/azure/reliability/reliability-postgresql-flexible-server",
    ),
    Constraint(
        id="azure-postgres-burstable-ha-replica",
        type=SERVER,
        refuses=_burstable_with_ha_or_replica,
        error="High availability and read replicas aren't supported for servers in the Burstable tier",
        doc=f"{DOCS}/concepts-read-replicas",
    ),
    Constraint(
        id="azure-postgres-geo-backup-key",
        type=SERVER,
        refuses=_geo_backup_without_its_own_key,
        error="Geo-redundant backups of a server encrypted with a customer managed key need a key in a Key Vault of"
        " the region where the geo-redundant backup is stored, through a user-assigned identity other than the"
        " primary's (you can't use the same user-managed identity for both)",
        doc=f"{DOCS}/concepts-data-encryption",
    ),
)
