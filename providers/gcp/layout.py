"""Where the database tier's groups live on GCP, whose subnetworks are regional.

The tier's covering range (prod 10.0.20.0/22) is split in halves, as on Azure:

- the lower half is the private services access range (a ``VPC_PEERING`` GlobalAddress peered
  through service networking), where Cloud SQL takes its private addresses; Cloud SQL needs a
  /24 or more of it per region;
- the upper half is the ``cache`` subnetwork, where Memorystore for Redis Cluster places its
  Private Service Connect endpoints (through a service connection policy).

Both halves are outside the reach of this VPC's ingress rules (a peered producer network, PSC
endpoints of a producer), so flows to them are egress rules on the clients' side.
"""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network

from bettafish.config.network import Network

SERVICE_GROUPS: frozenset[str] = frozenset({"database", "cache"})
"""Groups served by Google-managed producers from the database tier's range."""


@dataclass(frozen=True)
class DatabaseTier:
    tier: IPv4Network
    """The whole covering range of the tier."""
    database: IPv4Network
    """Lower half: the private services access range (Cloud SQL)."""
    cache: IPv4Network
    """Upper half: the subnetwork of the cache's PSC endpoints (Memorystore for Redis Cluster)."""

    def of(self, group: str) -> IPv4Network:
        """The range that serves ``group`` (database or cache)."""
        return {"database": self.database, "cache": self.cache}[group]


def database_tier(net: Network) -> DatabaseTier:
    tier = net.subnets.regional("database")
    database, cache = tier.subnets(prefixlen_diff=1)
    return DatabaseTier(tier=tier, database=database, cache=cache)
