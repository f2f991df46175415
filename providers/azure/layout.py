"""Where each tier and workload group lives on Azure, whose subnets are regional.

- public: one subnet over the tier's covering range (Application Gateway / load balancers);
- private: one subnet per zone with the zonal CIDRs, so each zone has its own NAT gateway;
- database tier: its covering range split in two halves, because a PostgreSQL flexible server
  needs a subnet delegated to it alone: the lower half is that delegated subnet, the upper half
  (role ``cache``) holds the private endpoints of every data service the workloads reach: the cache,
  each storage account's blob service and the Key Vault. One NSG (the database tier's) guards both.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network

from bettafish.config.network import Group, Network, Tier

POSTGRES_DELEGATION = "Microsoft.DBforPostgreSQL/flexibleServers"

Role = str
"""A subnet's role: public, private, database or cache."""

NSG_OF: dict[Role, Tier] = {"public": "public", "private": "private", "database": "database", "cache": "database"}
"""The tier whose network security group guards a role's subnets."""

ROLE_OF: dict[Group, Role] = {
    "loadBalancer": "public",
    "application": "private",
    "database": "database",
    "cache": "cache",
}


@dataclass(frozen=True)
class SubnetPlan:
    role: Role
    suffix: str
    """Logical-name suffix (``public``, ``private-1``, ...)."""
    cidr: IPv4Network
    zone_index: int | None = None
    """Position in the zone list, for zonal subnets."""
    delegation: str | None = None


def subnet_plan(net: Network) -> list[SubnetPlan]:
    """Every Azure subnet in creation order."""
    database_low, database_high = net.subnets.regional("database").subnets(prefixlen_diff=1)
    return [
        SubnetPlan("public", "public", net.subnets.regional("public")),
        *[
            SubnetPlan("private", f"private-{zone}", cidr, zone_index=i)
            for i, (cidr, zone) in enumerate(zip(net.subnets.private, net.zones.of("azure"), strict=True))
        ],
        SubnetPlan("database", "database", database_low, delegation=POSTGRES_DELEGATION),
        SubnetPlan("cache", "cache", database_high),
    ]


def role_cidrs(role: Role, net: Network) -> list[str]:
    """The CIDRs of a role's subnets, as strings."""
    return [str(plan.cidr) for plan in subnet_plan(net) if plan.role == role]


def group_cidrs(group: Group, net: Network) -> list[str]:
    return role_cidrs(ROLE_OF[group], net)
