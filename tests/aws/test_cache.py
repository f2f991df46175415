"""AWS CacheCluster: the exact ElastiCache replication group, its parameters, subnets, logs and token."""

from __future__ import annotations

import json
import re
from functools import cache
from typing import Any

import pulumi
import pytest
from pulumi.runtime.rpc import _special_secret_sig, _special_sig_key

from bettafish.config.cache import Cache
from bettafish.plan import RecordedResource, Recording, engine, run_offline
from bettafish.plan.fake_cloud import ACCOUNT_ID
from bettafish.program import main as program_main
from providers.aws.cache import clustered
from tests.aws.lifetime import assert_final_snapshot_unique_per_lifetime
from tests.mocks import Mocks, edited, load, run_program, run_stack, stack_values

PREFIX = {"prod": "bettafish-prod-cache", "staging": "bettafish-staging-cache"}
GROUP = "aws:elasticache/replicationGroup:ReplicationGroup"
STACKS = ["prod", "staging"]
TOKEN = "tok-Redis-aws-cache-test-7781"
TOKEN_KEY = "bettafish:redisAuthToken"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "aws")


def named(stack: str, suffix: str, type_token: str) -> RecordedResource:
    (found,) = [r for r in plan(stack).of_type(type_token) if r.name == f"{PREFIX[stack]}-{suffix}"]
    return found


def group(stack: str) -> dict[str, Any]:
    return plan(stack).one(GROUP).inputs


def params(stack: str) -> dict[str, str]:
    found = named(stack, "params", "aws:elasticache/parameterGroup:ParameterGroup")
    assert found.inputs["family"] == "redis7"
    assert group(stack)["parameterGroupName"] == found.id
    return {p["name"]: p["value"] for p in found.inputs["parameters"]}


def test_prod_is_three_shards_with_a_replica_each_in_cluster_mode() -> None:
    rg = group("prod")
    assert (rg["clusterMode"], rg["numNodeGroups"], rg["replicasPerNodeGroup"]) == ("enabled", 3, 1)
    assert "numCacheClusters" not in rg
    assert rg["nodeType"] == "cache.r5.large"
    assert params("prod")["cluster-enabled"] == "yes"
    (endpoint,) = plan("prod").outputs["cacheEndpoints"]
    assert re.match(_endpoint("prod", "clustercfg"), endpoint), endpoint


def test_staging_is_one_node_without_cluster_mode() -> None:
    """ElastiCache refuses cluster mode without failover; one shard without failover is a plain group."""
    rg = group("staging")
    assert (rg["clusterMode"], rg["numCacheClusters"]) == ("disabled", 1)
    assert "numNodeGroups" not in rg
    assert rg["nodeType"] == "cache.m5.large"
    assert params("staging")["cluster-enabled"] == "no"
    (endpoint,) = plan("staging").outputs["cacheEndpoints"]
    assert re.match(_endpoint("staging", "master"), endpoint), endpoint


def _endpoint(stack: str, kind: str) -> str:
    return rf"^{kind}\.{plan(stack).one(GROUP).id}\.[0-9a-f]{{6}}\.use1\.cache\.amazonaws\.com$"


@pytest.mark.parametrize("stack", STACKS)
def test_memory_policy_and_reserved_memory_follow_the_config(stack: str) -> None:
    p = params(stack)
    assert (p["maxmemory-policy"], p["reserved-memory-percent"]) == ("allkeys-lru", "25")


@pytest.mark.parametrize("stack", STACKS)
def test_cache_is_encrypted_at_rest_with_the_cache_key(stack: str) -> None:
    """Rule 9 (CKV_AWS_29/191)."""
    (key,) = [k for k in plan(stack).of_type("aws:kms/key:Key") if k.name.endswith("-keys-cache")]
    assert group(stack)["atRestEncryptionEnabled"] is True
    assert group(stack)["kmsKeyId"] == f"arn:aws:kms:us-east-1:{ACCOUNT_ID}:key/{key.id}"
    assert key.urn in plan(stack).one(GROUP).dependencies


@pytest.mark.parametrize("stack", STACKS)
def test_cache_requires_tls(stack: str) -> None:
    """Rule 10 (CKV_AWS_30): TLS on and required (no plain-text port left open)."""
    assert (group(stack)["transitEncryptionEnabled"], group(stack)["transitEncryptionMode"]) == (True, "required")
    assert plan(stack).outputs["cacheTlsEnabled"] is True


@pytest.mark.parametrize("stack", STACKS)
def test_cache_requires_the_auth_token_and_rotates_it_in_place(stack: str) -> None:
    """Rule 11 (CKV_AWS_31): AUTH token set, secret; a new token is added (ROTATE), never a replacement."""
    assert group(stack)["authToken"] == "[secret]"
    assert group(stack)["authTokenUpdateStrategy"] == "ROTATE"


def test_the_second_step_of_a_rotation_leaves_only_the_new_token() -> None:
    """Finding 7: ``cache.authTokenUpdate: set`` is the second update of a rotation (SET drops the old
    token); before, the strategy was always ROTATE and the old token stayed valid for good."""
    values = edited(stack_values("prod", "aws"), "bettafish:cache", lambda c: {**c, "authTokenUpdate": "set"})
    recording = run_program(values)
    rg = recording.one(GROUP).inputs
    assert (rg["authTokenUpdateStrategy"], rg["authToken"]) == ("SET", "[secret]")


def test_a_new_token_never_replaces_the_group(monkeypatch: pytest.MonkeyPatch) -> None:
    requests: dict[str, Any] = {}
    register = engine.RecordingMonitor.RegisterResource

    def spy(self: engine.RecordingMonitor, request: Any) -> Any:
        if request.type == GROUP:
            requests[request.name] = request
        return register(self, request)

    monkeypatch.setattr(engine.RecordingMonitor, "RegisterResource", spy)
    run_program(stack_values("prod", "aws"))  # a fresh run: run_stack's record is shared
    request = requests["bettafish-prod-cache-redis"]
    assert "authToken" not in request.replaceOnChanges
    assert "*" not in request.replaceOnChanges
    assert not request.deleteBeforeReplace
    assert "authToken" not in request.ignoreChanges  # a new token must reach the group


@pytest.mark.parametrize("stack", STACKS)
def test_the_token_never_appears_in_plain_text(stack: str) -> None:
    values = {**stack_values(stack, "aws"), "bettafish:redisAuthToken": TOKEN}
    recording = run_program(values, stack, secret_keys=["bettafish:redisAuthToken"])
    assert recording.one(GROUP).inputs["authToken"] == "[secret]"
    assert TOKEN not in repr(recording.resources)
    assert TOKEN not in repr(recording.outputs)


@pytest.mark.parametrize("stack", STACKS)
def test_cache_lives_in_the_isolated_database_subnets(stack: str) -> None:
    """Rule 12 (CKV_AZURE_89's AWS analogue): private subnets, only the cache security group."""
    subnets = named(stack, "subnets", "aws:elasticache/subnetGroup:SubnetGroup")
    assert subnets.inputs["subnetIds"] == plan(stack).outputs["databaseSubnetIds"]
    assert group(stack)["subnetGroupName"] == subnets.id
    (sg,) = [g for g in plan(stack).of_type("aws:ec2/securityGroup:SecurityGroup") if g.name.endswith("-net-cache")]
    assert group(stack)["securityGroupIds"] == [sg.id]


@pytest.mark.parametrize(("stack", "ha", "days"), [("prod", True, 7), ("staging", False, 1)])
def test_failover_multi_az_and_snapshots_follow_the_config(stack: str, ha: bool, days: int) -> None:
    """Rule 13 (CKV2_AWS_50): prod fails over across zones; both keep daily snapshots."""
    rg = group(stack)
    assert (rg["automaticFailoverEnabled"], rg["multiAzEnabled"]) == (ha, ha)
    assert (rg["snapshotRetentionLimit"], rg["snapshotWindow"]) == (days, "05:00-06:00")
    assert rg["maintenanceWindow"] == "sun:06:00-sun:07:00"


@pytest.mark.parametrize("stack", STACKS)
def test_the_final_snapshot_is_named_once_per_lifetime_of_the_stack(stack: str) -> None:
    """Finding 6: a fixed ``<name>-final`` made the second destroy of staging fail
    (SnapshotAlreadyExistsFault); the name now carries a RandomId that lives and dies with the stack."""
    assert_final_snapshot_unique_per_lifetime(plan(stack), plan(stack).one(GROUP), PREFIX[stack])


@pytest.mark.parametrize("stack", STACKS)
def test_redis_7_with_minor_upgrades(stack: str) -> None:
    """Rule 14."""
    rg = group(stack)
    assert (rg["engine"], rg["engineVersion"], rg["autoMinorVersionUpgrade"]) == ("redis", "7.1", True)
    assert (rg["port"], plan(stack).outputs["cachePort"]) == (6379, 6379)


@pytest.mark.parametrize("stack", STACKS)
def test_slow_log_goes_to_its_log_group(stack: str) -> None:
    log_group = named(stack, "slow-log", "aws:cloudwatch/logGroup:LogGroup")
    assert group(stack)["logDeliveryConfigurations"] == [
        {
            "destination": log_group.inputs["name"],
            "destinationType": "cloudwatch-logs",
            "logFormat": "json",
            "logType": "slow-log",
        }
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_the_group_is_protected_in_prod_only(stack: str) -> None:
    """Rule 32."""
    assert plan(stack).one(GROUP).protect is (stack == "prod")


@pytest.mark.parametrize(
    ("shards", "replicas", "failover", "expected"),
    [(3, 1, True, True), (1, 1, True, True), (1, 0, False, False), (1, 2, False, False)],
)
def test_cluster_mode_whenever_elasticache_allows_it(
    shards: int, replicas: int, failover: bool, expected: bool
) -> None:
    base = load(stack_values("prod", "aws")).cache.model_dump(by_alias=True)
    cfg = Cache.model_validate(
        {**base, "shards": shards, "replicasPerShard": replicas, "automaticFailover": failover, "multiAz": failover}
    )
    assert clustered(cfg) is expected


@pytest.mark.parametrize(("stack", "days"), [("prod", 30), ("staging", 7)])
def test_slow_log_is_kept_for_the_database_log_retention(stack: str, days: int) -> None:
    assert named(stack, "slow-log", "aws:cloudwatch/logGroup:LogGroup").inputs["retentionInDays"] == days


@pytest.mark.parametrize("stack", STACKS)
def test_slow_log_is_encrypted_with_the_logs_key(stack: str) -> None:
    """Rule 39 (CKV_AWS_158)."""
    (key,) = [k for k in plan(stack).of_type("aws:kms/key:Key") if k.name.endswith("-keys-logs")]
    log_group = named(stack, "slow-log", "aws:cloudwatch/logGroup:LogGroup")
    assert log_group.inputs["kmsKeyId"] == f"arn:aws:kms:us-east-1:{ACCOUNT_ID}:key/{key.id}"


@pytest.mark.parametrize("stack", STACKS)
def test_the_auth_token_is_kept_in_secrets_manager_for_the_services(stack: str) -> None:
    """The services read the token with their own role; it never goes into a Kubernetes Secret. The
    secret is encrypted with the cache key and holds a Pulumi secret; the stack config keeps the
    token, so the secret is not protected, and is deleted at once where nothing is."""
    secret = named(stack, "auth-token", "aws:secretsmanager/secret:Secret")
    assert secret.inputs["kmsKeyId"] == plan(stack).outputs["keyIds"]["cache"]
    assert secret.inputs["recoveryWindowInDays"] == (30 if stack == "prod" else 0)
    assert secret.protect is False
    version = named(stack, "auth-token", "aws:secretsmanager/secretVersion:SecretVersion")
    assert (version.inputs["secretId"], version.inputs["secretString"]) == (secret.id, "[secret]")


class CapturingMocks(Mocks):
    """The fake cloud, keeping what each secret version was sent (the recording masks it)."""

    def __init__(self) -> None:
        super().__init__()
        self.sent: dict[str, Any] = {}

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if args.typ == "aws:secretsmanager/secretVersion:SecretVersion":
            self.sent[args.name] = args.inputs["secretString"]
        return super().new_resource(args)


def test_the_auth_token_secret_holds_the_configured_token_as_a_pulumi_secret() -> None:
    mocks = CapturingMocks()
    values = {**stack_values("staging", "aws"), "bettafish:redisAuthToken": TOKEN}
    run_offline(
        program_main, project="bettafish", stack="staging", config=values, secret_keys=[TOKEN_KEY], fake_cloud=mocks
    )
    sent = mocks.sent["bettafish-staging-cache-auth-token"]
    assert sent[_special_sig_key] == _special_secret_sig  # sent as a secret
    assert json.loads(sent["value"]) == {"authToken": TOKEN}
