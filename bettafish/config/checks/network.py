"""Network checks: provider settings, zones, the address plan, flows and flow logs per cloud."""

from __future__ import annotations

import re
from collections.abc import Iterator
from ipaddress import IPv4Network
from itertools import combinations

from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.network import CLOUDWATCH_RETENTION_DAYS, TIERS, Tier
from bettafish.config.stack import StackConfig

REGIONAL_TIERS: dict[str, tuple[Tier, ...]] = {
    "gcp": ("public", "private", "database"),
    "azure": ("public", "database"),
}
"""Tiers that a regional cloud builds as one subnet covering the tier's zonal CIDRs."""

FLOW_LOG_RETENTION_LIMIT = {"gcp": 3650, "azure": 365}


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
    if cfg.cloud == "gcp" and net.subnets.regional("database").prefixlen > 23:
        yield Issue(
            _key("network.subnets.database"),
            f"gcp splits the tier's range {net.subnets.regional('database')} into a private services access half"
            " and a cache half, and Cloud SQL needs a /24 or more: the tier needs a /23 or larger",
        )
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
