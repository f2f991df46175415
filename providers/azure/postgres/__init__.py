"""Azure PostgresCluster: a PostgreSQL flexible server in the delegated database subnet, zone-redundant,
encrypted with the database key, its administrator password in Key Vault, with read replicas."""

from __future__ import annotations

from functools import partial
from typing import Any

import pulumi
import pulumi_random as random
from pulumi_azure_native import dbforpostgresql, keyvault, managedidentity, resources

from bettafish.config.database import Database
from components.base import sibling
from components.postgres_cluster import PostgresCluster, PostgresClusterArgs
from providers.azure.common import (
    KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
    delete_lock,
    grant,
    private_dns_zone,
    subscription_id,
    user_identity,
)
from providers.azure.keys import AzureKeys
from providers.azure.postgres.settings import maintenance_window, server_parameters, sku
from providers.azure.postgres.snapshots import needs_vault, vaulted_snapshots
from providers.azure.postgres.storage import server_storage, supports_vaulted_backup
from providers.azure.vpc import AzureVpc

POSTGRES_PORT = 5432
"""Flexible servers listen on 5432 only (the config check rejects any other ``database.port``)."""
ADMIN_LOGIN = "dbadmin"
PASSWORD_LENGTH = 32
PASSWORD_SPECIALS = "!#%*()-_=+[]{}:?"
"""Special characters that survive connection strings and shells unquoted."""


class AzurePostgresCluster(PostgresCluster):
    """Children: ResourceGroup; a private DNS zone ``<name>.private.postgres.database.azure.com``
    linked to the VNet; a user-assigned identity granted Key Vault Crypto Service Encryption User on
    the database key (and, with cross-region backups, a second one in the DR region on the DR key);
    the administrator password (RandomPassword) kept as a Key Vault secret; the primary
    ``dbforpostgresql.Server`` (stateful, locked where stateful resources are protected); its
    server parameters, written one after another; the database; the read replicas; and, for
    snapshots kept longer than the automated backups, Azure Backup's vault (see ``snapshots``).

    Extra attributes: ``resource_group``, ``primary``, ``replicas``, ``database``, ``secret``,
    ``dns_zone``, ``identity``, ``snapshots`` (the Azure Backup instance, or None).
    """

    def __init__(self, name: str, args: PostgresClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        vpc, keys, db = sibling(args.vpc, AzureVpc), sibling(args.keys, AzureKeys), args.database
        self.tags = args.context.tags("database")
        self.location = args.context.provider.region
        self._subscription = subscription_id(self)
        self.resource_group = resources.ResourceGroup(
            f"{name}-rg", location=self.location, tags=self.tags, opts=self.child()
        )
        self.dns_zone, dns_link = private_dns_zone(
            self, name, f"{name}.private.postgres.database.azure.com", self.resource_group, vpc.vnet.id, self.tags
        )
        encryption, identity, grants = self._encryption(name, db, keys)
        self.password = random.RandomPassword(
            f"{name}-admin-password",
            length=PASSWORD_LENGTH,
            special=True,
            override_special=PASSWORD_SPECIALS,
            min_lower=1,
            min_upper=1,
            min_numeric=1,
            min_special=1,
            opts=self.child(),
        )
        password: pulumi.Output[str] = pulumi.Output.secret(self.password.result)
        storage = server_storage(db.storage)
        network = {
            "delegated_subnet_resource_id": vpc.subnets["database"][0].id,
            "private_dns_zone_arm_resource_id": self.dns_zone.id,
            "public_network_access": "Disabled",
        }
        self.primary = dbforpostgresql.Server(
            f"{name}-primary",
            resource_group_name=self.resource_group.name,
            location=self.location,
            create_mode="Create",
            version=db.engine_version,
            sku=sku(db.size),
            storage=storage,
            availability_zone=vpc.zones.apply(lambda zones: zones[0]),
            high_availability=(
                {"mode": "ZoneRedundant", "standby_availability_zone": vpc.zones.apply(lambda zones: zones[1])}
                if db.high_availability
                else {"mode": "Disabled"}
            ),
            backup={
                "backup_retention_days": db.backup.retention_days,
                "geo_redundant_backup": "Enabled" if db.cross_region_copy.enabled else "Disabled",
            },
            maintenance_window=maintenance_window(db.maintenance_window),
            network=network,
            data_encryption=encryption,
            identity=identity,
            auth_config={"password_auth": "Enabled", "active_directory_auth": "Disabled"},
            administrator_login=ADMIN_LOGIN,
            administrator_login_password=password,
            tags=self.tags,
            # The server checks its key (so the grants must exist) and its DNS zone's VNet link.
            opts=self.child(stateful=True, depends_on=[dns_link, *grants]),
        )
        delete_lock(self, f"{name}-primary-lock", self.primary, self.primary.id, "The platform's PostgreSQL primary")
        last = self._parameters(name, db)
        self.database = dbforpostgresql.Database(
            f"{name}-database",
            resource_group_name=self.resource_group.name,
            server_name=self.primary.name,
            database_name=db.name,
            charset="UTF8",
            collation="en_US.utf8",
            opts=self.child(stateful=True, depends_on=[last]),
        )
        self.replicas = self._replicas(name, db, vpc, storage, network, encryption)
        self.secret = keyvault.Secret(
            f"{name}-admin-secret",
            resource_group_name=keys.resource_group.name,
            vault_name=keys.vault.name,
            properties={"value": password, "content_type": f"password of {ADMIN_LOGIN}"},
            tags=self.tags,
            opts=self.child(),
        )
        self.snapshots = (
            vaulted_snapshots(
                self, name, db, self.primary, self.resource_group, self.location, self._subscription, self.tags
            )
            if needs_vault(db) and supports_vaulted_backup(db.storage)
            else None
        )

        writer = self.primary.fully_qualified_domain_name
        readers = [replica.fully_qualified_domain_name for replica in self.replicas] or [writer]
        self._publish(
            writer_endpoint=writer,
            reader_endpoints=pulumi.Output.all(*readers),
            port=pulumi.Output.from_input(POSTGRES_PORT),
            database_name=self.database.name,
            credentials_ref=self.secret.properties.apply(lambda props: props.secret_uri),
        )

    def _encryption(
        self, name: str, db: Database, keys: AzureKeys
    ) -> tuple[dict[str, Any], pulumi.Output[Any], list[pulumi.Resource]]:
        """The data encryption (versionless key URIs: the server follows key rotation), the server's
        identities and their grants. Geo-redundant backups are encrypted in the DR region with the
        DR key, through a second identity there (Azure refuses the primary's)."""
        self.identity = user_identity(self, f"{name}-cmk", self.resource_group, self.location, self.tags)
        key = keys.keys["database"]
        identities: list[managedidentity.UserAssignedIdentity] = [self.identity]
        grants: list[pulumi.Resource] = [self._key_grant(f"{name}-cmk", self.identity, key.id)]
        encryption: dict[str, Any] = {
            "type": "AzureKeyVault",
            "primary_key_uri": key.key_uri,
            "primary_user_assigned_identity_id": self.identity.id,
        }
        if db.cross_region_copy.enabled:
            dr_key = keys.dr_keys.get("database")
            if dr_key is None or keys.dr_region is None:
                raise ValueError(f"{name}: crossRegionCopy is on but the keys have no DR-region database key")
            geo = user_identity(self, f"{name}-geo-cmk", self.resource_group, keys.dr_region, self.tags)
            identities.append(geo)
            grants.append(self._key_grant(f"{name}-geo-cmk", geo, dr_key.id))
            encryption |= {"geo_backup_key_uri": dr_key.key_uri, "geo_backup_user_assigned_identity_id": geo.id}
        return encryption, _identities(identities), grants

    def _key_grant(
        self, name: str, identity: managedidentity.UserAssignedIdentity, key_id: pulumi.Input[str]
    ) -> pulumi.Resource:
        assignment: pulumi.Resource = grant(
            self,
            f"{name}-grant",
            principal_id=identity.principal_id,
            role=KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
            scope=key_id,
            subscription=self._subscription,
            description="PostgreSQL wraps its data encryption key with this key",
        )
        return assignment

    def _parameters(self, name: str, db: Database) -> pulumi.Resource:
        """Server parameters one after another: Azure refuses concurrent updates of one server."""
        previous: pulumi.Resource = self.primary
        for parameter, value in server_parameters(db).items():
            previous = dbforpostgresql.Configuration(
                f"{name}-{parameter.replace('_', '-').replace('.', '-')}",
                resource_group_name=self.resource_group.name,
                server_name=self.primary.name,
                configuration_name=parameter,
                value=value,
                source="user-override",
                opts=self.child(depends_on=[previous]),
            )
        return previous

    def _replicas(
        self,
        name: str,
        db: Database,
        vpc: AzureVpc,
        storage: dict[str, Any],
        network: dict[str, Any],
        encryption: dict[str, Any],
    ) -> list[dbforpostgresql.Server]:
        """Read replicas in the same subnet and zone DNS, each in its configured zone, encrypted
        with the primary's key; created one after another, once the primary is fully set up."""
        # Replicas keep no backups of their own: only the primary key and its identity apply.
        replica_encryption = {k: v for k, v in encryption.items() if not k.startswith("geo_")}
        identity = _identities([self.identity])
        replicas: list[dbforpostgresql.Server] = []
        previous: pulumi.Resource = self.database
        for i in range(db.read_replicas.count):
            zones = db.read_replicas.zones
            replica = dbforpostgresql.Server(
                f"{name}-replica-{i + 1}",
                resource_group_name=self.resource_group.name,
                location=self.location,
                create_mode="Replica",
                source_server_resource_id=self.primary.id,
                version=db.engine_version,
                sku=sku(db.read_replicas.size),
                storage=storage,
                availability_zone=vpc.zones.apply(partial(_zone, zones[i])) if zones else None,
                high_availability={"mode": "Disabled"},
                maintenance_window=maintenance_window(db.maintenance_window),
                network=network,
                data_encryption=replica_encryption,
                identity=identity,
                tags=self.tags,
                opts=self.child(stateful=True, depends_on=[previous]),
            )
            replicas.append(replica)
            previous = replica
        return replicas


def _identities(identities: list[managedidentity.UserAssignedIdentity]) -> pulumi.Output[Any]:
    """A server's ``identity`` input: its user-assigned identities keyed by resource id."""
    return pulumi.Output.all(*[i.id for i in identities]).apply(
        lambda ids: {"type": "UserAssigned", "user_assigned_identities": {i: {} for i in ids}}
    )


def _zone(position: int, zones: list[str]) -> str:
    """The zone at 1-based ``position`` of the network's zones."""
    return zones[position - 1]
