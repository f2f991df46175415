"""AWS PostgresCluster beyond the instance: its credentials, its statement and audit logging (rule
38), and the encrypted log groups RDS exports to (rule 39)."""

from __future__ import annotations

from functools import cache

import pytest

from bettafish.plan import RecordedResource, Recording
from bettafish.plan.fake_cloud import ACCOUNT_ID
from bettafish.plan.fake_cloud.constraints.aws_database import STATIC_POSTGRES_PARAMETERS
from tests.mocks import edited, run_program, run_stack, stack_values

PREFIX = {"prod": "bettafish-prod-db", "staging": "bettafish-staging-db"}
INSTANCE = "aws:rds/instance:Instance"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
STACKS = ["prod", "staging"]


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "aws")


def instances(stack: str) -> dict[str, RecordedResource]:
    return {r.inputs["identifier"]: r for r in plan(stack).of_type(INSTANCE)}


def key_arn(stack: str, purpose: str) -> str:
    (key,) = [k for k in plan(stack).of_type("aws:kms/key:Key") if k.name == f"bettafish-{stack}-keys-{purpose}"]
    return f"arn:aws:kms:us-east-1:{ACCOUNT_ID}:key/{key.id}"


def parameters(stack: str) -> dict[str, dict[str, str]]:
    (group,) = plan(stack).of_type("aws:rds/parameterGroup:ParameterGroup")
    return {p["name"]: p for p in group.inputs["parameters"]}


@pytest.mark.parametrize("stack", STACKS)
def test_the_master_password_is_generated_and_kept_in_secrets_manager(stack: str) -> None:
    """Audit (a): RDS refuses read replicas of an instance whose master password it manages
    (ManageMasterUserPassword), so prod's replicas could not be created; the password is generated
    instead, a Pulumi secret, and kept in a secret encrypted with the database key."""
    primary = instances(stack)[f"{PREFIX[stack]}-primary"]
    assert primary.inputs["password"] == "[secret]"
    assert "manageMasterUserPassword" not in primary.inputs
    (password,) = plan(stack).of_type("random:index/randomPassword:RandomPassword")
    assert (password.inputs["length"], password.inputs["special"]) == (32, False)
    assert password.urn in primary.dependencies
    (secret,) = [s for s in plan(stack).of_type("aws:secretsmanager/secret:Secret") if s.name.startswith(PREFIX[stack])]
    (version,) = [
        v for v in plan(stack).of_type("aws:secretsmanager/secretVersion:SecretVersion") if v.name == secret.name
    ]
    assert (version.inputs["secretId"], version.inputs["secretString"]) == (secret.id, "[secret]")
    assert primary.urn in version.dependencies  # it names the primary's host
    assert secret.inputs["kmsKeyId"] == key_arn(stack, "database")
    assert secret.protect is (stack == "prod")
    assert secret.inputs["recoveryWindowInDays"] == (30 if stack == "prod" else 0)
    assert plan(stack).outputs["databaseCredentialsRef"] == secret.id
    assert secret.id.startswith(f"arn:aws:secretsmanager:us-east-1:{ACCOUNT_ID}:secret:{PREFIX[stack]}-credentials-")


def test_replicas_inherit_the_password() -> None:
    for identifier, instance in instances("prod").items():
        if "replicateSourceDb" in instance.inputs:
            assert not {"password", "username", "dbName", "manageMasterUserPassword"} & set(instance.inputs), identifier


@pytest.mark.parametrize("stack", STACKS)
def test_statements_errors_lock_waits_and_audit_are_logged(stack: str) -> None:
    """Rule 38 (CIS PostgreSQL, CKV_GCP_108-111's AWS analogue): from bettafish:database.logging."""
    p = parameters(stack)
    assert {
        name: p[name]["value"]
        for name in ("log_statement", "log_min_duration_statement", "log_min_error_statement", "log_lock_waits")
    } == {
        "log_statement": "ddl",
        "log_min_duration_statement": "-1",
        "log_min_error_statement": "error",
        "log_lock_waits": "1",
    }
    assert p["shared_preload_libraries"]["value"] == "pg_stat_statements,pgaudit"
    assert p["pgaudit.log"]["value"] == "ddl,role"


@pytest.mark.parametrize("stack", STACKS)
def test_static_parameters_wait_for_a_reboot(stack: str) -> None:
    """RDS refuses ``immediate`` for a static parameter; everything else applies at once."""
    for name, parameter in parameters(stack).items():
        expected = "pending-reboot" if name in STATIC_POSTGRES_PARAMETERS else "immediate"
        assert parameter["applyMethod"] == expected, name


def test_logging_follows_the_config() -> None:
    values = edited(
        stack_values("staging", "aws"),
        "bettafish:database",
        lambda d: {
            **d,
            "logging": {
                "statements": "mod",
                "minDurationMs": 500,
                "minErrorStatement": "log",
                "lockWaits": False,
                "audit": False,
            },
        },
    )
    (group,) = run_program(values, "staging").of_type("aws:rds/parameterGroup:ParameterGroup")
    p = {x["name"]: x["value"] for x in group.inputs["parameters"]}
    assert (p["log_statement"], p["log_min_duration_statement"], p["log_min_error_statement"], p["log_lock_waits"]) == (
        "mod",
        "500",
        "log",
        "0",
    )
    assert "shared_preload_libraries" not in p
    assert "pgaudit.log" not in p


@pytest.mark.parametrize("stack", STACKS)
def test_rds_log_groups_exist_first_encrypted_and_retained(stack: str) -> None:
    """Rule 39 (CKV_AWS_158) and rule 31: RDS would create ``/aws/rds/instance/<id>/<type>`` itself,
    unencrypted and kept forever; each instance has an explicit identifier and waits for its groups."""
    groups = {g.inputs["name"]: g for g in plan(stack).of_type(LOG_GROUP)}
    days = {"prod": 30, "staging": 7}[stack]
    for identifier, instance in instances(stack).items():
        for log_type in instance.inputs["enabledCloudwatchLogsExports"]:
            group = groups[f"/aws/rds/instance/{identifier}/{log_type}"]
            assert (group.inputs["kmsKeyId"], group.inputs["retentionInDays"]) == (key_arn(stack, "logs"), days)
            assert group.urn in instance.options["dependsOn"], identifier
