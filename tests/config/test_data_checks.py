"""What each cloud's data tier can honour is checked before anything is registered."""

from __future__ import annotations

from typing import Any

import pytest

from bettafish.config import ConfigError
from tests.config.test_loader import problems, set_path, without_overrides
from tests.mocks import edited, load, stack_values


@pytest.mark.parametrize(
    ("cloud", "section", "path", "value", "expected"),
    [
        (
            "gcp",
            "bettafish:cache",
            ["replicasPerShard"],
            3,
            "bettafish:cache.replicasPerShard: gcp allows at most 2 per shard",
        ),
        (
            "azure",
            "bettafish:cache",
            ["replicasPerShard"],
            2,
            "bettafish:cache.replicasPerShard: azure allows at most 1 per shard",
        ),
        (
            "aws",
            "bettafish:cache",
            ["maintenanceWindow"],
            "sun:05:30-sun:06:30",
            "bettafish:cache.maintenanceWindow: aws needs it apart from cache.snapshots.window",
        ),
        (
            "aws",
            "bettafish:database",
            ["maintenanceWindow"],
            "sun:03:30-sun:04:30",
            "bettafish:database.maintenanceWindow: aws needs it apart from database.backup.window",
        ),
        (
            "aws",
            "bettafish:database",
            ["storage", "iops"],
            60000,
            "bettafish:database.storage.iops: aws io1 needs at least 100 GB and at most 50 IOPS per GB",
        ),
        (
            "aws",
            "bettafish:database",
            ["storage", "throughputMbps"],
            3000,
            "bettafish:database.storage.throughputMbps: aws io1 throughput follows IOPS",
        ),
        (
            "azure",
            "bettafish:database",
            ["crossRegionCopy", "regions", "azure"],
            "westus2",
            "bettafish:database.crossRegionCopy.regions.azure: azure copies geo-redundant backups to the paired region westus only",
        ),
        (
            "gcp",
            "bettafish:encryption",
            ["keyRotationDays"],
            180,
            "bettafish:encryption.keyRotationDays: gcp keys must rotate at least every 90 days",
        ),
        (
            "gcp",
            "bettafish:monitoring",
            ["logRetention", "databaseDays"],
            4000,
            "bettafish:monitoring.logRetention.databaseDays: gcp keeps Cloud SQL logs in a log bucket,"
            " which holds entries at most 3650 days",
        ),
    ],
)
def test_what_a_cloud_cannot_honour_is_rejected(
    cloud: str, section: str, path: list[Any], value: Any, expected: str
) -> None:
    values = edited(stack_values("prod", cloud), section, set_path(path, value))
    found = problems(values)
    assert len(found) == 1
    assert found[0].startswith(expected), found


def test_aws_gp3_takes_iops_and_throughput_only_from_400_gb() -> None:
    small_gp3 = {"sizeGb": 100, "type": "generalPurpose", "iops": 3000, "throughputMbps": 125}
    values = edited(stack_values("prod", "aws"), "bettafish:database", set_path(["storage"], small_gp3))
    assert problems(values) == [
        "bettafish:database.storage.sizeGb: aws gp3 takes iops and throughput only from 400 GB",
        "bettafish:database.storage.iops: aws gp3 takes 12000 to 64000 IOPS",
        "bettafish:database.storage.throughputMbps: aws gp3 takes 500 to 4000 MB/s",
    ]


def test_aws_cluster_mode_needs_automatic_failover() -> None:
    def no_failover(cache: dict[str, Any]) -> dict[str, Any]:
        return {**cache, "automaticFailover": False, "multiAz": False}

    values = edited(stack_values("prod", "aws"), "bettafish:cache", no_failover)
    assert problems(values) == [
        "bettafish:cache.automaticFailover: aws needs it for more than one shard (cluster mode)"
    ]
    gcp = edited(stack_values("prod", "gcp"), "bettafish:cache", no_failover)
    assert problems(gcp) == [
        "bettafish:cache.automaticFailover: gcp Memorystore always fails over to a replica; set true"
    ]
    assert load(edited(gcp, "bettafish:cache", lambda cache: {**cache, "replicasPerShard": 0}))


@pytest.mark.parametrize(("value", "ok"), [(89, False), (90, True), (2560, True), (2561, False)])
def test_key_rotation_bounds(value: int, ok: bool) -> None:
    values = edited(stack_values(), "bettafish:encryption", set_path(["keyRotationDays"], value))
    if ok:
        assert load(values).encryption.key_rotation_days == value
    else:
        with pytest.raises(ConfigError, match=r"bettafish:encryption\.keyRotationDays"):
            load(values)


def test_aws_needs_a_redis_auth_token() -> None:
    values = {k: v for k, v in stack_values("prod", "aws").items() if k != "bettafish:redisAuthToken"}
    assert problems(values) == [
        "bettafish:redisAuthToken: required on aws: pulumi config set --secret bettafish:redisAuthToken <token>"
    ]


@pytest.mark.parametrize("cloud", ["gcp", "azure"])
def test_gcp_and_azure_issue_their_own_cache_credentials(cloud: str) -> None:
    values = {k: v for k, v in stack_values("prod", cloud).items() if k != "bettafish:redisAuthToken"}
    assert load(values).cloud == cloud


@pytest.mark.parametrize("token", ["short", "has/slash-but-long-enough", 'has"quote-but-long-enough'])
def test_a_malformed_token_is_rejected_without_echoing_it(token: str) -> None:
    values = {**stack_values("prod", "aws"), "bettafish:redisAuthToken": token}
    (problem,) = problems(values)
    assert problem.startswith("bettafish:redisAuthToken: must be 16 to 128 printable characters")
    assert token not in problem


@pytest.mark.parametrize(
    ("section", "path", "value", "expected"),
    [
        (
            "bettafish:database",
            ["storage", "sizeGb"],
            2000,
            "bettafish:database.snapshots.retentionDays: azure keeps snapshots beyond the automated",
        ),
        (None, None, None, "bettafish:cache.port: azure Managed Redis serves on 10000 only"),
        (None, None, None, "bettafish:cache.snapshots.retentionDays: azure Managed Redis keeps no backup history"),
        ("bettafish:database", ["port"], 6432, "bettafish:database.port: azure flexible servers listen on 5432 only"),
        (
            "bettafish:database",
            ["storage", "iops"],
            90000,
            "bettafish:database.storage.iops: azure flexible servers with a customer-managed key",
        ),
        (
            "bettafish:database",
            ["maintenanceWindow"],
            "sun:04:00-sun:06:00",
            "bettafish:database.maintenanceWindow: azure takes a one-hour window",
        ),
        (
            "bettafish:storage",
            ["abortIncompleteUploadDays"],
            3,
            "bettafish:storage.abortIncompleteUploadDays: azure discards uncommitted blocks",
        ),
    ],
)
def test_azure_rejects_what_it_cannot_honour_without_its_overrides(
    section: str | None, path: list[Any] | None, value: Any, expected: str
) -> None:
    values = {k: v for k, v in stack_values("prod", "azure").items() if k != "bettafish:cloudOverrides"}
    if section is not None and path is not None:
        values = edited(values, section, set_path(path, value))
    assert any(p.startswith(expected) for p in problems(values))


def test_flows_must_open_the_service_ports() -> None:
    values = edited(stack_values("prod", "aws"), "bettafish:cache", set_path(["port"], 6380))
    assert problems(values) == ["bettafish:network.flows[4].ports: must open cache.port 6380"]


def test_azure_rejects_the_specs_provisioned_iops_naming_the_keys_and_the_reason() -> None:
    # Finding 1: the spec's io1 10,000 IOPS / 1,000 MB/s cannot be had with a customer key, HA, geo-redundant
    # backups and replicas: only Premium SSD takes them, a 1 TiB one reaches P50 (7,500 IOPS, 250 MB/s) at
    # most, and Standard_E4ds_v5 serves 6,400 IOPS and 145 MB/s. Prod's cloudOverrides.azure says so.
    values = without_overrides(stack_values("prod", "azure"), "database")
    ceiling = (
        "azure flexible servers with a customer-managed key, high availability, geo-redundant backups or read"
        " replicas need Premium SSD (Premium SSD v2 takes none of them), and a 1024 GiB Premium SSD reaches at"
        " most tier P50: 7500 IOPS and 250 MB/s"
    )
    assert problems(values) == [
        f"bettafish:database.storage.iops: {ceiling}",
        f"bettafish:database.storage.throughputMbps: {ceiling}",
        "bettafish:database.storage.iops: azure Standard_E4ds_v5 serves at most 6400 IOPS from its disk",
        "bettafish:database.storage.throughputMbps: azure Standard_E4ds_v5 serves at most 145 MB/s from its disk",
    ]


@pytest.mark.parametrize(("iops", "ok"), [(5000, True), (6400, True), (7501, False)])
def test_azure_takes_iops_up_to_the_highest_tier_of_the_disk_size(iops: int, ok: bool) -> None:
    # 1 TiB runs at P30 (5,000), P40 or P50 (7,500); a larger machine lifts the server's own cap.
    values = edited(
        stack_values("prod", "azure"),
        "bettafish:database",
        lambda db: (
            db | {"size": {"vcpus": 4, "memoryGib": 32, "family": "memory", "pin": {"azure": "Standard_E4ds_v5"}}}
        ),
    )
    values = edited(
        values,
        "bettafish:cloudOverrides",
        lambda clouds: (
            clouds | {"azure": clouds["azure"] | {"database": {"storage": {"iops": iops, "throughputMbps": 145}}}}
        ),
    )
    if ok:
        assert load(values).database.storage.iops == iops
    else:
        assert any("reaches at most tier P50: 7500 IOPS" in p for p in problems(values))
