"""The RDS parameter group: TLS only (rule 3), connection logs (rule 8), and statement, error, lock
and audit logging per the CIS PostgreSQL recommendations (rule 38, ``bettafish:database.logging``)."""

from __future__ import annotations

import pulumi_aws as aws

from bettafish.config.database import Database, DatabaseLogging
from components.base import NeutralComponent

PRELOADED_LIBRARIES = "pg_stat_statements,pgaudit"
"""RDS preloads ``pg_stat_statements`` by default (query statistics); pgaudit joins it."""
AUDIT_CLASSES = "ddl,role"
"""pgaudit session logging: schema changes and role or privilege changes."""


def parameter_group(parent: NeutralComponent, name: str, db: Database, tags: dict[str, str]) -> aws.rds.ParameterGroup:
    """Dynamic parameters apply at once; ``shared_preload_libraries`` is static, and RDS refuses
    ``immediate`` for a static parameter ("cannot use immediate apply method for static
    parameter"), so it waits for the next reboot. A new instance starts with the whole group."""
    return aws.rds.ParameterGroup(
        f"{name}-params",
        family=f"postgres{db.engine_version}",
        description=f"BettaFish {name}: TLS only, connection, statement, error and audit logging",
        parameters=[
            _dynamic("rds.force_ssl", "1"),
            _dynamic("log_connections", "1"),
            _dynamic("log_disconnections", "1"),
            *logging_parameters(db.logging),
        ],
        tags=tags,
        opts=parent.child(),
    )


def logging_parameters(logging: DatabaseLogging) -> list[aws.rds.ParameterGroupParameterArgs]:
    parameters = [
        _dynamic("log_statement", logging.statements),
        _dynamic("log_min_duration_statement", str(logging.min_duration_ms)),
        _dynamic("log_min_error_statement", logging.min_error_statement),
        _dynamic("log_lock_waits", "1" if logging.lock_waits else "0"),
    ]
    if logging.audit:
        parameters += [
            aws.rds.ParameterGroupParameterArgs(
                name="shared_preload_libraries", value=PRELOADED_LIBRARIES, apply_method="pending-reboot"
            ),
            _dynamic("pgaudit.log", AUDIT_CLASSES),
        ]
    return parameters


def _dynamic(parameter: str, value: str) -> aws.rds.ParameterGroupParameterArgs:
    return aws.rds.ParameterGroupParameterArgs(name=parameter, value=value, apply_method="immediate")
