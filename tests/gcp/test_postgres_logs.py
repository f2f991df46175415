"""GCP Cloud SQL logging (security rules 8, 38 and 39): connection, statement, error, lock-wait and
pgaudit flags from database.logging, and the instances' logs kept in a log bucket of their own, as
recorded from the real program run offline on GCP."""

from __future__ import annotations

import pytest

from bettafish.config.database import DatabaseLogging
from providers.gcp.postgres.settings import database_flags
from tests.gcp.database import (
    EXCLUSION,
    LOG_BUCKET,
    PREFIX,
    SINK,
    STACKS,
    instances,
    key,
    plan,
    settings,
)
from tests.mocks import physical_name


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
