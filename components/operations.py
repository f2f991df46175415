"""Operations: logs kept for their retention, metrics, dashboards, alarms to a notification
channel, the monthly budget and the disaster-recovery copies the spec's objectives need."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pulumi

from bettafish.config.operations import Budget, DisasterRecovery, Monitoring
from components.base import DeployContext, NeutralComponent
from components.cache_cluster import CacheCluster
from components.cdn import Cdn
from components.keys import Keys
from components.kube_cluster import KubeCluster
from components.object_store import ObjectStore
from components.postgres_cluster import PostgresCluster
from components.vpc import Vpc
from components.workloads import Workloads


@dataclass(frozen=True)
class OperationsArgs:
    monitoring: Monitoring
    budget: Budget
    disaster_recovery: DisasterRecovery
    dr_region: str | None
    """Where user data and long-term database snapshots are copied (``database.crossRegionCopy``)."""
    vpc: Vpc
    keys: Keys
    cluster: KubeCluster
    database: PostgresCluster
    cache: CacheCluster
    store: ObjectStore
    workloads: Workloads
    cdn: Cdn
    context: DeployContext


class Operations(NeutralComponent):
    """``bettafish:operations:Operations`` (CloudWatch/SNS/Budgets/S3 replication, Cloud
    Monitoring/Logging/Billing budgets, Azure Monitor/action groups/Consumption budgets)."""

    TYPE: ClassVar[str] = "bettafish:operations:Operations"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("notification_target", "alarm_names", "dashboard", "budget_name")

    notification_target: pulumi.Output[str]
    """Where alarms and budget alerts go (an SNS topic ARN, a notification channel, an action group id)."""
    alarm_names: pulumi.Output[list[str]]
    """Every alarm, by the name the cloud knows it by."""
    dashboard: pulumi.Output[str]
    """The stack's dashboard (its id or URL)."""
    budget_name: pulumi.Output[str]

    def __init__(self, name: str, args: OperationsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args.context, opts)
