"""Kubernetes settings AKS cannot honour are rejected at load time on Azure, each naming its key and
the cloud; the other clouds do not see them."""

from __future__ import annotations

from typing import Any

import pytest

from bettafish.config.checks.kubernetes_azure import weekly_slot
from tests.config.test_loader import problems, set_path
from tests.mocks import edited, load, stack_values

K8S = "bettafish:kubernetes"


def azure(path: list[Any], value: Any, key: str = K8S) -> dict[str, str]:
    return edited(stack_values("prod", "azure"), key, set_path(path, value))


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            ["controlPlane", "authorizedCidrs"],
            ["203.0.113.0/24"],
            "bettafish:kubernetes.controlPlane.authorizedCidrs: azure: a private AKS cluster has no public endpoint",
        ),
        (
            ["controlPlane", "zoneRedundant"],
            False,
            "bettafish:kubernetes.controlPlane.zoneRedundant: azure AKS Standard tier runs its control plane across",
        ),
        (["podCidr"], "172.31.0.0/16", "bettafish:kubernetes.podCidr: azure: 172.31.0.0/16 overlaps 172.31.0.0/16"),
        (["serviceCidr"], "169.254.0.0/16", "bettafish:kubernetes.serviceCidr: azure: 169.254.0.0/16 overlaps"),
        (["serviceCidr"], "172.0.0.0/11", "bettafish:kubernetes.serviceCidr: azure takes service ranges up to a /12"),
        (
            ["azure", "apiServerSubnet"],
            "10.9.30.0/27",
            "bettafish:kubernetes.azure.apiServerSubnet: 10.9.30.0/27 is outside",
        ),
        (["azure", "apiServerSubnet"], "10.0.30.0/29", "bettafish:kubernetes.azure.apiServerSubnet: AKS needs a /28"),
        (
            ["azure", "apiServerSubnet"],
            "10.0.12.0/28",
            "bettafish:kubernetes.azure.apiServerSubnet: 10.0.12.0/28 overlaps the private",
        ),
        (
            ["azure", "systemPool", "spot"],
            True,
            "bettafish:kubernetes.azure.systemPool.spot: AKS System pools take no Spot capacity",
        ),
        (
            ["azure", "systemPool", "minCount"],
            2,
            "bettafish:kubernetes.azure.systemPool.minCount: AKS System pools keep a node",
        ),
        (["azure", "systemPool", "zones"], [1, 4], "bettafish:kubernetes.azure.systemPool.zones[1]: zone 4 of 3"),
        (
            ["nodePools", "memory"],
            {
                "size": {"vcpus": 2, "memoryGib": 16, "family": "memory"},
                "count": 1,
                "minCount": 1,
                "maxCount": 1,
                "zones": [1, 2],
                "spot": False,
            },
            "bettafish:kubernetes.nodePools.memory.maxCount: azure runs one agent pool per zone",
        ),
        (
            ["nodePools", "general", "size", "pin"],
            {"azure": "Standard_B2ms"},
            "bettafish:kubernetes.nodePools.general.size.pin.azure: Azure Spot offers no B-series",
        ),
        (
            ["autoscaling", "scaleUpCooldownSeconds"],
            90,
            "bettafish:kubernetes.autoscaling.scaleUpCooldownSeconds: the AKS",
        ),
        (["spot", "fallbackToOnDemand"], False, "bettafish:kubernetes.spot.fallbackToOnDemand: azure: the AKS cluster"),
        (
            ["addons"],
            ["clusterAutoscaler", "metricsServer", "blockStorageCsi"],
            "bettafish:kubernetes.addons: azure: list loadBalancerController",
        ),
        (
            ["addons"],
            ["loadBalancerController", "metricsServer", "blockStorageCsi"],
            "bettafish:kubernetes.addons: azure: spot pools start empty",
        ),
        (
            ["azure", "maintenanceWindow"],
            "sun:00:00-sun:02:00",
            "bettafish:kubernetes.azure.maintenanceWindow: AKS maintenance windows last 4",
        ),
        (
            ["azure", "maintenanceWindow"],
            "sun:00:00-sun:04:30",
            "bettafish:kubernetes.azure.maintenanceWindow: AKS maintenance windows last 4",
        ),
    ],
)
def test_what_aks_cannot_honour_is_rejected(path: list[Any], value: Any, expected: str) -> None:
    found = problems(azure(path, value))
    assert any(p.startswith(expected) for p in found), found


def test_the_azure_block_is_required_on_azure_only() -> None:
    def without(k8s: Any) -> Any:
        del k8s["azure"]
        return k8s

    found = problems(edited(stack_values("prod", "azure"), K8S, without))
    assert (
        "bettafish:kubernetes.azure: azure needs apiServerSubnet, ingressSubnet, systemPool and maintenanceWindow"
        in found
    )
    assert load(edited(stack_values("prod", "aws"), K8S, without)).kubernetes.azure is None


def test_a_pool_named_like_the_system_pool_or_too_long_for_an_agent_pool_is_rejected() -> None:
    def rename(k8s: Any) -> Any:
        k8s["nodePools"]["system"] = k8s["nodePools"].pop("memory")
        k8s["nodePools"]["generals"] = k8s["nodePools"].pop("general")
        return k8s

    found = problems(edited(stack_values("prod", "azure"), K8S, rename))
    assert any(p.startswith("bettafish:kubernetes.nodePools.system: azure names its System pool so") for p in found)
    assert any(
        p.startswith("bettafish:kubernetes.nodePools.generals: azure agent pool names take at most 12") for p in found
    )


def test_the_system_pool_counts_against_max_capacity_and_the_pod_range() -> None:
    values = azure(["azure", "kubernetes", "autoscaling", "maxCapacity"], 34, "bettafish:cloudOverrides")
    found = problems(edited(values, K8S, set_path(["podCidr"], "100.64.0.0/20")))
    assert any(
        p.startswith(
            "bettafish:kubernetes.autoscaling.maxCapacity: azure: the node pools with their spot companions"
            " and the System pool may grow to 35 nodes"
        )
        for p in found
    ), found
    assert any(p.startswith("bettafish:kubernetes.podCidr: azure: 100.64.0.0/20 holds fewer than 35") for p in found)


def test_control_plane_logs_need_a_retention_log_analytics_keeps() -> None:
    found = problems(azure(["logRetention", "applicationDays"], 7, "bettafish:monitoring"))
    assert any(p.startswith("bettafish:monitoring.logRetention.applicationDays: azure keeps AKS") for p in found), found


@pytest.mark.parametrize(
    ("window", "day", "start", "hours"),
    [
        ("sun:00:00-sun:04:00", "Sunday", "00:00", 4),
        ("sat:22:00-sun:02:00", "Saturday", "22:00", 4),
        ("mon:01:00-mon:01:30", "Monday", "01:00", None),
    ],
)
def test_weekly_windows_become_aks_schedules(window: str, day: str, start: str, hours: int | None) -> None:
    slot = weekly_slot(window)
    assert (slot.day, slot.start, slot.hours) == (day, start, hours)
