"""PostgreSQL: an HA primary, read replicas, backups and DR copies."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pulumi

from bettafish.config.database import Database
from components.base import DeployContext, NeutralComponent
from components.keys import Keys
from components.vpc import Vpc


@dataclass(frozen=True)
class PostgresClusterArgs:
    database: Database
    vpc: Vpc
    keys: Keys
    log_retention_days: int
    """How long the cloud keeps the database log logs it writes for us (monitoring.logRetention.databaseDays)."""
    context: DeployContext


class PostgresCluster(NeutralComponent):
    """``bettafish:database:PostgresCluster`` (RDS, Cloud SQL, Azure Database for PostgreSQL)."""

    TYPE: ClassVar[str] = "bettafish:database:PostgresCluster"
    OUTPUTS: ClassVar[tuple[str, ...]] = (
        "writer_endpoint",
        "reader_endpoints",
        "port",
        "database_name",
        "credentials_ref",
    )

    writer_endpoint: pulumi.Output[str]
    """Host name of the primary."""
    reader_endpoints: pulumi.Output[list[str]]
    """Host names of the read replicas."""
    port: pulumi.Output[int]
    database_name: pulumi.Output[str]
    credentials_ref: pulumi.Output[str]
    """Where the credentials live (a secret's ARN or id), never the credentials themselves."""

    def __init__(self, name: str, args: PostgresClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args.context, opts)
