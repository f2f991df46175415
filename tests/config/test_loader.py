"""The stack files load on every cloud; every kind of bad input ends in one clear message per key."""

from __future__ import annotations

from typing import Any

import pytest

from bettafish.config import ConfigError, disaster_recovery
from tests.mocks import CLOUDS, STACKS, edited, load, stack_values


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("stack", STACKS)
def test_stack_files_are_valid_on_every_cloud(stack: str, cloud: str) -> None:
    config = load(stack_values(stack, cloud), stack)
    assert config.cloud == cloud
    assert (config.identity.project, config.identity.stack) == ("bettafish", stack)


def test_prod_carries_the_specs_numbers() -> None:
    config = load(stack_values("prod"))
    assert str(config.network.cidr) == "10.0.0.0/16"
    assert config.network.nat_gateways == "perZone"
    assert (config.services.api_gateway.min_replicas, config.services.api_gateway.max_replicas) == (3, 10)
    assert config.services.api_gateway.health_check is not None
    assert config.services.api_gateway.health_check.path == "/api/v1/health"
    assert (config.database.storage.size_gb, config.database.storage.iops) == (1000, 10000)
    assert (config.database.backup.retention_days, config.database.snapshots.retention_days) == (30, 90)
    assert config.database.read_replicas.count == 2
    assert (config.cache.shards, config.cache.replicas_per_shard, config.cache.reserved_memory_percent) == (3, 1, 25)
    assert config.storage.buckets.reports.expire_days == 2555
    assert config.budget.monthly_amount == 10000
    assert config.disaster_recovery.recovery_point.database_minutes == 5


def test_staging_is_smaller_but_still_private_and_encrypted() -> None:
    prod, staging = load(stack_values("prod")), load(stack_values("staging"), "staging")
    assert staging.network.nat_gateways == "single"
    assert staging.database.read_replicas.count == 0
    assert staging.database.backup.retention_days < prod.database.backup.retention_days
    assert sum(p.count for p in staging.kubernetes.node_pools.values()) < sum(
        p.count for p in prod.kubernetes.node_pools.values()
    )
    assert staging.database.snapshots.encrypted is True
    assert staging.kubernetes.control_plane.private_endpoint is True


def without_overrides(values: dict[str, str], section: str) -> dict[str, str]:
    """``values`` where no cloud overrides ``bettafish:<section>`` (the stack's own numbers apply)."""
    return edited(
        values,
        "bettafish:cloudOverrides",
        lambda clouds: {c: {k: v for k, v in p.items() if k != section} for c, p in clouds.items()},
    )


def problems(values: dict[str, str]) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        load(values)
    return [str(issue) for issue in caught.value.issues]


def set_path(path: list[Any], value: Any) -> Any:
    def change(tree: Any) -> Any:
        node = tree
        for part in path[:-1]:
            node = node[part]
        node[path[-1]] = value
        return tree

    return change


def drop(path: list[Any]) -> Any:
    def change(tree: Any) -> Any:
        node = tree
        for part in path[:-1]:
            node = node[part]
        del node[path[-1]]
        return tree

    return change


BAD_NETWORK = [
    (
        ["subnets", "private", 1],
        "10.0.300.0/24",
        "bettafish:network.subnets.private[1]: '10.0.300.0/24' is not a valid IPv4 CIDR",
    ),
    (
        ["subnets", "private", 1],
        "10.0.12.5/24",
        "bettafish:network.subnets.private[1]: '10.0.12.5/24' is not a valid IPv4 CIDR",
    ),
    (
        ["subnets", "private", 1],
        "10.0.11.0/24",
        "bettafish:network.subnets.private[1]: 10.0.11.0/24 overlaps network.subnets.private[0]",
    ),
    (
        ["subnets", "database", 2],
        "10.9.23.0/24",
        "bettafish:network.subnets.database[2]: 10.9.23.0/24 is outside network.cidr 10.0.0.0/16",
    ),
    (
        ["subnets", "public", 0],
        "10.0.1.0/29",
        "bettafish:network.subnets.public[0]: 10.0.1.0/29: subnets must be /16 to /28",
    ),
    (["cidr"], "10.0.0.0/33", "bettafish:network.cidr: '10.0.0.0/33' is not a valid IPv4 CIDR"),
    (
        ["zones", "aws", 1],
        "us-west-2b",
        "bettafish:network.zones.aws[1]: 'us-west-2b' is not a aws zone of region us-east-1",
    ),
    (["natGateways"], "everywhere", "bettafish:network.natGateways: Input should be 'perZone' or 'single'"),
    (["flowLogs", "retentionDays"], 45, "bettafish:network.flowLogs.retentionDays: aws CloudWatch Logs accepts"),
    (["colour"], "blue", "bettafish:network.colour: unknown key"),
]


@pytest.mark.parametrize(("path", "value", "expected"), BAD_NETWORK)
def test_bad_network_values_name_their_key(path: list[Any], value: Any, expected: str) -> None:
    found = problems(edited(stack_values(), "bettafish:network", set_path(path, value)))
    assert any(p.startswith(expected) for p in found), found


def test_subnet_count_must_match_zones() -> None:
    values = edited(stack_values(), "bettafish:network", drop(["subnets", "public", 2]))
    assert problems(values) == ["bettafish:network.subnets.public: needs one CIDR per zone (3), got 2"]


def test_the_internet_reaches_only_the_load_balancers_web_ports() -> None:
    flow = {"name": "ssh-from-anywhere", "from": "internet", "to": "application", "ports": [22]}
    values = edited(stack_values(), "bettafish:network", lambda n: {**n, "flows": [*n["flows"], flow]})
    assert problems(values) == [
        "bettafish:network.flows[5]: the internet may only reach the loadBalancer, on ports 80 and 443"
    ]


def test_min_above_max_names_the_service() -> None:
    values = edited(stack_values(), "bettafish:services", set_path(["apiGateway", "minReplicas"], 12))
    assert problems(values) == ["bettafish:services.apiGateway: minReplicas 12 is above maxReplicas 10"]


def test_wrong_type_names_the_key() -> None:
    values = edited(stack_values(), "bettafish:kubernetes", set_path(["nodePools", "general", "count"], "six"))
    assert problems(values) == [
        "bettafish:kubernetes.nodePools.general.count: Input should be a valid integer, unable to parse string as an integer"
    ]


def test_a_value_that_is_not_a_mapping() -> None:
    values = {**stack_values(), "bettafish:network": "10.0.0.0/16"}
    assert problems(values) == ["bettafish:network: Input should be a valid dictionary or instance of Network"]


def test_unknown_top_level_key() -> None:
    values = {**stack_values(), "bettafish:netwrok": "{}"}
    assert problems(values) == ["bettafish:netwrok: unknown key"]


def test_missing_section() -> None:
    values = {k: v for k, v in stack_values().items() if k != "bettafish:cache"}
    assert problems(values) == ["bettafish:cache: Field required"]


def test_unknown_cloud_lists_the_choices() -> None:
    values = {**stack_values(), "bettafish:cloud": "oracle"}
    assert problems(values) == ["bettafish:cloud: unknown cloud 'oracle'; choose one of aws, gcp, azure"]


@pytest.mark.parametrize(
    ("cloud", "key", "expected"),
    [
        ("aws", "aws:region", "aws:region: Field required (needed when bettafish:cloud is aws)"),
        ("gcp", "gcp:region", "gcp:region: Field required (needed when bettafish:cloud is gcp)"),
        ("gcp", "gcp:project", "gcp:project: required when bettafish:cloud is gcp"),
        (
            "azure",
            "azure-native:location",
            "azure-native:location: Field required (needed when bettafish:cloud is azure)",
        ),
    ],
)
def test_missing_provider_setting(cloud: str, key: str, expected: str) -> None:
    values = {k: v for k, v in stack_values("prod", cloud).items() if k != key}
    assert problems(values) == [expected]


def test_settings_of_other_clouds_are_not_required() -> None:
    values = {k: v for k, v in stack_values("prod", "aws").items() if not k.startswith(("gcp:", "azure-native:"))}
    assert load(values).provider.region == "us-east-1"


def test_every_problem_is_reported_at_once() -> None:
    values = edited(stack_values(), "bettafish:network", set_path(["subnets", "private", 1], "bad"))
    values = edited(values, "bettafish:services", set_path(["queryEngine", "maxReplicas"], 0))
    values = edited(values, "bettafish:cache", set_path(["shardz"], 3))
    found = problems(values)
    assert [p.split(":")[1] for p in found] == [
        "network.subnets.private[1]",
        "services.queryEngine.maxReplicas",
        "cache.shardz",
    ]


@pytest.mark.parametrize(
    ("cloud", "path", "value", "expected"),
    [
        (
            "gcp",
            ["flowLogs", "trafficType"],
            "REJECT",
            "bettafish:network.flowLogs.trafficType: gcp always logs accepted and rejected traffic; use ALL",
        ),
        (
            "azure",
            ["flowLogs", "aggregationIntervalSeconds"],
            600,
            "bettafish:network.flowLogs.aggregationIntervalSeconds: azure aggregates flow logs every 60 seconds",
        ),
        (
            "azure",
            ["publicIpOnLaunch"],
            True,
            "bettafish:network.publicIpOnLaunch: azure has no per-subnet public IP on launch; set false",
        ),
        (
            "azure",
            ["flowLogs", "retentionDays"],
            400,
            "bettafish:network.flowLogs.retentionDays: azure keeps flow logs at most 365 days, got 400",
        ),
    ],
)
def test_settings_a_cloud_cannot_honour_are_rejected(cloud: str, path: list[Any], value: Any, expected: str) -> None:
    values = edited(stack_values("prod", cloud), "bettafish:network", set_path(path, value))
    assert problems(values) == [expected]


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (["flowLogs", "trafficType"], "REJECT"),
        (["flowLogs", "aggregationIntervalSeconds"], 600),
        (["publicIpOnLaunch"], True),
    ],
)
def test_aws_honours_the_flow_log_and_public_ip_settings(path: list[Any], value: Any) -> None:
    assert load(edited(stack_values("prod", "aws"), "bettafish:network", set_path(path, value)))


@pytest.mark.parametrize(("cloud", "ok"), [("aws", False), ("azure", False), ("gcp", True)])
def test_backup_retention_respects_each_clouds_limit(cloud: str, ok: bool) -> None:
    values = without_overrides(stack_values("prod", cloud), "database")
    values = edited(values, "bettafish:database", set_path(["backup", "retentionDays"], 60))
    if ok:
        assert load(values).database.backup.retention_days == 60
    else:
        assert f"bettafish:database.backup.retentionDays: {cloud} keeps automated backups at most 35 days" in (
            problems(values)
        )


def test_regional_clouds_reject_tiers_whose_covering_ranges_overlap() -> None:
    spread = ["10.0.1.0/24", "10.0.2.0/24", "10.0.14.0/24"]  # covers 10.0.0.0/20, over the private tier
    assert load(edited(stack_values("prod", "aws"), "bettafish:network", set_path(["subnets", "public"], spread)))
    for cloud in ("gcp", "azure"):
        values = edited(stack_values("prod", cloud), "bettafish:network", set_path(["subnets", "public"], spread))
        found = problems(values)
        assert found
        assert found[0].startswith(
            f"bettafish:network.subnets.public: on {cloud} this tier becomes one regional subnet 10.0.0.0/20"
        )


def test_azure_needs_room_for_a_postgres_and_a_cache_subnet_in_the_database_tier() -> None:
    def one_zone(network: dict[str, Any]) -> dict[str, Any]:
        network["zones"]["azure"] = ["1"]
        network["subnets"] = {"public": ["10.0.1.0/24"], "private": ["10.0.11.0/24"], "database": ["10.0.21.0/28"]}
        return network

    assert (
        "bettafish:network.subnets.database: azure splits the tier's range 10.0.21.0/28 into a PostgreSQL subnet"
        " and a cache subnet of at least /28 each; the tier needs a /27 or larger"
    ) in problems(edited(stack_values("prod", "azure"), "bettafish:network", one_zone))


def test_sizes_must_exist_in_the_clouds_catalog() -> None:
    values = edited(
        stack_values(), "bettafish:database", set_path(["size"], {"vcpus": 64, "memoryGib": 512, "family": "memory"})
    )
    assert problems(values) == [
        "bettafish:database.size: no aws database type in family memory has 64 vCPUs and 512.0 GiB"
    ]


def test_a_services_node_pool_must_exist() -> None:
    values = edited(stack_values(), "bettafish:services", set_path(["mediaEngine", "nodePool"], "gpu"))
    assert problems(values) == [
        "bettafish:services.mediaEngine.nodePool: unknown node pool 'gpu'; have ['compute', 'general', 'memory']"
    ]


def test_a_short_database_rpo_needs_point_in_time_recovery(monkeypatch: pytest.MonkeyPatch) -> None:
    # GCP is the cloud where point-in-time recovery can be turned off; its documented database
    # mechanism keeps a day at best, so the spec's 5 minutes are judged here without that table.
    monkeypatch.setattr(disaster_recovery, "recovery_mechanisms", lambda cloud: {})
    values = edited(
        without_overrides(stack_values("prod", "gcp"), "disasterRecovery"),
        "bettafish:database",
        set_path(["backup", "pointInTimeRecovery"], False),
    )
    assert problems(values) == [
        "bettafish:database.backup.pointInTimeRecovery: a database RPO under a day needs point-in-time recovery"
    ]


def test_secret_keys_are_not_config_model_fields() -> None:
    values = {**stack_values(), "bettafish:redisAuthToken": "s3cr3t-token-0123456789"}
    config = load(values)
    assert "s3cr3t-token" not in config.model_dump_json()
