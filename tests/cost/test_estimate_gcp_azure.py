"""The GCP and Azure estimates of prod against figures worked out by hand, and the three clouds
side by side: the same line names on each, so that a difference shows its reason."""

from __future__ import annotations

import pytest

from bettafish.config import CLOUDS
from bettafish.cost.estimate import estimate
from bettafish.cost.lines import Estimate
from bettafish.cost.render import compare_json, compare_table
from tests.cost.synthetic import line
from tests.mocks import load, run_stack, stack_values

HOURS = 730


def prod(cloud: str) -> Estimate:
    return estimate(run_stack("prod", cloud), load(stack_values("prod", cloud)))


def test_gke_pools_count_per_zone_and_cloud_sql_bills_no_iops() -> None:
    gcp = prod("gcp")
    # initialNodeCount is per zone on GKE: 2 x 3 zones of e2-standard-2 (0.067 an hour).
    general = line(gcp, "KubeCluster", "node pool general")
    assert (general.quantity, general.monthly) == (6 * HOURS, round(6 * HOURS * 0.067, 2))
    # Regional (HA) Cloud SQL stores two copies; each replica one: 4 x 1,000 GB of SSD at 0.17.
    assert line(gcp, "PostgresCluster", "database storage").monthly == 4 * 1000 * 0.17 == 680.00
    iops = line(gcp, "PostgresCluster", "database provisioned IOPS")
    assert (iops.quantity, iops.monthly) == (10_000, 0)
    assert iops.assumption is not None
    assert "bills no IOPS" in iops.assumption
    # Seven HSM keys (the five purposes, the DR database key, the multi-region storage key of the
    # dual-region buckets) rotated every 90 days keep 5 enabled versions after a year, 1.00 each.
    assert line(gcp, "Keys", "keys").monthly == 7 * 5 * 1.00
    # Cloud NAT bills per VM: the 12 nodes at the pools' counts.
    assert line(gcp, "Vpc", "NAT gateways").monthly == round(12 * HOURS * 0.0014, 2) == 12.26


def test_aks_pools_split_per_zone_add_up_and_the_p40_tier_costs_its_difference() -> None:
    azure = prod("azure")
    # The system pool: system1 in the cluster, system2 and system3 as agent pools, one line.
    system = line(azure, "KubeCluster", "node pool system")
    assert (system.quantity, system.monthly) == (3 * HOURS, round(3 * HOURS * 0.192, 2))
    general = line(azure, "KubeCluster", "node pool general")
    assert (general.quantity, general.ceiling) == (6 * HOURS, round(13 * HOURS * 0.0832, 2))
    # A 128 GiB Premium SSD (P10, 19.71) per node: 3 system + 6 general + 4 compute + 2 memory.
    assert line(azure, "KubeCluster", "node disks").monthly == round(15 * 19.71, 2)
    # 1 TiB run at P40 instead of its base P30: the difference on the primary, standby and 2 replicas.
    iops = line(azure, "PostgresCluster", "database provisioned IOPS")
    assert (iops.quantity, iops.unit_price, iops.monthly) == (4, round(235.52 - 122.88, 2), round(4 * 112.64, 2))
    assert line(azure, "CacheCluster", "cache nodes").monthly == round(HOURS * 1.37, 2)


SHARED = [
    ("Vpc", "NAT gateways"),
    ("Vpc", "NAT data processed"),
    ("Vpc", "public IPv4 addresses"),
    ("Keys", "keys"),
    ("KubeCluster", "control plane"),
    ("KubeCluster", "node pool general"),
    ("KubeCluster", "node pool general spot"),
    ("KubeCluster", "node pool compute"),
    ("KubeCluster", "node pool memory"),
    ("KubeCluster", "node disks"),
    ("KubeCluster", "commitment general (1-year partialUpfront)"),
    ("PostgresCluster", "database primary"),
    ("PostgresCluster", "database standby"),
    ("PostgresCluster", "database replicas"),
    ("PostgresCluster", "database storage"),
    ("PostgresCluster", "database provisioned IOPS"),
    ("CacheCluster", "cache nodes"),
    ("ObjectStore", "object storage media-content"),
    ("Workloads", "load balancer"),
    ("Workloads", "load balancer capacity"),
    ("Workloads", "private zone"),
    ("Workloads", "registry"),
    ("Dns", "public zone"),
    ("Dns", "DNS queries"),
    ("Cdn", "CDN data transfer"),
    ("Cdn", "CDN requests"),
    ("Cdn", "WAF base fee"),
    ("Cdn", "log ingestion"),
    ("Operations", "alarms"),
]


def test_compare_clouds_puts_the_same_lines_side_by_side() -> None:
    estimates = [prod(cloud) for cloud in CLOUDS]
    rows = {(row["component"], row["item"]): row["clouds"] for row in compare_json(estimates)["rows"]}
    for key in SHARED:
        assert all(rows[key][cloud] is not None for cloud in CLOUDS), key
    assert rows[("Vpc", "private endpoints")]["aws"] is None
    assert [cloud for cloud in CLOUDS if rows[("Dns", "DNSSEC signing key")][cloud]] == ["aws"]
    table = compare_table(estimates)
    assert "    control plane" in table
    assert "        gcp:    8,760 VM-hour x 0.0014  Cloud NAT bills per VM using it (12 nodes" in table
    totals = table.splitlines()[-1].split()
    assert totals[0] == "Total"
    assert totals[1:] == [f"{e.total:,.2f}" for e in estimates]


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_line_names_its_price_source(cloud: str) -> None:
    cost = prod(cloud)
    assert all(item.source and item.source.startswith("https://") for item in cost.items), [
        item.item for item in cost.items if not item.source
    ]
