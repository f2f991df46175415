"""The fake cloud's table of API constraints: every entry is documented, has a program that
violates it (and is refused with its id), and no stack of ours violates any."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from bettafish.plan import run_offline
from bettafish.plan.fake_cloud.constraints import CloudRefusalError, all_constraints
from tests.constraints import (
    violations_aks,
    violations_aws,
    violations_azure,
    violations_azure_edge,
    violations_azure_operations,
    violations_azure_workloads,
    violations_eks,
    violations_gcp,
    violations_gcp_edge,
    violations_gcp_operations,
    violations_gcp_workloads,
    violations_gke,
)
from tests.mocks import CLOUDS, STACKS, Mocks, run_stack

VIOLATIONS: dict[str, Callable[[], None]] = {
    **violations_aws.VIOLATIONS,
    **violations_eks.VIOLATIONS,
    **violations_gcp.VIOLATIONS,
    **violations_gke.VIOLATIONS,
    **violations_gcp_workloads.VIOLATIONS,
    **violations_gcp_edge.VIOLATIONS,
    **violations_gcp_operations.VIOLATIONS,
    **violations_azure.VIOLATIONS,
    **violations_aks.VIOLATIONS,
    **violations_azure_workloads.VIOLATIONS,
    **violations_azure_edge.VIOLATIONS,
    **violations_azure_operations.VIOLATIONS,
}


def test_every_constraint_is_documented_and_has_a_violating_program() -> None:
    for constraint in all_constraints():
        assert constraint.doc.startswith("https://"), constraint.id
        assert constraint.error, constraint.id
        assert constraint.id in VIOLATIONS, f"no program in tests/constraints violates {constraint.id}"
    assert set(VIOLATIONS) <= {c.id for c in all_constraints()}


@pytest.mark.parametrize("constraint_id", sorted(VIOLATIONS))
def test_a_violating_program_is_refused_with_the_constraints_id(constraint_id: str) -> None:
    with pytest.raises(CloudRefusalError) as refused:
        run_offline(VIOLATIONS[constraint_id], project="p", stack="s", config={}, secret_keys=[], fake_cloud=Mocks())
    assert refused.value.constraint.id == constraint_id
    assert constraint_id in str(refused.value)


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("stack", STACKS)
def test_no_stack_violates_a_constraint(stack: str, cloud: str) -> None:
    """run_stack raises CloudRefusalError otherwise; the plan has resources of the cloud."""
    assert any(r.custom for r in run_stack(stack, cloud).resources)
