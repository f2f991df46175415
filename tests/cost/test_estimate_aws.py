"""The AWS estimate of prod against figures worked out here by hand from the data files: a node
pool at its configured count and its ceiling, its spot companion, the RDS primary with its
Multi-AZ standby, io1 storage and provisioned IOPS, the NAT gateways, the commitment discounts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from bettafish.cost.estimate import estimate
from bettafish.cost.lines import Estimate
from tests.cost.synthetic import line
from tests.mocks import load, run_stack, stack_values

DATA = Path(__file__).resolve().parents[2] / "bettafish" / "data"
PRICES: dict[str, Any] = yaml.safe_load((DATA / "prices" / "aws.yaml").read_text())
CATALOG: dict[str, Any] = yaml.safe_load((DATA / "catalog.yaml").read_text())
HOURS = 730


def rate(rate_id: str) -> float:
    value: float = PRICES["rates"][rate_id]["value"]
    return value


def hourly(kind: str, instance_type: str) -> float:
    (price,) = [row["hourlyUsd"] for row in CATALOG[kind]["aws"] if row["type"] == instance_type]
    return float(price)


@pytest.fixture(scope="module")
def prod() -> Estimate:
    return estimate(run_stack("prod", "aws"), load(stack_values("prod", "aws")))


def test_a_node_pool_is_priced_at_its_count_with_its_max_count_as_ceiling(prod: Estimate) -> None:
    general = line(prod, "KubeCluster", "node pool general")
    # The spec's general pool: 6 x t3.large on demand (0.0832 an hour), autoscaling up to 13.
    assert (general.quantity, general.unit, general.unit_price) == (
        6 * HOURS,
        "node-hour",
        hourly("compute", "t3.large"),
    )
    assert general.monthly == round(6 * HOURS * 0.0832, 2) == 364.42
    assert general.ceiling == round(13 * HOURS * 0.0832, 2) == 789.57
    assert general.source == "https://aws.amazon.com/ec2/pricing/on-demand/"


def test_a_spot_companion_starts_at_zero_and_explains_its_share(prod: Estimate) -> None:
    spot = line(prod, "KubeCluster", "node pool general spot")
    discounted = round(0.0832 * (1 - rate("spot.discount") / 100), 6)
    assert (spot.quantity, spot.monthly, round(spot.unit_price, 6)) == (0, 0, discounted)
    assert spot.ceiling == round(3 * HOURS * discounted, 2)
    assert spot.assumption is not None
    assert "starts at 0; up to 3 x t3.large (30% of the pool's maxCount)" in spot.assumption


def test_the_rds_primary_its_standby_io1_storage_and_iops(prod: Estimate) -> None:
    # db.r5.xlarge Multi-AZ: the standby bills like the primary; 1,000 GB io1 with 10,000 IOPS on the
    # primary, its standby and each of the two replicas.
    assert line(prod, "PostgresCluster", "database primary").monthly == round(HOURS * 0.50, 2) == 365.00
    assert line(prod, "PostgresCluster", "database standby").monthly == 365.00
    assert line(prod, "PostgresCluster", "database replicas").monthly == round(2 * HOURS * 0.25, 2)
    storage = line(prod, "PostgresCluster", "database storage")
    assert (storage.quantity, storage.unit_price) == ((2 + 2) * 1000, rate("rds.storage.io1"))
    assert storage.monthly == 4000 * 0.125 == 500.00
    iops = line(prod, "PostgresCluster", "database provisioned IOPS")
    assert (iops.quantity, iops.unit, iops.monthly) == (4 * 10_000, "IOPS-month", 4 * 10_000 * rate("rds.iops.io1"))
    assert iops.monthly == 4000.00
    # 30 days of 2% daily change beyond the free allowance (the 1,000 GB provisioned).
    assert line(prod, "PostgresCluster", "database backup storage").monthly == round(1000 * 0.02 * 30 * 0.095, 2)


def test_nat_gateways_per_zone_and_the_data_they_process(prod: Estimate) -> None:
    gateways = line(prod, "Vpc", "NAT gateways")
    assert (gateways.quantity, gateways.monthly) == (3 * HOURS, round(3 * HOURS * rate("nat.hour"), 2))
    assert gateways.monthly == 98.55
    processed = line(prod, "Vpc", "NAT data processed")
    # 100 analysis queries a minute, 1 MiB fetched each, over a 730-hour month.
    gigabytes = 100 * 60 * HOURS * 1024 * 1024 / 1e9
    assert processed.quantity == pytest.approx(gigabytes)
    assert processed.monthly == round(gigabytes * 0.045, 2) == 206.67


def test_commitments_are_negative_lines_at_the_published_discount(prod: Estimate) -> None:
    (discount,) = [c for c in PRICES["commitments"] if (c["termYears"], c["payment"]) == (1, "partialUpfront")]
    general = line(prod, "KubeCluster", "commitment general (1-year partialUpfront)")
    assert general.monthly == round(-3 * HOURS * 0.0832 * discount["percent"] / 100, 2) == -72.88
    compute = line(prod, "KubeCluster", "commitment compute (1-year partialUpfront)")
    assert compute.monthly == round(-2 * HOURS * 0.34 * discount["percent"] / 100, 2) == -198.56
    assert compute.source == discount["source"]


def test_the_total_adds_up_its_lines_and_components(prod: Estimate) -> None:
    assert prod.total == round(sum(item.monthly for item in prod.items), 2)
    assert round(sum(prod.by_component().values()), 2) == prod.total
    assert list(prod.by_component()) == [
        "Vpc",
        "Keys",
        "KubeCluster",
        "PostgresCluster",
        "CacheCluster",
        "ObjectStore",
        "Workloads",
        "Dns",
        "Cdn",
        "Operations",
    ]
    assert str(prod.prices_as_of) == PRICES["pricesAsOf"]


def test_staging_has_no_commitments_standby_or_replicas() -> None:
    staging = estimate(run_stack("staging", "aws"), load(stack_values("staging", "aws"), "staging"))
    items = {item.item for item in staging.items}
    assert not {i for i in items if i.startswith("commitment")}
    assert {"database standby", "database replicas", "database provisioned IOPS"}.isdisjoint(items)
    assert line(staging, "Vpc", "NAT gateways").quantity == HOURS
    assert line(staging, "PostgresCluster", "database storage").unit_price == rate("rds.storage.gp3")
