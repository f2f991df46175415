"""Kubernetes settings each cloud can honour, checked before anything is registered: the version,
pod and service addressing, autoscaling bounds, spot share, and the version warnings."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from bettafish.config.checks import warnings
from bettafish.config.kubernetes_versions import version_catalog
from tests.config.test_loader import problems, set_path
from tests.mocks import CLOUDS, STACKS, edited, load, stack_values

K8S = "bettafish:kubernetes"


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (["version"], "1.20", "bettafish:kubernetes.version: aws offers 1.32, 1.33, 1.34, 1.35"),
        (["podCidr"], "10.0.128.0/17", "bettafish:kubernetes.podCidr: 10.0.128.0/17 overlaps network.cidr 10.0.0.0/16"),
        (["serviceCidr"], "10.0.200.0/24", "bettafish:kubernetes.serviceCidr: 10.0.200.0/24 overlaps network.cidr"),
        (["serviceCidr"], "172.20.0.0/26", "bettafish:kubernetes.serviceCidr: aws needs a /24 or larger service range"),
        (["podCidr"], "100.64.0.0/22", "bettafish:kubernetes.podCidr: 100.64.0.0/22 holds fewer than 32 nodes' pods"),
        (
            ["autoscaling", "maxCapacity"],
            31,
            "bettafish:kubernetes.autoscaling.maxCapacity: the node pools may grow to 32",
        ),
        (
            ["autoscaling", "minCapacity"],
            13,
            "bettafish:kubernetes.autoscaling.minCapacity: the node pools' minCounts add up to 12",
        ),
        (["spot", "maxPercent"], 5, "bettafish:kubernetes.spot.maxPercent: too small to give any pool a spot node"),
    ],
)
def test_cluster_settings_are_checked(path: list[Any], value: Any, expected: str) -> None:
    found = problems(edited(stack_values("prod", "aws"), K8S, set_path(path, value)))
    assert any(p.startswith(expected) for p in found), found


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            ["podCidr"],
            "172.20.0.0/16",
            "bettafish:kubernetes: podCidr 172.20.0.0/16 overlaps serviceCidr 172.20.0.0/16",
        ),
        (
            ["controlPlane", "privateEndpoint"],
            False,
            "bettafish:kubernetes.controlPlane: a public API endpoint needs authorizedCidrs",
        ),
        (
            ["controlPlane", "authorizedCidrs"],
            ["0.0.0.0/0"],
            "bettafish:kubernetes.controlPlane: authorizedCidrs must not contain 0.0.0.0/0",
        ),
        (["nodePools", "general", "zones"], [1, 1], "bettafish:kubernetes.nodePools.general: zones must be distinct"),
        (["admins", "aws"], ["admin"], "bettafish:kubernetes.admins.aws[0]: String should match pattern"),
    ],
)
def test_cluster_settings_are_validated(path: list[Any], value: Any, expected: str) -> None:
    found = problems(edited(stack_values("prod", "aws"), K8S, set_path(path, value)))
    assert any(p.startswith(expected) for p in found), found


def test_a_pool_name_too_long_for_aks_is_rejected() -> None:
    def rename(k8s: Any) -> Any:
        k8s["nodePools"]["generalpool"] = k8s["nodePools"].pop("general")
        return k8s

    found = problems(edited(stack_values("prod", "aws"), K8S, rename))
    assert any(p.startswith("bettafish:kubernetes.nodePools.generalpool.[key]: String should match") for p in found), (
        found
    )


def test_spot_companions_hold_at_most_max_percent_of_their_pool() -> None:
    k8s = load(stack_values("prod", "aws")).kubernetes
    assert {name: k8s.spot_max(pool) for name, pool in k8s.node_pools.items()} == {
        "general": 3,
        "compute": 3,
        "memory": 0,
    }
    assert k8s.total_max() == 32
    assert k8s.dns_service_ip() == "172.20.0.10"


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("stack", STACKS)
def test_the_stacks_run_a_version_in_standard_support_on_every_cloud(stack: str, cloud: str) -> None:
    config = load(stack_values(stack, cloud), stack)
    ends = version_catalog().of(config.cloud).standard_support_ends[config.kubernetes.version]
    assert ends > version_catalog().as_of
    assert warnings(config, version_catalog().as_of) == []


def test_a_version_past_standard_support_is_a_warning_not_an_error() -> None:
    config = load(edited(stack_values("prod", "aws"), K8S, set_path(["version"], "1.34")))
    (warning,) = warnings(config, date(2026, 12, 3))
    assert str(warning).startswith("bettafish:kubernetes.version: 1.34 left standard support on aws on 2026-12-02")
    assert warnings(config, date(2026, 12, 2)) == []
