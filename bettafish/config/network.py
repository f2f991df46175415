"""Network config: address plan, zones, NAT, traffic flows, ACLs and flow logs."""

from __future__ import annotations

from ipaddress import IPv4Network
from typing import Annotated, Literal

from pydantic import Field, field_validator, model_validator

from bettafish.config.base import Cidr, Cloud, Model, Port, PositiveInt, require_unique

Tier = Literal["public", "private", "database"]
TIERS: tuple[Tier, ...] = ("public", "private", "database")

Group = Literal["loadBalancer", "application", "database", "cache"]
"""Workload groups that receive traffic (a security group, network tag or subnet per cloud)."""

Source = Literal["internet", "network", "loadBalancer", "application", "database", "cache"]
"""Where a flow comes from: the internet, any address in the network, or a group."""

CLOUDWATCH_RETENTION_DAYS = frozenset(
    {1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653}
)


def covering_cidr(networks: list[IPv4Network]) -> IPv4Network:
    """The smallest CIDR that contains every network in ``networks``."""
    first = networks[0]
    for prefix in range(first.prefixlen, -1, -1):
        candidate = first.supernet(new_prefix=prefix)
        if all(n.subnet_of(candidate) for n in networks):
            return candidate
    raise AssertionError("0.0.0.0/0 contains every IPv4 network")


class Subnets(Model):
    """One CIDR per zone for each tier, in zone order."""

    public: Annotated[list[Cidr], Field(min_length=1)]
    private: Annotated[list[Cidr], Field(min_length=1)]
    database: Annotated[list[Cidr], Field(min_length=1)]

    def tier(self, tier: Tier) -> list[IPv4Network]:
        return list(getattr(self, tier))

    def regional(self, tier: Tier) -> IPv4Network:
        """The single range a regional cloud (GCP, Azure) gives this tier."""
        return covering_cidr(self.tier(tier))


class Zones(Model):
    """Availability zones per cloud, in the order the subnets use them."""

    aws: list[str] | None = None
    gcp: list[str] | None = None
    azure: list[str] | None = None

    def of(self, cloud: Cloud) -> list[str]:
        return list(getattr(self, cloud) or [])


class Flow(Model):
    """One allowed inbound flow: ``from`` may reach ``to`` on ``ports``."""

    name: Annotated[str, Field(pattern=r"^[a-z][a-z0-9-]{0,40}$")]
    source: Source = Field(alias="from")
    to: Group
    ports: Annotated[list[Port], Field(min_length=1)]
    protocol: Literal["tcp", "udp"] = "tcp"

    @model_validator(mode="after")
    def _internet_only_reaches_web_ports(self) -> Flow:
        if self.source == "internet" and (self.to != "loadBalancer" or set(self.ports) - {80, 443}):
            raise ValueError("the internet may only reach the loadBalancer, on ports 80 and 443")
        if self.source == self.to:
            raise ValueError(f"a flow from {self.source} to itself is implicit; remove it")
        return self


class AclRule(Model):
    """A stateless network ACL entry (AWS public subnets)."""

    rule_no: Annotated[int, Field(ge=1, le=32766)]
    protocol: Literal["tcp", "udp", "all"]
    from_port: Port | None = None
    to_port: Port | None = None
    action: Literal["allow", "deny"]
    cidr: Cidr

    @model_validator(mode="after")
    def _ports_match_protocol(self) -> AclRule:
        if self.protocol == "all":
            if self.from_port is not None or self.to_port is not None:
                raise ValueError("protocol 'all' takes no ports")
        elif self.from_port is None or self.to_port is None or self.from_port > self.to_port:
            raise ValueError("tcp and udp rules need fromPort <= toPort")
        return self


class PublicAcl(Model):
    inbound: list[AclRule]
    outbound: list[AclRule]

    @field_validator("inbound", "outbound")
    @classmethod
    def _unique_rule_numbers(cls, rules: list[AclRule]) -> list[AclRule]:
        require_unique("rule numbers", [r.rule_no for r in rules])
        return rules


class FlowLogs(Model):
    retention_days: PositiveInt
    traffic_type: Literal["ALL", "ACCEPT", "REJECT"] = "ALL"
    """Only AWS can log accepted or rejected traffic alone; GCP and Azure always log both."""
    aggregation_interval_seconds: Literal[60, 600] = 60
    """Azure aggregates every minute, so only 60 is valid there."""


class AwsNetwork(Model):
    """Settings only AWS has."""

    public_acl: PublicAcl
    """The stateless network ACL of the public subnets (GCP and Azure have no subnet ACL; their
    firewall and NSG rules carry the same flows)."""


class AzureNetworkWatcher(Model):
    """Azure keeps one Network Watcher per region, which it creates itself; flow logs attach to it."""

    resource_group: str = "NetworkWatcherRG"
    name: str | None = Field(default=None, description="Defaults to NetworkWatcher_<location>.")


class AzureNetwork(Model):
    """Settings only Azure has."""

    network_watcher: AzureNetworkWatcher = AzureNetworkWatcher()


class Network(Model):
    """The private network every other component lives in."""

    cidr: Cidr
    zones: Zones
    subnets: Subnets
    nat_gateways: Literal["perZone", "single"]
    public_ip_on_launch: bool = False
    """AWS only: give instances in public subnets a public IP (GCP and Azure never do implicitly)."""
    flows: Annotated[list[Flow], Field(min_length=1, max_length=100)]
    flow_logs: FlowLogs
    aws: AwsNetwork
    azure: AzureNetwork = AzureNetwork()

    @field_validator("flows")
    @classmethod
    def _unique_flow_names(cls, flows: list[Flow]) -> list[Flow]:
        require_unique("flow names", [f.name for f in flows])
        return flows
