"""Checks that need the whole stack or the chosen cloud; each returns the problems it finds."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from ipaddress import IPv4Network
from itertools import combinations

from bettafish.config.base import MachineSize
from bettafish.config.catalog import Kind, SizeNotInCatalogError, resolve
from bettafish.config.network import CLOUDWATCH_RETENTION_DAYS, TIERS, Tier
from bettafish.config.stack import StackConfig

REGIONAL_TIERS: dict[str, tuple[Tier, ...]] = {
    "gcp": ("public", "private", "database"),
    "azure": ("public", "database"),
}
"""Tiers that a regional cloud builds as one subnet covering the tier's zonal CIDRs."""

BACKUP_RETENTION_LIMIT = {"aws": 35, "gcp": 365, "azure": 35}
PITR_LIMIT = {"aws": 35, "gcp": 35, "azure": 35}
FLOW_LOG_RETENTION_LIMIT = {"gcp": 3650, "azure": 365}


@dataclass(frozen=True)
class Issue:
    """One problem, keyed the way the user writes it (``bettafish:network.cidr``)."""

    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


def _key(path: str) -> str:
    return f"bettafish:{path}"


def _zone_pattern(cfg: StackConfig) -> re.Pattern[str]:
    region = re.escape(cfg.provider.region)
    return {
        "aws": re.compile(rf"^{region}[a-z]$"),
        "gcp": re.compile(rf"^{region}-[a-z]$"),
        "azure": re.compile(r"^[123]$"),
    }[cfg.cloud]


def check_provider(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud == "gcp" and cfg.provider.project is None:
        yield Issue("gcp:project", "required when bettafish:cloud is gcp")


def check_zones(cfg: StackConfig) -> Iterator[Issue]:
    zones = cfg.network.zones.of(cfg.cloud)
    path = f"network.zones.{cfg.cloud}"
    if not zones:
        yield Issue(_key(path), f"required when bettafish:cloud is {cfg.cloud}")
        return
    if len(set(zones)) != len(zones):
        yield Issue(_key(path), f"zones must be distinct, got {zones}")
    pattern = _zone_pattern(cfg)
    for i, zone in enumerate(zones):
        if not pattern.match(zone):
            yield Issue(_key(f"{path}[{i}]"), f"{zone!r} is not a {cfg.cloud} zone of region {cfg.provider.region}")
    for tier in TIERS:
        count = len(cfg.network.subnets.tier(tier))
        if count != len(zones):
            yield Issue(_key(f"network.subnets.{tier}"), f"needs one CIDR per zone ({len(zones)}), got {count}")


def check_address_plan(cfg: StackConfig) -> Iterator[Issue]:
    net = cfg.network
    placed: list[tuple[str, IPv4Network]] = []
    for tier in TIERS:
        for i, cidr in enumerate(net.subnets.tier(tier)):
            path = f"network.subnets.{tier}[{i}]"
            if not 16 <= cidr.prefixlen <= 28:
                yield Issue(_key(path), f"{cidr}: subnets must be /16 to /28 (AWS's bounds, so every cloud fits)")
            if not cidr.subnet_of(net.cidr):
                yield Issue(_key(path), f"{cidr} is outside network.cidr {net.cidr}")
            placed.append((path, cidr))
    for (path_a, a), (path_b, b) in combinations(placed, 2):
        if a.overlaps(b):
            yield Issue(_key(path_b), f"{b} overlaps {path_a} ({a})")
    if cfg.cloud == "azure" and net.subnets.regional("database").prefixlen > 27:
        yield Issue(
            _key("network.subnets.database"),
            f"azure splits the tier's range {net.subnets.regional('database')} into a PostgreSQL subnet"
            " and a cache subnet of at least /28 each; the tier needs a /27 or larger",
        )
    regional = REGIONAL_TIERS.get(cfg.cloud)
    if regional is None:
        return
    ranges = [(f"network.subnets.{t}", net.subnets.regional(t)) for t in regional]
    ranges += [(p, c) for p, c in placed if p.split(".")[2].split("[")[0] not in regional]
    for (path_a, a), (path_b, b) in combinations(ranges, 2):
        if a.overlaps(b):
            yield Issue(
                _key(path_a),
                f"on {cfg.cloud} this tier becomes one regional subnet {a}, which overlaps {path_b} ({b});"
                " give the tier CIDRs that a small covering range holds alone",
            )


def check_flows(cfg: StackConfig) -> Iterator[Issue]:
    logs = cfg.network.flow_logs
    if cfg.cloud != "aws" and logs.traffic_type != "ALL":
        yield Issue(
            _key("network.flowLogs.trafficType"), f"{cfg.cloud} always logs accepted and rejected traffic; use ALL"
        )
    if cfg.cloud == "azure" and logs.aggregation_interval_seconds != 60:
        yield Issue(_key("network.flowLogs.aggregationIntervalSeconds"), "azure aggregates flow logs every 60 seconds")
    if cfg.cloud != "aws" and cfg.network.public_ip_on_launch:
        yield Issue(_key("network.publicIpOnLaunch"), f"{cfg.cloud} has no per-subnet public IP on launch; set false")
    retention = logs.retention_days
    path = _key("network.flowLogs.retentionDays")
    if cfg.cloud == "aws" and retention not in CLOUDWATCH_RETENTION_DAYS:
        yield Issue(path, f"aws CloudWatch Logs accepts {sorted(CLOUDWATCH_RETENTION_DAYS)}, got {retention}")
    limit = FLOW_LOG_RETENTION_LIMIT.get(cfg.cloud)
    if limit is not None and retention > limit:
        yield Issue(path, f"{cfg.cloud} keeps flow logs at most {limit} days, got {retention}")


GCP_UNROUTABLE_SOURCES = frozenset({"loadBalancer", "database", "cache"})
"""On GCP these sit outside the VPC (Google's front end, peered service producers): no VPC
firewall rule can carry a flow from them to the services range."""


def check_cloud_flows(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "gcp":
        return
    longest = 63 - len("-xxxxxxx") - len(f"{cfg.identity.prefix}-net-")
    for i, flow in enumerate(cfg.network.flows):
        path = _key(f"network.flows[{i}]")
        if flow.to in ("database", "cache") and flow.source in GCP_UNROUTABLE_SOURCES:
            yield Issue(path, f"gcp cannot carry {flow.source} to {flow.to}: both sit outside the VPC network")
        if len(flow.name) > longest:
            yield Issue(f"{path}.name", f"gcp resource names allow {longest} characters here, got {len(flow.name)}")


def _sizes(cfg: StackConfig) -> Iterator[tuple[str, Kind, MachineSize]]:
    for name, pool in cfg.kubernetes.node_pools.items():
        yield f"kubernetes.nodePools.{name}.size", "compute", pool.size
    yield "database.size", "database", cfg.database.size
    if cfg.database.read_replicas.count:
        yield "database.readReplicas.size", "database", cfg.database.read_replicas.size
    yield "cache.size", "cache", cfg.cache.size


def check_catalog(cfg: StackConfig) -> Iterator[Issue]:
    for path, kind, size in _sizes(cfg):
        try:
            resolve(kind, cfg.cloud, size)
        except SizeNotInCatalogError as exc:
            yield Issue(_key(path), str(exc))


def check_placement(cfg: StackConfig) -> Iterator[Issue]:
    zone_count = len(cfg.network.zones.of(cfg.cloud))
    for name, pool in cfg.kubernetes.node_pools.items():
        for i, zone in enumerate(pool.zones):
            if zone > zone_count:
                yield Issue(_key(f"kubernetes.nodePools.{name}.zones[{i}]"), f"zone {zone} of {zone_count}")
    for i, zone in enumerate(cfg.database.read_replicas.zones):
        if zone > zone_count:
            yield Issue(_key(f"database.readReplicas.zones[{i}]"), f"zone {zone} of {zone_count}")
    for name, svc in cfg.services.items():
        path = f"services.{_camel(name)}"
        target = cfg.kubernetes.node_pools.get(svc.node_pool)
        if target is None:
            yield Issue(
                _key(f"{path}.nodePool"),
                f"unknown node pool {svc.node_pool!r}; have {sorted(cfg.kubernetes.node_pools)}",
            )
        elif svc.size.vcpus > target.size.vcpus or svc.size.memory_gib > target.size.memory_gib:
            yield Issue(_key(f"{path}.size"), f"a replica does not fit on a node of pool {svc.node_pool!r}")
    for i, commitment in enumerate(cfg.budget.commitments):
        if commitment.node_pool not in cfg.kubernetes.node_pools:
            yield Issue(_key(f"budget.commitments[{i}].nodePool"), f"unknown node pool {commitment.node_pool!r}")


def check_data_limits(cfg: StackConfig) -> Iterator[Issue]:
    backup = cfg.database.backup
    limit = BACKUP_RETENTION_LIMIT[cfg.cloud]
    if backup.retention_days > limit:
        yield Issue(_key("database.backup.retentionDays"), f"{cfg.cloud} keeps automated backups at most {limit} days")
    if backup.log_retention_days > min(PITR_LIMIT[cfg.cloud], backup.retention_days):
        yield Issue(_key("database.backup.logRetentionDays"), "cannot exceed retentionDays (nor 35 days)")
    copy = cfg.database.cross_region_copy
    if copy.enabled:
        target = copy.regions.get(cfg.cloud)
        if target is None:
            yield Issue(
                _key(f"database.crossRegionCopy.regions.{cfg.cloud}"), f"required when bettafish:cloud is {cfg.cloud}"
            )
        elif target == cfg.provider.region:
            yield Issue(_key(f"database.crossRegionCopy.regions.{cfg.cloud}"), "must differ from the primary region")
    if cfg.disaster_recovery.recovery_point.database_minutes < 24 * 60 and not backup.point_in_time_recovery:
        yield Issue(
            _key("database.backup.pointInTimeRecovery"), "a database RPO under a day needs point-in-time recovery"
        )
    if cfg.cloud == "aws":
        for name, bucket in cfg.storage.buckets.items():
            for i, t in enumerate(bucket.transitions):
                if t.storage_class == "infrequentAccess" and t.days < 30:
                    yield Issue(
                        _key(f"storage.buckets.{_camel(name)}.transitions[{i}].days"),
                        "aws STANDARD_IA needs at least 30 days",
                    )


def _camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)


CHECKS: tuple[Callable[[StackConfig], Iterator[Issue]], ...] = (
    check_provider,
    check_zones,
    check_address_plan,
    check_flows,
    check_cloud_flows,
    check_catalog,
    check_placement,
    check_data_limits,
)


def run_checks(cfg: StackConfig) -> list[Issue]:
    return [issue for check in CHECKS for issue in check(cfg)]
