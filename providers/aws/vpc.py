"""AWS Vpc: one subnet per tier per zone, internet gateway, NAT per zone (or one), isolated database
tier, an S3 gateway endpoint for the private tier."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from bettafish.config.network import TIERS, Tier
from components.base import ids_of, sibling
from components.vpc import Vpc, VpcArgs
from providers.aws.endpoints import s3_gateway_endpoint
from providers.aws.flow_logs import vpc_flow_log
from providers.aws.keys import AwsKeys
from providers.aws.network_security import default_security_group, public_network_acl, security_groups

_K8S_ROLE_TAGS: dict[Tier, dict[str, str]] = {
    "public": {"kubernetes.io/role/elb": "1"},
    "private": {"kubernetes.io/role/internal-elb": "1"},
    "database": {},
}


class AwsVpc(Vpc):
    """Children: Vpc, 3x3 Subnets, InternetGateway, NAT gateways with EIPs, route tables, an S3
    gateway endpoint on the private route tables, security groups per flow group, the public
    network ACL, the emptied default security group, a flow log (encrypted with the logs key).

    Extra attributes for sibling AWS components: ``vpc``, ``subnets`` (per tier),
    ``security_groups`` (per group), ``nat_gateways``, ``private_route_tables`` (per zone),
    ``s3_endpoint``.
    """

    def __init__(self, name: str, args: VpcArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        net, ctx = args.network, args.context
        tags = ctx.tags("network")
        zones = net.zones.of("aws")

        self.vpc = aws.ec2.Vpc(
            f"{name}-vpc",
            cidr_block=str(net.cidr),
            enable_dns_hostnames=True,
            enable_dns_support=True,
            tags={**tags, "Name": f"{name}-vpc"},
            opts=self.child(),
        )
        self.subnets: dict[Tier, list[aws.ec2.Subnet]] = {
            tier: [
                aws.ec2.Subnet(
                    f"{name}-{tier}-{zone[-1]}",
                    vpc_id=self.vpc.id,
                    cidr_block=str(cidr),
                    availability_zone=zone,
                    map_public_ip_on_launch=tier == "public" and net.public_ip_on_launch,
                    tags={**tags, **_K8S_ROLE_TAGS[tier], "Name": f"{name}-{tier}-{zone[-1]}", "tier": tier},
                    opts=self.child(),
                )
                for cidr, zone in zip(net.subnets.tier(tier), zones, strict=True)
            ]
            for tier in TIERS
        }
        self._route(name, tags, zones, per_zone_nat=net.nat_gateways == "perZone")
        self.s3_endpoint = s3_gateway_endpoint(
            self, name, self.vpc, self.private_route_tables, ctx.provider.region, tags
        )
        self.security_groups = security_groups(self, name, net, self.vpc, tags)
        public_network_acl(self, name, net.aws.public_acl, self.vpc, self.subnets["public"], tags)
        default_security_group(self, name, self.vpc, tags)
        logs_key = sibling(args.keys, AwsKeys).keys["logs"]
        vpc_flow_log(self, name, net.flow_logs, self.vpc, logs_key, ctx.provider.region, tags)

        self._publish(
            network_id=self.vpc.id,
            cidr=self.vpc.cidr_block,
            zones=pulumi.Output.from_input(zones),
            public_subnet_ids=ids_of(self.subnets["public"]),
            private_subnet_ids=ids_of(self.subnets["private"]),
            database_subnet_ids=ids_of(self.subnets["database"]),
        )

    def _route(self, name: str, tags: dict[str, str], zones: list[str], per_zone_nat: bool) -> None:
        """Public tier -> internet gateway; private tier -> NAT in its zone; database tier -> no
        internet."""
        igw = aws.ec2.InternetGateway(
            f"{name}-igw", vpc_id=self.vpc.id, tags={**tags, "Name": f"{name}-igw"}, opts=self.child()
        )
        public_rt = self._route_table(f"{name}-public", tags, "public")
        aws.ec2.Route(
            f"{name}-public-default",
            route_table_id=public_rt.id,
            destination_cidr_block="0.0.0.0/0",
            gateway_id=igw.id,
            opts=self.child(),
        )
        for subnet, zone in zip(self.subnets["public"], zones, strict=True):
            self._associate(f"{name}-public-{zone[-1]}", public_rt, subnet)

        nat_zones = zones if per_zone_nat else zones[:1]
        self.nat_gateways = [
            aws.ec2.NatGateway(
                f"{name}-nat-{zone[-1]}",
                allocation_id=aws.ec2.Eip(
                    f"{name}-nat-{zone[-1]}",
                    domain="vpc",
                    tags={**tags, "Name": f"{name}-nat-{zone[-1]}"},
                    opts=self.child(),
                ).id,
                subnet_id=subnet.id,
                connectivity_type="public",
                tags={**tags, "Name": f"{name}-nat-{zone[-1]}"},
                opts=self.child(depends_on=[igw]),
            )
            for subnet, zone in zip(self.subnets["public"], nat_zones, strict=False)
        ]
        self.private_route_tables: list[aws.ec2.RouteTable] = []
        for i, (subnet, zone) in enumerate(zip(self.subnets["private"], zones, strict=True)):
            rt = self._route_table(f"{name}-private-{zone[-1]}", tags, "private")
            self.private_route_tables.append(rt)
            aws.ec2.Route(
                f"{name}-private-{zone[-1]}-default",
                route_table_id=rt.id,
                destination_cidr_block="0.0.0.0/0",
                nat_gateway_id=self.nat_gateways[i if per_zone_nat else 0].id,
                opts=self.child(),
            )
            self._associate(f"{name}-private-{zone[-1]}", rt, subnet)

        database_rt = self._route_table(f"{name}-database", tags, "database")
        for subnet, zone in zip(self.subnets["database"], zones, strict=True):
            self._associate(f"{name}-database-{zone[-1]}", database_rt, subnet)

    def _route_table(self, rt_name: str, tags: dict[str, str], tier: Tier) -> aws.ec2.RouteTable:
        return aws.ec2.RouteTable(
            f"{rt_name}-rt", vpc_id=self.vpc.id, tags={**tags, "Name": f"{rt_name}-rt", "tier": tier}, opts=self.child()
        )

    def _associate(self, assoc_name: str, rt: aws.ec2.RouteTable, subnet: aws.ec2.Subnet) -> None:
        aws.ec2.RouteTableAssociation(f"{assoc_name}-rta", route_table_id=rt.id, subnet_id=subnet.id, opts=self.child())
