"""Azure traffic control: one network security group per tier, associated with that tier's
subnets, one inbound rule per allowed flow, the platform rules Azure services need, and an
explicit deny-all that overrides Azure's default AllowVnetInBound.

NSGs filter by address, not by group membership, so a flow's source and destination are the
CIDRs of the tiers its groups live in (the database and cache groups share the database tier).
Egress stays open (spec): Azure's default outbound rules are left in place.
"""

from __future__ import annotations

from typing import Any

from pulumi_azure_native import network, resources

from bettafish.config.network import TIERS, Flow, Network, Source, Tier
from components.base import NeutralComponent
from providers.azure.layout import NSG_OF, ROLE_OF, group_cidrs, role_cidrs

FIRST_FLOW_PRIORITY = 100
PRIORITY_STEP = 10
PLATFORM_PRIORITY = 4000
"""Platform rules sit above the configured flows and below the final deny."""
REDIS_CLUSTER_PORTS = "8500-8599"
"""Shard ports of Azure Managed Redis with the OSS clustering policy, besides the database port."""
PRIVATE_ENDPOINT_HTTPS = "443"
"""Blob storage and Key Vault answer their private endpoints on HTTPS only."""
DENY_ALL_PRIORITY = 4096
"""The last priority Azure accepts for a custom rule; Azure's own defaults start at 65000."""


def security_groups(
    parent: NeutralComponent,
    name: str,
    net: Network,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
) -> tuple[dict[Tier, network.NetworkSecurityGroup], dict[Tier, network.SecurityRule]]:
    """The NSG of each tier and the last rule written to it.

    A tier's rules are written one after another (Azure rejects concurrent writes to one NSG
    with AnotherOperationInProgress); a subnet that waits for the last rule is never attached to
    a half-built NSG.
    """
    nsgs = {
        tier: network.NetworkSecurityGroup(
            f"{name}-{tier}-nsg",
            resource_group_name=rg.name,
            location=location,
            tags=tags,
            opts=parent.child(),
        )
        for tier in TIERS
    }
    last: dict[Tier, network.SecurityRule] = {}
    for tier, rules in _rules(name, net).items():
        previous: network.SecurityRule | None = None
        for rule_name, args in rules:
            previous = network.SecurityRule(
                rule_name,
                resource_group_name=rg.name,
                network_security_group_name=nsgs[tier].name,
                direction="Inbound",
                source_port_range="*",
                opts=parent.child(depends_on=[previous] if previous else None),
                **args,
            )
        assert previous is not None, "every tier ends with the deny-all rule"
        last[tier] = previous
    return nsgs, last


def _rules(name: str, net: Network) -> dict[Tier, list[tuple[str, dict[str, Any]]]]:
    """Every inbound rule per tier, in priority order: flows, platform rules, deny-all."""
    rules: dict[Tier, list[tuple[str, dict[str, Any]]]] = {tier: [] for tier in TIERS}
    for i, flow in enumerate(net.flows):
        priority = FIRST_FLOW_PRIORITY + PRIORITY_STEP * i  # at most 100 flows: below PLATFORM_PRIORITY
        rules[NSG_OF[ROLE_OF[flow.to]]].append(
            (
                f"{name}-allow-{flow.name}",
                {
                    "priority": priority,
                    "access": "Allow",
                    "protocol": flow.protocol.capitalize(),
                    "destination_port_ranges": [str(p) for p in flow.ports],
                    "description": f"{flow.name}: {flow.source} to {flow.to} on {', '.join(map(str, flow.ports))}",
                    **_source(flow, net),
                    **_prefixes("destination", group_cidrs(flow.to, net)),
                },
            )
        )

    # Application Gateway v2 control plane: Azure refuses to deploy (or later fails) a v2 gateway
    # whose subnet NSG blocks GatewayManager on 65200-65535. Destination "Any", as Azure documents.
    rules["public"].append(
        _platform(
            f"{name}-public-gateway-manager",
            0,
            "GatewayManager",
            ["*"],
            "Tcp",
            "65200-65535",
            "Application Gateway v2 infrastructure ports",
        )
    )
    # Health probes of Azure load balancers and Application Gateway come from AzureLoadBalancer.
    rules["public"].append(
        _platform(
            f"{name}-public-azure-lb",
            1,
            "AzureLoadBalancer",
            role_cidrs("public", net),
            "*",
            "*",
            "Azure load balancer health probes",
        )
    )
    # Kubernetes nodes talk to each other across zones (kubelet, CNI, node ports).
    rules["private"].append(
        _platform(
            f"{name}-private-node-to-node",
            0,
            role_cidrs("private", net),
            role_cidrs("private", net),
            "*",
            "*",
            "Kubernetes node-to-node",
        )
    )
    # A zone-redundant PostgreSQL flexible server replicates to its standby inside the subnet.
    rules["database"].append(
        _platform(
            f"{name}-database-replication",
            0,
            group_cidrs("database", net),
            group_cidrs("database", net),
            "Tcp",
            "5432",
            "PostgreSQL HA replication",
        )
    )
    # Azure Managed Redis in OSS cluster mode (providers.azure.cache_cluster) answers on the database
    # port and redirects clients to each shard's own port in 8500-8599: whoever may reach the cache
    # may reach its shards.
    cache_sources = sorted({cidr for flow in net.flows if flow.to == "cache" for cidr in _flow_sources(flow, net)})
    if cache_sources:
        rules["database"].append(
            _platform(
                f"{name}-database-redis-shards",
                1,
                cache_sources,
                group_cidrs("cache", net),
                "Tcp",
                REDIS_CLUSTER_PORTS,
                "Azure Managed Redis OSS-cluster shard ports",
            )
        )
    # The workloads reach blob storage and Key Vault (the database credentials) through private endpoints
    # in the cache subnet (security rule 37); private endpoint network policies are on, so this NSG
    # filters them and its deny-all would otherwise answer 443 from the application subnets.
    rules["database"].append(
        _platform(
            f"{name}-database-private-endpoints",
            2,
            group_cidrs("application", net),
            group_cidrs("cache", net),
            "Tcp",
            PRIVATE_ENDPOINT_HTTPS,
            "Blob storage and Key Vault private endpoints over HTTPS from the application subnets",
        )
    )
    # Health probes of the AKS load balancers reach the nodes from AzureLoadBalancer.
    rules["private"].append(
        _platform(
            f"{name}-private-azure-lb",
            1,
            "AzureLoadBalancer",
            role_cidrs("private", net),
            "*",
            "*",
            "Azure load balancer health probes",
        )
    )

    for tier in TIERS:
        # Without this, Azure's default AllowVnetInBound (65000) lets the whole VNet in.
        rules[tier].append(
            (
                f"{name}-{tier}-deny-all",
                {
                    "priority": DENY_ALL_PRIORITY,
                    "access": "Deny",
                    "protocol": "*",
                    "source_address_prefix": "*",
                    "destination_address_prefix": "*",
                    "destination_port_range": "*",
                    "description": "deny all other inbound traffic, including the rest of the virtual network",
                },
            )
        )
    return rules


def _platform(
    rule_name: str,
    offset: int,
    source: str | list[str],
    destination: list[str],
    protocol: str,
    ports: str,
    description: str,
) -> tuple[str, dict[str, Any]]:
    return rule_name, {
        "priority": PLATFORM_PRIORITY + PRIORITY_STEP * offset,
        "access": "Allow",
        "protocol": protocol,
        "destination_port_range": ports,
        "description": description,
        **_prefixes("source", [source] if isinstance(source, str) else source),
        **_prefixes("destination", destination),
    }


def _source(flow: Flow, net: Network) -> dict[str, Any]:
    if flow.source == "internet":  # the config only lets it reach the load balancer on 80/443
        return {"source_address_prefix": "Internet"}
    return _prefixes("source", _source_cidrs(flow.source, net))


def _flow_sources(flow: Flow, net: Network) -> list[str]:
    """Address prefixes a flow comes from (``Internet`` for the internet)."""
    return ["Internet"] if flow.source == "internet" else _source_cidrs(flow.source, net)


def _source_cidrs(source: Source, net: Network) -> list[str]:
    if source == "network":
        return [str(net.cidr)]
    assert source != "internet"
    return group_cidrs(source, net)


def _prefixes(side: str, cidrs: list[str]) -> dict[str, Any]:
    """``<side>_address_prefix`` for one value, ``<side>_address_prefixes`` for several (never both)."""
    if len(cidrs) == 1:
        return {f"{side}_address_prefix": cidrs[0]}
    return {f"{side}_address_prefixes": cidrs}
