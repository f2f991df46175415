"""Azure Vpc: a virtual network with the subnets of ``providers.azure.layout``, zonal NAT gateways
for the private subnets, an NSG per tier and a VNet flow log."""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi_azure_native import network, privatedns, resources

from bettafish.config.network import Network, Tier
from components.base import ids_of, sibling
from components.vpc import Vpc, VpcArgs
from providers.azure.common import private_dns_zone
from providers.azure.flow_logs import vnet_flow_log
from providers.azure.keys import AzureKeys
from providers.azure.layout import NSG_OF, Role, subnet_plan
from providers.azure.network_security import security_groups
from providers.azure.private_endpoints import VAULT_GROUP, VAULT_ZONE, private_endpoint


class AzureVpc(Vpc):
    """Children: ResourceGroup, VirtualNetwork, 6 Subnets, NAT gateways with Standard public IPs,
    an NSG per tier with its rules, a flow-log storage account (encrypted with the ``logs`` key
    through its own identity) with its writer identity, and the VNet flow log.

    Azure subnets span every zone of the region (see ``providers.azure.layout``): the public tier
    is one subnet; the private tier keeps one subnet per zone, because a subnet takes a single NAT
    gateway and a NAT gateway lives in one zone, so each zone egresses through its own ("zonal
    stack"); the database tier is a subnet delegated to PostgreSQL plus one for the private
    endpoints of the data services (the cache, blob storage, Key Vault). No subnet gets implicit
    outbound access.

    The workloads read the stack's Key Vault (the database credentials behind
    ``databaseCredentialsRef``) through a private endpoint in the endpoint subnet, resolved by the
    ``privatelink.vaultcore.azure.net`` zone linked to the VNet (security rule 37): the vault denies
    public networks.

    Extra attributes for sibling Azure components: ``resource_group``, ``vnet``, ``subnets``
    (per role: public, private, database, cache), ``nat_gateways``, ``security_groups`` (per tier),
    ``vault_dns_zone`` and ``vault_endpoint`` (the one ``privatelink.vaultcore.azure.net`` zone a VNet
    may link: a cluster's private key vault registers there too).
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
        self.subnets = self._subnets(name, net, rules_done)
        keys = sibling(args.keys, AzureKeys)
        vnet_flow_log(
            self, name, net.flow_logs, net.azure.network_watcher, keys, self.resource_group, self.vnet, location, tags
        )
        self.vault_dns_zone, self.vault_endpoint = self._vault_endpoint(name, keys, location, tags)

        self._publish(
            network_id=self.vnet.id,
            cidr=pulumi.Output.from_input(str(net.cidr)),
            zones=pulumi.Output.from_input(zones),
            public_subnet_ids=ids_of(self.subnets["public"]),
            private_subnet_ids=ids_of(self.subnets["private"]),
            database_subnet_ids=ids_of(self.subnets["database"] + self.subnets["cache"]),
        )

    @property
    def endpoint_subnet_id(self) -> pulumi.Output[str]:
        """Where private endpoints take their addresses (the upper half of the database tier)."""
        subnet_id: pulumi.Output[str] = self.subnets["cache"][0].id
        return subnet_id

    def _vault_endpoint(
        self, name: str, keys: AzureKeys, location: str, tags: dict[str, str]
    ) -> tuple[privatedns.PrivateZone, network.PrivateEndpoint]:
        zone, _ = private_dns_zone(self, f"{name}-vault", VAULT_ZONE, self.resource_group, self.vnet.id, tags)
        endpoint = private_endpoint(
            self,
            f"{name}-vault-endpoint",
            subnet_id=self.endpoint_subnet_id,
            rg=self.resource_group,
            location=location,
            target_id=keys.vault.id,
            group=VAULT_GROUP,
            zone=zone,
            tags=tags,
        )
        return zone, endpoint

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
        self, name: str, net: Network, rules_done: dict[Tier, network.SecurityRule]
    ) -> dict[Role, list[network.Subnet]]:
        """Every subnet of ``subnet_plan``, one after another: Azure rejects concurrent subnet
        writes on one VNet (AnotherOperationInProgress)."""
        per_zone_nat = net.nat_gateways == "perZone"
        subnets: dict[Role, list[network.Subnet]] = {}
        previous: list[network.Subnet] = []
        for plan in subnet_plan(net):
            nsg_tier = NSG_OF[plan.role]
            extra: dict[str, Any] = {}
            if plan.zone_index is not None:
                nat = self.nat_gateways[plan.zone_index if per_zone_nat else 0]
                extra["nat_gateway"] = {"id": nat.id}
            if plan.delegation:
                extra["delegations"] = [{"name": "postgres", "service_name": plan.delegation}]
            subnet = network.Subnet(
                f"{name}-{plan.suffix}",
                resource_group_name=self.resource_group.name,
                virtual_network_name=self.vnet.name,
                address_prefix=str(plan.cidr),
                default_outbound_access=False,
                # Private endpoints (the cache) obey the subnet's NSG like everything else.
                private_endpoint_network_policies="Enabled",
                network_security_group={"id": self.security_groups[nsg_tier].id},
                # Wait for the tier's NSG rules so the subnet never sits behind a half-built NSG.
                opts=self.child(depends_on=[rules_done[nsg_tier], *previous[-1:]]),
                **extra,
            )
            subnets.setdefault(plan.role, []).append(subnet)
            previous.append(subnet)
        return subnets
