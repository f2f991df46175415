"""Azure Vpc: a virtual network with regional public and database subnets, one private subnet per
zone behind its own zonal NAT gateway (or one shared), an NSG per tier and a VNet flow log."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi_azure_native import network, resources

from bettafish.config.network import TIERS, Network, Tier
from components.base import ids_of
from components.vpc import Vpc, VpcArgs
from providers.azure.flow_logs import vnet_flow_log
from providers.azure.network_security import security_groups


class AzureVpc(Vpc):
    """Children: ResourceGroup, VirtualNetwork, 5 Subnets, NAT gateways with Standard public IPs,
    an NSG per tier with its rules, a flow-log storage account and the VNet flow log.

    Azure subnets span every zone of the region, so the public (Application Gateway / load
    balancer) and database tiers are one subnet each over the tier's covering range. The private
    tier keeps its zonal CIDRs as one subnet per zone: a subnet takes a single NAT gateway and a
    NAT gateway lives in one zone, so a zone's nodes only egress through their own zone's NAT
    (Azure's "zonal stack"). No subnet gets implicit outbound access.

    Extra attributes for sibling Azure components: ``resource_group``, ``vnet``, ``subnets``
    (per tier), ``nat_gateways``, ``security_groups`` (per tier).
    """

    def __init__(self, name: str, args: VpcArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        net, ctx = args.network, args.context
        tags = ctx.tags("network")
        location = ctx.provider.region
        zones = net.zones.of("azure")

        self.resource_group = resources.ResourceGroup(f"{name}-rg", location=location, tags=tags, opts=self.child())
        self.vnet = network.VirtualNetwork(
            f"{name}-vnet",
            resource_group_name=self.resource_group.name,
            location=location,
            address_space={"address_prefixes": [str(net.cidr)]},
            # No inline subnets: they are Subnet resources below, and mixing both styles makes
            # each update of the VNet fight the Subnet resources.
            tags=tags,
            opts=self.child(),
        )
        nat_zones = zones if net.nat_gateways == "perZone" else zones[:1]
        self.nat_gateways = [self._nat_gateway(f"{name}-nat-{zone}", zone, location, tags) for zone in nat_zones]
        self.security_groups, rules_done = security_groups(self, name, net, self.resource_group, location, tags)
        self.subnets = self._subnets(name, net, zones, rules_done)
        vnet_flow_log(
            self, name, net.flow_logs, net.azure.network_watcher, self.resource_group, self.vnet, location, tags
        )

        self._publish(
            network_id=self.vnet.id,
            cidr=pulumi.Output.from_input(str(net.cidr)),
            zones=pulumi.Output.from_input(zones),
            public_subnet_ids=ids_of(self.subnets["public"]),
            private_subnet_ids=ids_of(self.subnets["private"]),
            database_subnet_ids=ids_of(self.subnets["database"]),
        )

    def _nat_gateway(self, nat_name: str, zone: str, location: str, tags: dict[str, str]) -> network.NatGateway:
        """A zonal NAT gateway with its own zonal Standard public IP."""
        ip = network.PublicIPAddress(
            f"{nat_name}-ip",
            resource_group_name=self.resource_group.name,
            location=location,
            sku={"name": "Standard"},
            public_ip_allocation_method="Static",
            zones=[zone],
            tags=tags,
            opts=self.child(),
        )
        return network.NatGateway(
            nat_name,
            resource_group_name=self.resource_group.name,
            location=location,
            sku={"name": "Standard"},
            zones=[zone],
            idle_timeout_in_minutes=4,
            public_ip_addresses=[{"id": ip.id}],
            tags=tags,
            opts=self.child(),
        )

    def _subnets(
        self, name: str, net: Network, zones: list[str], rules_done: dict[Tier, network.SecurityRule]
    ) -> dict[Tier, list[network.Subnet]]:
        """Public, private per zone, database; created one after another because Azure rejects
        concurrent subnet writes on one VNet (AnotherOperationInProgress)."""
        per_zone_nat = net.nat_gateways == "perZone"
        plan: list[tuple[Tier, str, dict[str, Any]]] = [
            ("public", f"{name}-public", {"address_prefix": str(net.subnets.regional("public"))}),
            *[
                (
                    "private",
                    f"{name}-private-{zone}",
                    {
                        "address_prefix": str(cidr),
                        "nat_gateway": {"id": self.nat_gateways[i if per_zone_nat else 0].id},
                    },
                )
                for i, (cidr, zone) in enumerate(zip(net.subnets.private, zones, strict=True))
            ],
            ("database", f"{name}-database", {"address_prefix": str(net.subnets.regional("database"))}),
        ]
        subnets: dict[Tier, list[network.Subnet]] = {tier: [] for tier in TIERS}
        previous: network.Subnet | None = None
        for tier, subnet_name, extra in plan:
            previous = network.Subnet(
                subnet_name,
                resource_group_name=self.resource_group.name,
                virtual_network_name=self.vnet.name,
                default_outbound_access=False,
                # Private endpoints (Redis, storage) obey the subnet's NSG like everything else.
                private_endpoint_network_policies="Enabled",
                network_security_group={"id": self.security_groups[tier].id},
                # Wait for the tier's NSG rules so the subnet never sits behind a half-built NSG.
                opts=self.child(depends_on=[rules_done[tier], *([previous] if previous else [])]),
                **extra,
            )
            subnets[tier].append(previous)
        return subnets
