"""AWS PostgresCluster: the exact RDS instances, parameters, backups, DR copy and snapshot plan."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from bettafish.plan import RecordedResource, Recording
from bettafish.plan.fake_cloud import ACCOUNT_ID
from providers.aws.postgres.backup import snapshot_schedule
from tests.aws.lifetime import assert_final_snapshot_unique_per_lifetime
from tests.mocks import run_stack

PREFIX = {"prod": "bettafish-prod-db", "staging": "bettafish-staging-db"}
INSTANCE = "aws:rds/instance:Instance"
PARAMS = "aws:rds/parameterGroup:ParameterGroup"
VAULT = "aws:backup/vault:Vault"
ROLE = "aws:iam/role:Role"
STACKS = ["prod", "staging"]


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "aws")


def named(stack: str, suffix: str, type_token: str = INSTANCE) -> RecordedResource:
    (found,) = [r for r in plan(stack).of_type(type_token) if r.name == f"{PREFIX[stack]}-{suffix}"]
    return found


def primary(stack: str) -> dict[str, Any]:
    return named(stack, "primary").inputs


def primary_arn(stack: str) -> str:
    identifier = plan(stack).outputs["databaseWriterEndpoint"].split(".")[0]
    return f"arn:aws:rds:us-east-1:{ACCOUNT_ID}:db:{identifier}"


def instances(stack: str) -> list[RecordedResource]:
    return plan(stack).of_type(INSTANCE)


def replicas(stack: str) -> list[RecordedResource]:
    return [i for i in instances(stack) if "replicateSourceDb" in i.inputs]


def key(stack: str, purpose: str) -> RecordedResource:
    (found,) = [k for k in plan(stack).of_type("aws:kms/key:Key") if k.name == f"bettafish-{stack}-keys-{purpose}"]
    return found


def key_arn(stack: str, purpose: str, region: str = "us-east-1") -> str:
    return f"arn:aws:kms:{region}:{ACCOUNT_ID}:key/{key(stack, purpose).id}"


def sg_id(stack: str, slug: str) -> str:
    (found,) = [
        g
        for g in plan(stack).of_type("aws:ec2/securityGroup:SecurityGroup")
        if g.name == f"bettafish-{stack}-net-{slug}"
    ]
    return found.id


def test_prod_primary_is_the_specs_instance() -> None:
    db = primary("prod")
    assert (db["engine"], db["instanceClass"], db["allocatedStorage"]) == ("postgres", "db.r5.xlarge", 1000)
    assert (db["storageType"], db["iops"]) == ("io1", 10000)
    assert "storageThroughput" not in db  # io1 throughput follows IOPS (checked at config time)
    assert (db["dbName"], db["port"], db["username"]) == ("bettafish", 5432, "bettafish_admin")
    assert db["maintenanceWindow"] == "sun:04:00-sun:05:00"
    assert db["caCertIdentifier"] == "rds-ca-rsa2048-g1"
    assert db["iamDatabaseAuthenticationEnabled"] is True


def test_staging_primary_is_smaller_on_general_purpose_storage() -> None:
    db = primary("staging")
    assert (db["instanceClass"], db["allocatedStorage"], db["storageType"]) == ("db.r5.large", 100, "gp3")
    assert "iops" not in db
    assert "storageThroughput" not in db


@pytest.mark.parametrize("stack", STACKS)
def test_no_instance_is_reachable_from_outside_the_database_tier(stack: str) -> None:
    """Rule 1 (CKV_AWS_17): not public, only the database security group, only the database subnets."""
    for instance in instances(stack):
        assert instance.inputs["publiclyAccessible"] is False, instance.name
        assert instance.inputs["vpcSecurityGroupIds"] == [sg_id(stack, "db")], instance.name
    group = named(stack, "subnets", "aws:rds/subnetGroup:SubnetGroup")
    assert group.inputs["subnetIds"] == plan(stack).outputs["databaseSubnetIds"]
    assert primary(stack)["dbSubnetGroupName"] == group.id


@pytest.mark.parametrize("stack", STACKS)
def test_every_instance_is_encrypted_with_the_database_key(stack: str) -> None:
    """Rule 2 (CKV_AWS_16): storage, Performance Insights and the master credentials use the customer key."""
    arn = key_arn(stack, "database")
    for instance in instances(stack):
        assert instance.inputs["storageEncrypted"] is True, instance.name
        assert instance.inputs["kmsKeyId"] == arn, instance.name
        assert instance.inputs["performanceInsightsEnabled"] is True
        assert instance.inputs["performanceInsightsKmsKeyId"] == arn
        assert key(stack, "database").urn in instance.dependencies
    (secret,) = [s for s in plan(stack).of_type("aws:secretsmanager/secret:Secret") if s.name.startswith(PREFIX[stack])]
    assert secret.inputs["kmsKeyId"] == arn


@pytest.mark.parametrize("stack", STACKS)
def test_every_instance_requires_tls(stack: str) -> None:
    """Rule 3 (CKV2_AWS_69): rds.force_ssl=1 in the parameter group all instances use."""
    group = named(stack, "params", PARAMS)
    assert group.inputs["family"] == "postgres15"
    params = {p["name"]: p["value"] for p in group.inputs["parameters"]}
    assert params["rds.force_ssl"] == "1"
    for instance in instances(stack):
        assert instance.inputs["parameterGroupName"] == group.id, instance.name


@pytest.mark.parametrize(("stack", "days"), [("prod", 30), ("staging", 7)])
def test_automated_backups_are_kept_for_the_retention_period(stack: str, days: int) -> None:
    """Rule 4 (CKV_AWS_133): RDS keeps backups and transaction logs (point-in-time recovery) this long."""
    db = primary(stack)
    assert (db["backupRetentionPeriod"], db["backupWindow"]) == (days, "03:00-04:00")
    assert db["deleteAutomatedBackups"] is False


def test_prod_copies_automated_backups_to_the_dr_region() -> None:
    (copy,) = plan("prod").of_type("aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication")
    assert copy.inputs == {
        "sourceDbInstanceArn": primary_arn("prod"),
        "kmsKeyId": key_arn("prod", "database-dr", "us-west-2"),
        "retentionPeriod": 30,
        "region": "us-west-2",
    }
    assert not plan("staging").of_type(copy.type)


@pytest.mark.parametrize(("stack", "multi_az"), [("prod", True), ("staging", False)])
def test_primary_is_multi_az_when_highly_available(stack: str, multi_az: bool) -> None:
    """Rule 5 (CKV_AWS_157)."""
    assert primary(stack)["multiAz"] is multi_az


@pytest.mark.parametrize("stack", STACKS)
def test_deleting_the_database_is_guarded(stack: str) -> None:
    """Rule 6 (CKV_AWS_293/139) and rule 32: deletion protection + protect in prod, a final snapshot always."""
    db = primary(stack)
    assert db["skipFinalSnapshot"] is False
    assert_final_snapshot_unique_per_lifetime(plan(stack), named(stack, "primary"), PREFIX[stack])
    for instance in instances(stack):
        assert instance.inputs["deletionProtection"] is (stack == "prod"), instance.name
        assert instance.protect is (stack == "prod"), instance.name
    assert named(stack, "snapshots", VAULT).protect is (stack == "prod")  # the backup vault


@pytest.mark.parametrize("stack", STACKS)
def test_postgres_15_with_minor_upgrades(stack: str) -> None:
    """Rule 7 (CKV_AWS_226)."""
    assert (primary(stack)["engineVersion"], primary(stack)["allowMajorVersionUpgrade"]) == ("15", False)
    for instance in instances(stack):
        assert instance.inputs["autoMinorVersionUpgrade"] is True, instance.name


@pytest.mark.parametrize("stack", STACKS)
def test_connection_logs_are_exported(stack: str) -> None:
    """Rule 8 (CKV_AWS_129): postgresql logs to CloudWatch, with connections and disconnections."""
    params = {p["name"]: p["value"] for p in named(stack, "params", PARAMS).inputs["parameters"]}
    assert (params["log_connections"], params["log_disconnections"]) == ("1", "1")
    for instance in instances(stack):
        assert instance.inputs["enabledCloudwatchLogsExports"] == ["postgresql", "upgrade"], instance.name


def test_prod_read_replicas_sit_in_the_configured_zones() -> None:
    identifier = plan("prod").outputs["databaseWriterEndpoint"].split(".")[0]
    found = {r.name: r.inputs for r in replicas("prod")}
    assert set(found) == {"bettafish-prod-db-replica-1", "bettafish-prod-db-replica-2"}
    zones = [found[f"bettafish-prod-db-replica-{i}"]["availabilityZone"] for i in (1, 2)]
    assert zones == ["us-east-1b", "us-east-1c"]
    for replica in found.values():
        assert replica["replicateSourceDb"] == identifier
        assert (replica["instanceClass"], replica["multiAz"]) == ("db.r5.large", False)
        assert "username" not in replica
        assert "dbName" not in replica
    assert not replicas("staging")


@pytest.mark.parametrize(("stack", "days"), [("prod", 90), ("staging", 14)])
def test_daily_snapshots_are_kept_encrypted_for_the_snapshot_retention(stack: str, days: int) -> None:
    vault = named(stack, "snapshots", VAULT)
    assert vault.inputs["kmsKeyArn"] == key_arn(stack, "database")
    (backup_plan,) = plan(stack).of_type("aws:backup/plan:Plan")
    (rule,) = backup_plan.inputs["rules"]
    assert rule["targetVaultName"] == vault.id
    assert rule["lifecycle"] == {"deleteAfter": days}
    assert (rule["schedule"], rule["scheduleExpressionTimezone"]) == ("cron(0 5 * * ? *)", "Etc/UTC")
    (selection,) = plan(stack).of_type("aws:backup/selection:Selection")
    assert selection.inputs["resources"] == [primary_arn(stack)]
    assert selection.inputs["planId"] == backup_plan.id


def test_the_backup_role_may_snapshot_only_this_database() -> None:
    role = named("prod", "backup", ROLE)
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "backup.amazonaws.com"}
    assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": ACCOUNT_ID}
    (selection,) = plan("prod").of_type("aws:backup/selection:Selection")
    assert selection.inputs["iamRoleArn"] == f"arn:aws:iam::{ACCOUNT_ID}:role/{role.id}"
    policy = json.loads(named("prod", "backup", "aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    scoped = [s for s in policy["Statement"] if s["Action"] != "tag:GetResources"]
    for statement in scoped:
        actions = statement["Action"] if isinstance(statement["Action"], list) else [statement["Action"]]
        assert "*" not in statement["Resource"]
        assert all(a.split(":")[0] in ("rds", "kms", "backup") and "*" not in a for a in actions)
    resources = {r for s in scoped for r in s["Resource"]}
    assert resources == {
        selection.inputs["resources"][0],
        f"arn:aws:rds:us-east-1:{ACCOUNT_ID}:snapshot:awsbackup:*",
        key_arn("prod", "database"),
        f"arn:aws:backup:us-east-1:{ACCOUNT_ID}:recovery-point:*",
        # The copies in the DR region (us-west-2): the vault, RDS's copied snapshots and the DR key.
        f"arn:aws:backup:us-west-2:{ACCOUNT_ID}:backup-vault:{named('prod', 'snapshots-dr', VAULT).id}",
        f"arn:aws:rds:us-west-2:{ACCOUNT_ID}:snapshot:awsbackup:*",
        key_arn("prod", "database-dr", "us-west-2"),
    }


def test_the_backup_role_may_list_tags_as_aws_backup_requires() -> None:
    """Audit (a): CreateBackupSelection checks that the role may call tag:GetResources ("IAM Role … is
    not authorized to call tag:GetResources"); that API grants only on ``*``, and reads tags only."""
    policy = json.loads(named("prod", "backup", "aws:iam/rolePolicy:RolePolicy").inputs["policy"])
    (listing,) = [s for s in policy["Statement"] if s["Action"] == "tag:GetResources"]
    assert (listing["Effect"], listing["Resource"]) == ("Allow", "*")
    (selection,) = plan("prod").of_type("aws:backup/selection:Selection")
    assert named("prod", "backup", "aws:iam/rolePolicy:RolePolicy").urn in selection.options["dependsOn"]


@pytest.mark.parametrize("stack", STACKS)
def test_the_vault_goes_with_its_snapshots_only_where_nothing_is_protected(stack: str) -> None:
    """Finding 6: AWS Backup refuses to delete a vault holding recovery points, so staging's destroy
    stopped there; prod keeps them (protected, never force-destroyed)."""
    vault = named(stack, "snapshots", VAULT)
    assert vault.inputs["forceDestroy"] is (stack == "staging")
    assert vault.protect is (stack == "prod")


@pytest.mark.parametrize(
    ("backup", "maintenance", "cron"),
    [
        ("03:00-04:00", "sun:04:00-sun:05:00", "cron(0 5 * * ? *)"),
        ("03:00-04:00", "sun:05:00-sun:06:30", "cron(0 7 * * ? *)"),
        ("23:30-00:30", "sat:01:00-sat:02:00", "cron(0 2 * * ? *)"),
    ],
)
def test_snapshots_start_clear_of_the_backup_and_maintenance_windows(backup: str, maintenance: str, cron: str) -> None:
    assert snapshot_schedule(backup, maintenance) == cron


def test_enhanced_monitoring_role_exists_only_when_monitoring_is_on() -> None:
    role = named("prod", "monitoring", ROLE)
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "monitoring.rds.amazonaws.com"}
    attachment = named("prod", "monitoring", "aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert attachment.inputs == {
        "role": role.id,
        "policyArn": "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole",
    }
    for instance in instances("prod"):
        assert instance.inputs["monitoringInterval"] == 60
        assert instance.inputs["monitoringRoleArn"] == f"arn:aws:iam::{ACCOUNT_ID}:role/{role.id}"
    assert primary("staging")["monitoringInterval"] == 0
    assert "monitoringRoleArn" not in primary("staging")
    attachments = plan("staging").of_type("aws:iam/rolePolicyAttachment:RolePolicyAttachment")
    assert not [a for a in attachments if a.name.startswith(PREFIX["staging"])]


def test_endpoints_are_the_instances_addresses() -> None:
    out = plan("prod").outputs
    assert out["databaseWriterEndpoint"].split(".")[0] == "bettafish-prod-db-primary"
    assert out["databaseWriterEndpoint"].endswith(".us-east-1.rds.amazonaws.com")
    assert [e.split(".")[0] for e in out["databaseReaderEndpoints"]] == [
        "bettafish-prod-db-replica-1",
        "bettafish-prod-db-replica-2",
    ]
    assert (out["databasePort"], out["databaseName"]) == (5432, "bettafish")


def test_without_replicas_readers_use_the_writer() -> None:
    out = plan("staging").outputs
    assert out["databaseReaderEndpoints"] == [out["databaseWriterEndpoint"]]
