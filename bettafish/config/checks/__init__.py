"""Checks that need the whole stack or the chosen cloud; each returns the problems it finds."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date

from bettafish.config.checks.data import (
    check_cache,
    check_database,
    check_encryption,
    check_service_ports,
    check_storage,
)
from bettafish.config.checks.edge_aws import check_aws_edge
from bettafish.config.checks.edge_azure import check_azure_edge
from bettafish.config.checks.edge_gcp import check_gcp_edge
from bettafish.config.checks.issue import Issue
from bettafish.config.checks.kubernetes import check_kubernetes, kubernetes_warnings
from bettafish.config.checks.kubernetes_aws import check_aws_kubernetes
from bettafish.config.checks.kubernetes_azure import check_azure_kubernetes
from bettafish.config.checks.kubernetes_gcp import check_gcp_kubernetes
from bettafish.config.checks.network import (
    check_address_plan,
    check_cloud_flows,
    check_flows,
    check_provider,
    check_zones,
)
from bettafish.config.checks.network_aws import check_aws_public_acl
from bettafish.config.checks.operations import check_budget, check_disaster_recovery
from bettafish.config.checks.operations_aws import check_aws_operations
from bettafish.config.checks.operations_azure import check_azure_operations
from bettafish.config.checks.operations_gcp import check_gcp_operations
from bettafish.config.checks.workloads import (
    check_capacity,
    check_catalog,
    check_data_access,
    check_internal_records,
    check_placement,
    check_public_zone,
)
from bettafish.config.checks.workloads_aws import check_aws_workloads
from bettafish.config.checks.workloads_azure import check_azure_workloads
from bettafish.config.checks.workloads_gcp import check_gcp_workloads
from bettafish.config.stack import StackConfig

__all__ = ["CHECKS", "Issue", "run_checks", "warnings"]

CHECKS: tuple[Callable[[StackConfig], Iterator[Issue]], ...] = (
    check_provider,
    check_zones,
    check_address_plan,
    check_flows,
    check_cloud_flows,
    check_aws_public_acl,
    check_catalog,
    check_placement,
    check_capacity,
    check_internal_records,
    check_data_access,
    check_public_zone,
    check_aws_workloads,
    check_encryption,
    check_database,
    check_cache,
    check_storage,
    check_service_ports,
    check_kubernetes,
    check_aws_kubernetes,
    check_gcp_kubernetes,
    check_azure_kubernetes,
    check_disaster_recovery,
    check_budget,
    check_gcp_workloads,
    check_azure_workloads,
    check_gcp_edge,
    check_gcp_operations,
    check_aws_edge,
    check_aws_operations,
    check_azure_edge,
    check_azure_operations,
)


def run_checks(cfg: StackConfig) -> list[Issue]:
    return [issue for check in CHECKS for issue in check(cfg)]


def warnings(cfg: StackConfig, today: date) -> list[Issue]:
    """What a valid stack should still hear about (``pulumi up`` and ``bettafish plan`` print it)."""
    return list(kubernetes_warnings(cfg, today))
