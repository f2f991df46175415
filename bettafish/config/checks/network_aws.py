"""The AWS public subnets' network ACL must carry every flow that crosses the public tier.

A network ACL is stateless: it judges each packet alone, replies included. Three kinds of traffic
cross the public subnets, in both directions:

- clients -> load balancer on the flows' ports, and the replies back to the clients' ephemeral ports;
- load balancer -> targets in the other tiers (requests and health checks), and the replies back to
  the load balancer's ephemeral ports;
- the private tier's egress through the NAT gateways: packets from the private subnets to any port
  (egress is open), forwarded to the internet, and the replies, which come back to the NAT
  gateway's source ports 1024-65535 over TCP and UDP.

The check walks sample packets of each kind through the configured rules as AWS does (lowest rule
number first, first match decides, anything unmatched is denied).
"""

from __future__ import annotations

from collections.abc import Iterator
from ipaddress import IPv4Address, IPv4Network

from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.network import AclRule, Group, Tier
from bettafish.config.stack import StackConfig

INTERNET = IPv4Address("203.0.113.10")
"""A sample internet address (TEST-NET-3): the internet is any address outside the network."""
EPHEMERAL = (1024, 32768, 65535)
"""Reply ports: NAT gateways use 1024-65535, Linux clients 32768-60999, Windows 49152-65535."""
ANY_PORT = (22, 25, 53, 80, 123, 443, 587, 5432, 8443, 65535)
"""Sample destination ports of open egress (SSH, mail submission, DNS, NTP, web, databases...)."""
GROUP_TIERS: dict[Group, Tier] = {
    "loadBalancer": "public",
    "application": "private",
    "database": "database",
    "cache": "database",
}

Packet = tuple[str, str, int, IPv4Address, str]
"""(inbound|outbound, tcp|udp, port, the other end's address, what it is for)."""


def acl_allows(rules: list[AclRule], protocol: str, port: int, peer: IPv4Address) -> bool:
    """AWS's evaluation: rules in ascending number, the first that matches decides; default deny."""
    for rule in sorted(rules, key=lambda r: r.rule_no):
        same_protocol = rule.protocol in ("all", protocol)
        in_range = rule.protocol == "all" or (rule.from_port or 0) <= port <= (rule.to_port or 0)
        if same_protocol and in_range and peer in rule.cidr:
            return rule.action == "allow"
    return False


def _first_host(cidr: IPv4Network) -> IPv4Address:
    return next(cidr.hosts())


def public_tier_packets(cfg: StackConfig) -> Iterator[Packet]:
    net = cfg.network
    for flow in net.flows:
        for port in flow.ports:
            if flow.to == "loadBalancer" and flow.source != "loadBalancer":
                if flow.source == "internet":
                    peers = [INTERNET]
                elif flow.source == "network":
                    peers = [_first_host(net.cidr)]
                else:
                    peers = [_first_host(c) for c in net.subnets.tier(GROUP_TIERS[flow.source])]
                for peer in peers:
                    yield "inbound", flow.protocol, port, peer, f"flow {flow.name}"
                    for reply in EPHEMERAL:
                        yield "outbound", flow.protocol, reply, peer, f"replies of flow {flow.name}"
            if flow.source == "loadBalancer" and GROUP_TIERS[flow.to] != "public":
                for target in net.subnets.tier(GROUP_TIERS[flow.to]):
                    peer = _first_host(target)
                    yield "outbound", flow.protocol, port, peer, f"flow {flow.name} and its health checks"
                    for reply in EPHEMERAL:
                        yield "inbound", flow.protocol, reply, peer, f"replies of flow {flow.name}"
    for protocol in ("tcp", "udp"):
        for private in net.subnets.tier("private"):
            peer = _first_host(private)
            for port in ANY_PORT:
                yield "inbound", protocol, port, peer, "private egress through NAT (private subnet -> NAT gateway)"
            for reply in EPHEMERAL:
                yield "outbound", protocol, reply, peer, "replies through NAT (NAT gateway -> private subnet)"
        for port in ANY_PORT:
            yield "outbound", protocol, port, INTERNET, "private egress through NAT (NAT gateway -> internet)"
        for reply in EPHEMERAL:
            yield "inbound", protocol, reply, INTERNET, "replies through NAT (internet -> NAT gateway)"


def check_aws_public_acl(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "aws":
        return
    acl = cfg.network.aws.public_acl
    reported: set[tuple[str, str]] = set()
    for direction, protocol, port, peer, purpose in public_tier_packets(cfg):
        rules = acl.inbound if direction == "inbound" else acl.outbound
        if acl_allows(rules, protocol, port, peer) or (direction, purpose) in reported:
            continue
        reported.add((direction, purpose))
        yield Issue(
            _key(f"network.aws.publicAcl.{direction}"),
            f"aws network ACLs are stateless: {purpose} is dropped ({protocol} port {port},"
            f" {'from' if direction == 'inbound' else 'to'} {peer}); add a rule that allows it",
        )
