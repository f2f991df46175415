"""Property-based tests of the validators, the address arithmetic, the catalog and the labels."""

from __future__ import annotations

import re
from ipaddress import IPv4Network

import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from bettafish.config import ConfigError, Identity, MachineSize
from bettafish.config.catalog import SizeNotInCatalogError, load_catalog, resolve
from bettafish.config.network import Flow, covering_cidr
from bettafish.tags import resource_tags
from tests.mocks import edited, load, stack_values

PROD = stack_values("prod", "aws")
third_octets = st.lists(st.integers(0, 255), min_size=9, max_size=9, unique=True)


def _plan(octets: list[int]) -> dict[str, list[str]]:
    cidrs = [f"10.0.{o}.0/24" for o in octets]
    return {"public": cidrs[0:3], "private": cidrs[3:6], "database": cidrs[6:9]}


@given(third_octets)
def test_any_nine_distinct_slash24s_inside_the_network_are_accepted_on_aws(octets: list[int]) -> None:
    values = edited(PROD, "bettafish:network", lambda n: {**n, "subnets": _plan(octets)})
    assert load(values).network.subnets.private[0] == IPv4Network(f"10.0.{octets[3]}.0/24")


@given(third_octets, st.integers(0, 8), st.integers(0, 8))
def test_a_repeated_subnet_is_reported_at_its_second_place(octets: list[int], first: int, second: int) -> None:
    assume(first < second)
    octets = list(octets)
    octets[second] = octets[first]
    tiers = ("public", "private", "database")
    values = edited(PROD, "bettafish:network", lambda n: {**n, "subnets": _plan(octets)})
    with pytest.raises(ConfigError) as caught:
        load(values)
    key = f"bettafish:network.subnets.{tiers[second // 3]}[{second % 3}]"
    assert any(issue.key == key and "overlaps" in issue.message for issue in caught.value.issues)


@given(st.lists(st.integers(0, 2**24 - 1), min_size=1, max_size=6), st.integers(16, 30))
def test_covering_cidr_is_the_smallest_range_holding_every_network(starts: list[int], prefix: int) -> None:
    nets = [IPv4Network((0x0A000000 | (start << 8), prefix), strict=False) for start in starts]
    cover = covering_cidr(nets)
    assert all(n.subnet_of(cover) for n in nets)
    if cover.prefixlen < 32 and len(set(nets)) > 1:
        assert not any(all(n.subnet_of(half) for n in nets) for half in cover.subnets(prefixlen_diff=1))


@given(
    st.sampled_from(["internet"]),
    st.sampled_from(["loadBalancer", "application", "database", "cache"]),
    st.lists(st.integers(1, 65535), min_size=1, max_size=3),
)
def test_the_internet_only_ever_reaches_web_ports_on_the_load_balancer(
    source: str, target: str, ports: list[int]
) -> None:
    data = {"name": "f", "from": source, "to": target, "ports": ports}
    if target == "loadBalancer" and set(ports) <= {80, 443}:
        assert Flow.model_validate(data).to == "loadBalancer"
    else:
        with pytest.raises(ValueError, match="the internet may only reach the loadBalancer"):
            Flow.model_validate(data)


def size(vcpus: int, memory: float, family: str = "general", **pin: str) -> MachineSize:
    return MachineSize.model_validate({"vcpus": vcpus, "memoryGib": memory, "family": family, "pin": pin})


sizes = st.builds(
    size,
    st.integers(1, 16),
    st.floats(0.5, 64, allow_nan=False),
    st.sampled_from(["general", "burstable", "compute", "memory"]),
)


@given(st.sampled_from(["compute", "database", "cache"]), st.sampled_from(["aws", "gcp", "azure"]), sizes)
def test_catalog_resolves_to_a_row_at_least_as_big_or_says_why_not(kind: str, cloud: str, wanted: MachineSize) -> None:
    rows = load_catalog()[kind][cloud]  # type: ignore[index]
    fits = [r for r in rows if r.vcpus >= wanted.vcpus and r.memory_gib >= wanted.memory_gib]
    if any(r.family == wanted.family for r in fits):
        row = resolve(kind, cloud, wanted)  # type: ignore[arg-type]
        assert row in fits
        assert row.hourly_usd == min(r.hourly_usd for r in fits if r.family in {row.family, wanted.family})
    elif not fits:
        with pytest.raises(SizeNotInCatalogError, match=f"no {cloud} {kind} type"):
            resolve(kind, cloud, wanted)  # type: ignore[arg-type]


def test_catalog_maps_the_specs_sizes_to_the_specs_types() -> None:
    assert resolve("compute", "aws", size(8, 16, "compute")).type == "c5.2xlarge"
    assert resolve("compute", "aws", size(2, 8, "burstable")).type == "t3.large"
    assert resolve("compute", "gcp", size(2, 8, "burstable")).type == "e2-standard-2"
    assert resolve("database", "aws", size(4, 32, "memory")).type == "db.r5.xlarge"
    assert resolve("database", "azure", size(4, 32, "memory")).type == "Standard_E4ds_v5"
    assert resolve("cache", "aws", size(2, 12, "memory")).type == "cache.r5.large"
    assert resolve("compute", "aws", size(2, 8, aws="m5.xlarge")).type == "m5.xlarge"
    with pytest.raises(SizeNotInCatalogError, match=r"pinned compute type 'x9\.huge'"):
        resolve("compute", "aws", size(2, 8, aws="x9.huge"))


names = st.from_regex(r"[A-Za-z0-9_.-]{1,80}", fullmatch=True)


@given(names, names)
def test_gcp_labels_are_always_valid(project: str, stack: str) -> None:
    labels = resource_tags("gcp", Identity(project=project, stack=stack), "network")
    for key, value in labels.items():
        assert re.fullmatch(r"[a-z][a-z0-9_-]{0,62}", key)
        assert re.fullmatch(r"[a-z0-9_-]{0,63}", value), value
