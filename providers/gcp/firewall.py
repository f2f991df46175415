"""GCP traffic control: VPC firewall rules from the configured flows, keyed on network tags.

Where each group lives on GCP decides the rule:

- ``application`` runs on tagged instances (GKE nodes) in the private subnetwork, so flows to it
  are INGRESS rules targeting its network tag.
- ``loadBalancer`` is Google's global front end, outside the VPC. As a source it is the front-end
  and health-check ranges; as a destination (internet to 80/443) it needs no VPC rule at all,
  because the load balancer's forwarding rule is what opens 80/443.
- ``database`` and ``cache`` are Cloud SQL in the private services access range (a peered producer
  network) and Memorystore's Private Service Connect endpoints in the cache subnetwork, the two
  halves of the database tier (see ``providers.gcp.layout``). This VPC's ingress rules do not
  apply to producers, so flows to them are EGRESS rules on the source side, each to its group's
  half, with one lower-priority egress deny so nothing else reaches the tier's range. A flow to
  the cache also opens Memorystore for Redis Cluster's node ports (``REDIS_CLUSTER_NODE_PORTS``).

Every rule logs (metadata included), and one explicit deny-all ingress sits just above GCP's
implied one so the intent is visible and denied connections are logged.
"""

from __future__ import annotations

import re

import pulumi_gcp as gcp

from bettafish.config.network import Flow, Network
from components.base import NeutralComponent
from providers.gcp.layout import SERVICE_GROUPS, DatabaseTier

GOOGLE_FRONT_END_RANGES: tuple[str, ...] = ("130.211.0.0/22", "35.191.0.0/16")
"""Where Google's global load balancers (GFE) and their health checks connect from; see
https://cloud.google.com/load-balancing/docs/health-check-concepts#ip-ranges."""

_TAG_SLUG: dict[str, str] = {"application": "app"}
"""Groups that run on instances inside the VPC, by the suffix of their network tag."""

REDIS_CLUSTER_NODE_PORTS = "11000-13047"
"""Memorystore for Redis Cluster answers on the discovery port (the flow's 6379) and redirects
clients (MOVED, CLUSTER SLOTS) to each node's own port in this range on the same PSC endpoints:
Google documents TCP 6379 and 11000-13047 for every endpoint of the cluster
(https://cloud.google.com/memorystore/docs/cluster/connect-cluster-instance)."""

ALLOW_PRIORITY = 1000
SERVICES_DENY_PRIORITY = 65000
INGRESS_DENY_PRIORITY = 65534
"""Evaluated just before GCP's implied deny-ingress (65535), which does not log."""

_LOG = {"metadata": "INCLUDE_ALL_METADATA"}
_RFC1035 = re.compile(r"^[a-z]([-a-z0-9]*[a-z0-9])?$")
_AUTONAME_SUFFIX = 8
"""Pulumi autonaming appends ``-`` and seven random characters to the logical name."""


def gcp_name(name: str, role: str) -> str:
    """The logical name ``{name}-{role}``, checked to be a valid GCP resource name once Pulumi
    appends its autonaming suffix (lowercase RFC 1035, at most 63 characters)."""
    logical = f"{name}-{role}"
    if not _RFC1035.match(logical) or len(logical) + _AUTONAME_SUFFIX > 63:
        raise ValueError(
            f"{logical!r} cannot name a GCP resource: it must be lowercase letters, digits and hyphens,"
            f" start with a letter and stay within {63 - _AUTONAME_SUFFIX} characters"
        )
    return logical


def network_tag(name: str, group: str) -> str:
    """The network tag that instances of ``group`` carry (GKE node pools set it)."""
    return gcp_name(name, _TAG_SLUG[group])


def firewall_rules(
    parent: NeutralComponent,
    name: str,
    net: Network,
    network: gcp.compute.Network,
    services: DatabaseTier,
    project: str,
) -> list[gcp.compute.Firewall]:
    """One rule per flow that crosses the VPC, the egress guard of the database tier, deny-all ingress."""

    def firewall(role: str, description: str, **rule: object) -> gcp.compute.Firewall:
        return gcp.compute.Firewall(
            gcp_name(name, role),
            project=project,
            network=network.id,
            description=description,
            log_config=_LOG,
            opts=parent.child(),
            **rule,
        )

    rules = []
    for flow in net.flows:
        if flow.to == "loadBalancer":
            # The global load balancer lives outside the VPC: its forwarding rule opens 80/443 and
            # it reaches the backends through the lb-to-application flow, so no VPC rule here.
            continue
        ports = [str(p) for p in flow.ports] + ([REDIS_CLUSTER_NODE_PORTS] if flow.to == "cache" else [])
        allows = [{"protocol": flow.protocol, "ports": ports}]
        description = f"{flow.name}: {flow.source} to {flow.to} on {flow.protocol} {', '.join(ports)}"
        if flow.to in SERVICE_GROUPS:
            rule = {
                "direction": "EGRESS",
                "destination_ranges": [str(services.of(flow.to))],
                **_egress_source(flow, name),
            }
        else:
            rule = {
                "direction": "INGRESS",
                "target_tags": [network_tag(name, flow.to)],
                **_ingress_source(flow, name, net, services),
            }
        rules.append(firewall(flow.name, description, priority=ALLOW_PRIORITY, allows=allows, **rule))

    rules.append(
        firewall(
            "deny-services-egress",
            "Nothing reaches the database tier (Cloud SQL, Memorystore endpoints) except the flows allowed above",
            direction="EGRESS",
            priority=SERVICES_DENY_PRIORITY,
            destination_ranges=[str(services.tier)],
            denies=[{"protocol": "all"}],
        )
    )
    rules.append(
        firewall(
            "deny-all-ingress",
            "Explicit, logged deny of every inbound connection the rules above do not allow",
            direction="INGRESS",
            priority=INGRESS_DENY_PRIORITY,
            source_ranges=["0.0.0.0/0"],
            denies=[{"protocol": "all"}],
        )
    )
    return rules


def _ingress_source(flow: Flow, name: str, net: Network, services: DatabaseTier) -> dict[str, object]:
    source = flow.source
    if source == "network":
        return {"source_ranges": [str(net.cidr)]}
    if source == "loadBalancer":
        return {"source_ranges": list(GOOGLE_FRONT_END_RANGES)}
    if source in _TAG_SLUG:
        return {"source_tags": [network_tag(name, source)]}
    if source in SERVICE_GROUPS:
        return {"source_ranges": [str(services.of(source))]}
    # The config only lets the internet reach the load balancer (80/443), which needs no VPC rule.
    raise ValueError(f"flow {flow.name}: {source} cannot reach {flow.to} on GCP")


def _egress_source(flow: Flow, name: str) -> dict[str, object]:
    """Which instances an egress rule to the database tier applies to."""
    if flow.source in _TAG_SLUG:
        return {"target_tags": [network_tag(name, flow.source)]}
    if flow.source == "network":
        return {}  # every instance in the network
    # Google's front end and the managed services themselves sit outside this VPC; no VPC
    # firewall can carry such a flow (and peering is not transitive between producers).
    raise ValueError(f"flow {flow.name}: on GCP {flow.source} cannot reach {flow.to} through the VPC")
