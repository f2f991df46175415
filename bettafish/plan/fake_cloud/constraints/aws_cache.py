"""AWS ElastiCache: what the real API refuses that the SDK's types allow."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from bettafish.plan.fake_cloud.constraints import Constraint
from bettafish.plan.fake_cloud.constraints.aws_common import find, fixed_final_snapshot

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

REDIS = "aws:elasticache/replicationGroup:ReplicationGroup"


def _auth_without_tls(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return bool(group.inputs.get("authToken")) and not group.inputs.get("transitEncryptionEnabled")


def _strategy_without_token(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return bool(group.inputs.get("authTokenUpdateStrategy")) and not group.inputs.get("authToken")


def _cluster_mode(group: RecordedResource) -> bool:
    return group.inputs.get("clusterMode") == "enabled" or (group.inputs.get("numNodeGroups") or 1) > 1


def _cluster_mode_without_failover(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return _cluster_mode(group) and not group.inputs.get("automaticFailoverEnabled")


def _failover_without_replica(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    if not group.inputs.get("automaticFailoverEnabled"):
        return False
    if _cluster_mode(group):
        return (group.inputs.get("replicasPerNodeGroup") or 0) < 1
    return (group.inputs.get("numCacheClusters") or 1) < 2


def _multi_az_without_failover(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return bool(group.inputs.get("multiAzEnabled")) and not group.inputs.get("automaticFailoverEnabled")


def _parameter_group_cluster_mode(group: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    parameters = find(before, "aws:elasticache/parameterGroup:ParameterGroup", group.inputs.get("parameterGroupName"))
    if parameters is None:
        return False
    enabled = {p.get("name"): p.get("value") for p in parameters.inputs.get("parameters", [])}.get("cluster-enabled")
    return (enabled == "yes") != _cluster_mode(group)


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="aws-elasticache-auth-needs-tls",
        type=REDIS,
        refuses=_auth_without_tls,
        error="InvalidParameterValue: The AUTH token is only supported when encryption-in-transit is enabled",
        doc="https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html",
    ),
    Constraint(
        id="aws-elasticache-strategy-needs-token",
        type=REDIS,
        refuses=_strategy_without_token,
        error='"auth_token_update_strategy": all of `auth_token,auth_token_update_strategy` must be specified',
        doc="https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/elasticache_replication_group#auth_token_update_strategy-1",
    ),
    Constraint(
        id="aws-elasticache-cluster-mode-needs-failover",
        type=REDIS,
        refuses=_cluster_mode_without_failover,
        error="InvalidParameterCombination: Redis OSS with cluster mode enabled cannot be created with automatic"
        " failover disabled",
        doc="https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html",
    ),
    Constraint(
        id="aws-elasticache-failover-needs-replica",
        type=REDIS,
        refuses=_failover_without_replica,
        error="InvalidParameterCombination: automatic failover needs at least one read replica in every shard"
        " (num_cache_clusters >= 2, or replicas_per_node_group >= 1 in cluster mode)",
        doc="https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html",
    ),
    Constraint(
        id="aws-elasticache-multi-az-needs-failover",
        type=REDIS,
        refuses=_multi_az_without_failover,
        error="InvalidParameterCombination: Multi-AZ needs automatic failover enabled",
        doc="https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/AutoFailover.html",
    ),
    Constraint(
        id="aws-elasticache-parameter-group-cluster-mode",
        type=REDIS,
        refuses=_parameter_group_cluster_mode,
        error="InvalidParameterCombination: Use a parameter group with cluster-enabled parameter to create more"
        " than one node group (and cluster-enabled no without cluster mode)",
        doc="https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/ParameterGroups.Engine.html",
    ),
    Constraint(
        id="aws-elasticache-final-snapshot-unique",
        type=REDIS,
        refuses=fixed_final_snapshot,
        error="SnapshotAlreadyExistsFault: Snapshot with specified name already exists. (the second destroy of"
        " an unprotected stack; name the final snapshot per lifetime)",
        doc="https://docs.aws.amazon.com/AmazonElastiCache/latest/APIReference/API_DeleteReplicationGroup.html",
    ),
)
