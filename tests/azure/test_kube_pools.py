"""Azure KubeCluster node pools: one agent pool per configured pool and zone on that zone's private
subnet, counts that add up to the config's totals, the System pool, spot companions, the cluster
autoscaler (rule 24 resilience, rule 23 no public IPs on nodes), as recorded from the real program."""

from __future__ import annotations

from collections import defaultdict
from typing import Any

import pytest
import yaml

from components.kube_cluster import CAPACITY_LABEL, POOL_LABEL, SPOT_TAINT_KEY
from tests.azure.kube import (
    AGENT_POOL,
    CONFIG_MAP,
    K8S_PROVIDER,
    cluster,
    cluster_inputs,
    config,
    edited_plan,
    k8s,
    plan,
    pools,
    vpc_child,
)
from tests.azure.stacks import STACKS, of_type

EXPECTED = {
    "prod": {
        # name: (zone, count, min, max, VM size, mode, spot)
        "system1": ("1", 1, 1, 1, "Standard_D4s_v5", "System", False),
        "system2": ("2", 1, 1, 1, "Standard_D4s_v5", "System", False),
        "system3": ("3", 1, 1, 1, "Standard_D4s_v5", "System", False),
        "general1": ("1", 2, 2, 5, "Standard_B2ms", "User", False),
        "general2": ("2", 2, 2, 4, "Standard_B2ms", "User", False),
        "general3": ("3", 2, 2, 4, "Standard_B2ms", "User", False),
        # Azure Spot has no B-series: the companion takes the general size of the same shape.
        "generalspot1": ("1", 0, 0, 1, "Standard_D2s_v5", "User", True),
        "generalspot2": ("2", 0, 0, 1, "Standard_D2s_v5", "User", True),
        "generalspot3": ("3", 0, 0, 1, "Standard_D2s_v5", "User", True),
        "compute1": ("1", 2, 2, 5, "Standard_F8s_v2", "User", False),
        "compute2": ("2", 2, 2, 5, "Standard_F8s_v2", "User", False),
        "computespot1": ("1", 0, 0, 2, "Standard_F8s_v2", "User", True),
        "computespot2": ("2", 0, 0, 1, "Standard_F8s_v2", "User", True),
        "memory1": ("1", 1, 1, 2, "Standard_E2s_v5", "User", False),
        "memory2": ("2", 1, 1, 1, "Standard_E2s_v5", "User", False),
    },
    "staging": {
        "system1": ("1", 1, 1, 1, "Standard_D2s_v5", "System", False),
        "system2": ("2", 1, 1, 1, "Standard_D2s_v5", "System", False),
        "general1": ("1", 1, 1, 3, "Standard_B2ms", "User", False),
        "general2": ("2", 1, 1, 3, "Standard_B2ms", "User", False),
        "generalspot1": ("1", 0, 0, 1, "Standard_D2s_v5", "User", True),
        "compute1": ("1", 1, 1, 2, "Standard_F8s_v2", "User", False),
        "compute2": ("2", 1, 1, 2, "Standard_F8s_v2", "User", False),
        "computespot1": ("1", 0, 0, 1, "Standard_F8s_v2", "User", True),
        "memory1": ("1", 1, 1, 2, "Standard_E2s_v5", "User", False),
    },
}


def shape(pool: dict[str, Any]) -> tuple[Any, ...]:
    spot = pool.get("scaleSetPriority") == "Spot"
    (zone,) = pool["availabilityZones"]
    return zone, pool["count"], pool["minCount"], pool["maxCount"], pool["vmSize"], pool["mode"], spot


@pytest.mark.parametrize("stack", STACKS)
def test_one_agent_pool_per_pool_and_zone_with_the_expected_shape(stack: str) -> None:
    assert {name: shape(pool) for name, pool in pools(stack).items()} == EXPECTED[stack]


@pytest.mark.parametrize("stack", STACKS)
def test_counts_are_totals_over_the_zones_as_on_every_cloud(stack: str) -> None:
    k8s_config = config(stack).kubernetes
    totals: defaultdict[str, list[int]] = defaultdict(lambda: [0, 0, 0])
    for pool in pools(stack).values():
        if pool.get("scaleSetPriority") != "Spot" and pool["mode"] == "User":
            for i, field in enumerate(("count", "minCount", "maxCount")):
                totals[pool["nodeLabels"][POOL_LABEL]][i] += pool[field]
    assert dict(totals) == {name: [p.count, p.min_count, p.max_count] for name, p in k8s_config.node_pools.items()}
    spot_max: defaultdict[str, int] = defaultdict(int)
    for pool in pools(stack).values():
        if pool.get("scaleSetPriority") == "Spot":
            spot_max[pool["nodeLabels"][POOL_LABEL]] += pool["maxCount"]
    assert dict(spot_max) == {
        n: k8s_config.spot_max(p) for n, p in k8s_config.node_pools.items() if k8s_config.spot_max(p)
    }


@pytest.mark.parametrize("stack", STACKS)
def test_each_pool_sits_in_its_zones_private_subnet(stack: str) -> None:
    zones = config(stack).network.zones.of("azure")
    for name, pool in pools(stack).items():
        (zone,) = pool["availabilityZones"]
        assert pool["vnetSubnetID"] == vpc_child(stack, f"private-{zones.index(zone) + 1}").id, name


def test_rule_24_prod_pools_span_two_zones_or_more_with_two_nodes_at_least() -> None:
    zones: defaultdict[str, set[str]] = defaultdict(set)
    floor: defaultdict[str, int] = defaultdict(int)
    for pool in pools("prod").values():
        if pool.get("scaleSetPriority") != "Spot":
            zones[pool["nodeLabels"][POOL_LABEL]] |= set(pool["availabilityZones"])
            floor[pool["nodeLabels"][POOL_LABEL]] += pool["minCount"]
    assert all(len(found) >= 2 for found in zones.values()), zones
    assert all(nodes >= 2 for nodes in floor.values()), floor
    assert zones["system"] == {"1", "2", "3"}


@pytest.mark.parametrize("stack", STACKS)
def test_rule_23_no_node_has_a_public_ip(stack: str) -> None:
    assert all(pool["enableNodePublicIP"] is False for pool in pools(stack).values())


@pytest.mark.parametrize("stack", STACKS)
def test_pools_are_labelled_tainted_and_hardened(stack: str) -> None:
    version = config(stack).kubernetes.version
    for name, pool in pools(stack).items():
        spot = pool.get("scaleSetPriority") == "Spot"
        assert pool["nodeLabels"][CAPACITY_LABEL] == ("spot" if spot else "on-demand"), name
        assert (pool["osSKU"], pool["osDiskType"], pool["maxPods"]) == ("AzureLinux", "Managed", 110), name
        assert pool["orchestratorVersion"] == version
        if spot:
            assert pool["nodeTaints"] == [
                f"{SPOT_TAINT_KEY}=true:NoSchedule",
                "kubernetes.azure.com/scalesetpriority=spot:NoSchedule",
            ]
            assert (pool["scaleSetEvictionPolicy"], pool["spotMaxPrice"]) == ("Delete", -1)
        elif pool["mode"] == "System":
            assert pool["nodeTaints"] == ["CriticalAddonsOnly=true:NoSchedule"]
            assert pool["nodeLabels"][POOL_LABEL] == "system"
        else:
            assert pool["nodeTaints"] == []


@pytest.mark.parametrize("stack", STACKS)
def test_the_autoscaler_owns_the_node_counts_and_pools_are_created_one_at_a_time(stack: str) -> None:
    assert cluster(stack).options["ignoreChanges"] == ["agentPoolProfiles[0].count"]
    created = sorted(
        of_type(stack, "k8s", AGENT_POOL), key=lambda r: list(EXPECTED[stack]).index(r.inputs["agentPoolName"])
    )
    for previous, pool in zip([None, *created], created, strict=False):
        assert "count" in pool.options["ignoreChanges"]
        assert pool.options["deleteBeforeReplace"] is True
        assert pool.inputs["enableAutoScaling"] is True
        if previous is not None:
            assert pool.options["dependsOn"] == [previous.urn]
    assert k8s(stack, "aksManagedAutoUpgradeSchedule").options["dependsOn"] == [created[-1].urn]


@pytest.mark.parametrize("stack", STACKS)
def test_the_autoscaler_paces_from_config_and_balances_the_zones(stack: str) -> None:
    scaling = config(stack).kubernetes.autoscaling
    assert cluster_inputs(stack)["autoScalerProfile"] == {
        "balanceSimilarNodeGroups": "true",
        "expander": "priority",
        "scaleDownDelayAfterAdd": f"{scaling.scale_up_cooldown_seconds // 60}m",
        "scaleDownUnneededTime": f"{scaling.scale_down_cooldown_seconds // 60}m",
        "scaleDownUtilizationThreshold": f"{scaling.target_cpu_percent / 100:g}",
    }


@pytest.mark.parametrize("stack", STACKS)
def test_spot_pools_come_first_and_on_demand_ones_take_over(stack: str) -> None:
    (config_map,) = of_type(stack, "k8s", CONFIG_MAP)
    assert config_map.inputs["metadata"]["name"] == "cluster-autoscaler-priority-expander"
    assert config_map.inputs["metadata"]["namespace"] == "kube-system"
    levels = yaml.safe_load(config_map.inputs["data"]["priorities"])
    spot = [n for n, s in EXPECTED[stack].items() if s[6]]
    on_demand = [n for n, s in EXPECTED[stack].items() if not s[6]]
    assert levels == {20: [f".*-{n}-.*" for n in spot], 10: [f".*-{n}-.*" for n in on_demand]}


@pytest.mark.parametrize("stack", STACKS)
def test_kubernetes_objects_wait_for_every_pool_and_the_admin_grants(stack: str) -> None:
    (provider,) = plan(stack).of_type(K8S_PROVIDER)
    waited = set(provider.options["dependsOn"])
    assert {p.urn for p in of_type(stack, "k8s", AGENT_POOL)} <= waited
    assert k8s(stack, "deployer-admin").urn in waited


def test_without_the_autoscaler_pools_keep_their_configured_counts() -> None:
    def fixed(k8s_config: Any) -> Any:
        k8s_config["addons"] = [a for a in k8s_config["addons"] if a != "clusterAutoscaler"]
        k8s_config["spot"]["enabled"] = False
        return k8s_config

    recording = edited_plan(fixed)
    assert not [c for c in recording.of_type(CONFIG_MAP) if c.inputs["metadata"]["namespace"] == "kube-system"]
    for pool in recording.of_type(AGENT_POOL):
        assert pool.inputs["enableAutoScaling"] is False
        assert "minCount" not in pool.inputs
        assert "ignoreChanges" not in pool.options
        assert pool.inputs.get("scaleSetPriority") != "Spot"


@pytest.mark.parametrize("stack", STACKS)
def test_node_pool_names_are_the_configured_pools_and_their_spot_companions(stack: str) -> None:
    k8s_config, expected = config(stack).kubernetes, []
    for name, pool in k8s_config.node_pools.items():
        expected += [name, f"{name}spot"] if k8s_config.spot_max(pool) else [name]
    assert plan(stack).outputs["nodePoolNames"] == expected
