"""Kubernetes settings EKS cannot honour, rejected before anything is registered, each naming its
key and the cloud; and the address arithmetic behind the pod range."""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import Any

import pytest

from bettafish.config import catalog
from bettafish.config.catalog import CatalogEntry, load_catalog
from bettafish.config.checks import Issue
from bettafish.config.checks.kubernetes_aws import is_arm, pod_subnet_cidrs, secondary_cidr_refusal
from bettafish.config.loader import ConfigError
from tests.config.test_loader import problems, set_path
from tests.mocks import edited, load, stack_values

K8S = "bettafish:kubernetes"


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (["version"], "1.33", "bettafish:kubernetes.version: aws EKS add-on versions are pinned for 1.34, 1.35"),
        (
            ["podCidr"],
            "192.168.0.0/16",
            "bettafish:kubernetes.podCidr: aws cannot add it to a VPC of 10.0.0.0/16: a VPC in 10.0.0.0/8 cannot add"
            " another RFC 1918 block (192.168.0.0/16)",
        ),
        (
            ["podCidr"],
            "198.19.0.0/16",
            "bettafish:kubernetes.podCidr: aws cannot add it to a VPC of 10.0.0.0/16: 198.19",
        ),
        (
            ["podCidr"],
            "100.64.0.0/15",
            "bettafish:kubernetes.podCidr: aws cannot add it to a VPC of 10.0.0.0/16: a VPC range is /16 to /28",
        ),
        (
            ["podCidr"],
            "100.64.0.0/20",
            "bettafish:kubernetes.podCidr: aws pods come from one /22 subnet per zone, and one zone may hold all 32 nodes",
        ),
        (
            ["serviceCidr"],
            "100.96.0.0/16",
            "bettafish:kubernetes.serviceCidr: aws EKS takes a service range of /24 to /12",
        ),
        (
            ["serviceCidr"],
            "10.64.0.0/11",
            "bettafish:kubernetes.serviceCidr: aws EKS takes a service range of /24 to /12",
        ),
        (["addons"], ["clusterAutoscaler"], "bettafish:kubernetes.addons: aws EKS has no built-in volume provisioner"),
        (
            ["admins", "aws"],
            ["arn:aws:iam::123456789012:role/ops", "arn:aws:iam::210987654321:role/ops"],
            "bettafish:kubernetes.admins.aws: aws EKS takes one access entry per principal",
        ),
        (
            ["controlPlane", "authorizedCidrs"],
            ["10.20.0.0/16"],
            "bettafish:kubernetes.controlPlane.authorizedCidrs[0]: aws EKS refuses 10.20.0.0/16 on the public endpoint",
        ),
        (
            ["controlPlane", "authorizedCidrs"],
            [f"54.{i}.0.0/16" for i in range(41)],
            "bettafish:kubernetes.controlPlane.authorizedCidrs: aws EKS takes at most 40",
        ),
        (
            ["controlPlane"],
            {"privateEndpoint": False, "authorizedCidrs": ["54.240.196.0/24"]},
            "bettafish:kubernetes.controlPlane.privateEndpoint: aws EKS nodes reach the API through the private endpoint",
        ),
        (
            ["controlPlane", "zoneRedundant"],
            False,
            "bettafish:kubernetes.controlPlane.zoneRedundant: aws EKS control planes",
        ),
        (
            ["spot", "fallbackToOnDemand"],
            False,
            "bettafish:kubernetes.spot.fallbackToOnDemand: aws: the cluster autoscaler grows an on-demand group",
        ),
    ],
)
def test_what_eks_cannot_honour_is_rejected(path: list[Any], value: Any, expected: str) -> None:
    found = problems(edited(stack_values("prod", "aws"), K8S, set_path(path, value)))
    assert any(p.startswith(expected) for p in found), found


def test_arm_node_types_are_refused_on_the_x86_ami(monkeypatch: pytest.MonkeyPatch) -> None:
    """The catalog has no Graviton row today; one added and pinned is refused, not deployed."""
    rows = load_catalog()
    graviton = CatalogEntry.model_validate(
        {"type": "m6g.large", "vcpus": 2, "memoryGib": 8, "family": "general", "hourlyUsd": 0.077}
    )
    extended = {**rows, "compute": {**rows["compute"], "aws": [*rows["compute"]["aws"], graviton]}}
    monkeypatch.setattr(catalog, "load_catalog", lambda: extended)

    def pin(k8s: Any) -> Any:
        k8s["nodePools"]["general"]["size"]["pin"] = {"aws": "m6g.large"}
        return k8s

    found = problems(edited(stack_values("prod", "aws"), K8S, pin))
    assert any(p.startswith("bettafish:kubernetes.nodePools.general.size: aws nodes run the x86_64") for p in found), (
        found
    )


@pytest.mark.parametrize(
    ("instance_type", "arm"),
    [
        *[("m6g.large", True), ("c7gn.xlarge", True), ("t4g.medium", True), ("r8g.large", True)],
        *[
            ("t3.large", False),
            ("c5.2xlarge", False),
            ("g4dn.xlarge", False),
            ("m6i.large", False),
            ("c5n.large", False),
        ],
    ],
)
def test_graviton_families_are_told_apart(instance_type: str, arm: bool) -> None:
    assert is_arm(instance_type) is arm


def test_control_plane_log_retention_must_be_a_cloudwatch_value() -> None:
    values = edited(
        stack_values("prod", "aws"),
        "bettafish:monitoring",
        lambda m: {**m, "logRetention": {**m["logRetention"], "applicationDays": 10}},
    )
    assert any(
        p.startswith("bettafish:monitoring.logRetention.applicationDays: aws CloudWatch") for p in problems(values)
    )


@pytest.mark.parametrize("cloud", ["gcp", "azure"])
def test_eks_only_limits_do_not_apply_to_other_clouds(cloud: str) -> None:
    values = edited(stack_values("prod", cloud), K8S, set_path(["spot", "fallbackToOnDemand"], False))
    values = edited(values, K8S, set_path(["podCidr"], "100.64.0.0/20"))
    # Another cloud may refuse these for its own reasons, never for EKS's.
    assert not [issue for issue in _issues(values) if issue.message.startswith("aws")]


def _issues(values: dict[str, str]) -> list[Issue]:
    try:
        load(values)
    except ConfigError as exc:
        return list(exc.issues)
    return []


@pytest.mark.parametrize(
    ("primary", "secondary", "refused"),
    [
        ("10.0.0.0/16", "100.64.0.0/16", None),
        ("10.0.0.0/16", "10.2.0.0/16", None),
        ("10.0.0.0/16", "54.12.0.0/16", None),
        ("10.0.0.0/16", "10.0.0.0/16", "overlaps"),
        ("10.1.0.0/16", "10.0.0.0/16", "10.0.0.0/15 cannot add 10.0.0.0/16"),
        ("10.0.0.0/16", "172.20.0.0/16", "cannot add another RFC 1918 block"),
        ("172.16.0.0/16", "172.31.0.0/16", "172.16.0.0/12 cannot add 172.31.0.0/16"),
        ("172.16.0.0/16", "172.18.0.0/16", None),
        ("192.168.0.0/16", "10.0.0.0/16", "cannot add another RFC 1918 block"),
        ("100.64.0.0/16", "10.0.0.0/16", "cannot add another RFC 1918 block"),
        ("10.0.0.0/16", "198.19.0.0/16", "198.19.0.0/16 is reserved"),
        ("10.0.0.0/16", "100.64.0.0/15", "/16 to /28"),
    ],
)
def test_secondary_ranges_follow_the_vpc_association_table(primary: str, secondary: str, refused: str | None) -> None:
    reason = secondary_cidr_refusal(IPv4Network(primary), IPv4Network(secondary))
    if refused is None:
        assert reason is None
    else:
        assert reason is not None
        assert refused in reason


def test_the_pod_range_splits_into_equal_subnets_in_zone_order() -> None:
    assert [str(n) for n in pod_subnet_cidrs(IPv4Network("100.64.0.0/16"), 3)] == [
        "100.64.0.0/18",
        "100.64.64.0/18",
        "100.64.128.0/18",
    ]
    assert [str(n) for n in pod_subnet_cidrs(IPv4Network("100.64.0.0/16"), 2)] == ["100.64.0.0/17", "100.64.128.0/17"]
    assert [str(n) for n in pod_subnet_cidrs(IPv4Network("100.64.0.0/16"), 1)] == ["100.64.0.0/16"]
