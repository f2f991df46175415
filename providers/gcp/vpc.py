"""GCP Vpc: a custom-mode VPC network with one regional subnetwork per tier, the database tier split
into the private services access range (Cloud SQL) and the cache subnetwork (Memorystore's PSC
endpoints), Cloud NAT for the private tier, firewall rules per flow and subnetwork flow logs kept
for the configured number of days in a log bucket encrypted with the stack's logs key."""

from __future__ import annotations

import json
from ipaddress import IPv4Network

import pulumi
import pulumi_gcp as gcp

from bettafish.config.network import FlowLogs, Tier
from components.base import ids_of, sibling
from components.vpc import Vpc, VpcArgs
from providers.gcp.firewall import firewall_rules, gcp_name, network_tag
from providers.gcp.keys import GcpKeys
from providers.gcp.layout import database_tier
from providers.gcp.log_buckets import routed_logs
from providers.gcp.project import COMPUTE, SERVICE_NETWORKING, enable_apis, require_project

__all__ = ["SUBNETWORK_ROLES", "GcpVpc", "require_project"]

_SUBNET_TIERS: tuple[Tier, ...] = ("public", "private")
"""Tiers built as one subnetwork each; the database tier is split (``providers.gcp.layout``)."""
SUBNETWORK_ROLES: tuple[str, ...] = (*_SUBNET_TIERS, "cache")
"""Every subnetwork: the public and private tiers, and the upper half of the database tier (the
cache's PSC endpoints); the tier's lower half is the private services access range."""

_AGGREGATION_INTERVAL = {60: "INTERVAL_1_MIN", 600: "INTERVAL_10_MIN"}
_FLOW_LOG_FILTER = 'resource.type="gce_subnetwork" AND log_id("compute.googleapis.com/vpc_flows")'
POD_RANGE = "pods"
SERVICE_RANGE = "services"
"""Names of the private subnetwork's secondary ranges, which a VPC-native GKE cluster allocates
pod and service (ClusterIP) addresses from."""


class GcpVpc(Vpc):
    """Children: the Compute Engine and Service Networking APIs; a custom-mode Network; a regional Subnetwork for the public and for the private
    tier, each covering the tier's zonal CIDRs, with flow logs; the database tier's covering range
    in halves (``providers.gcp.layout``): the lower half a private services access range
    (GlobalAddress) peered through a service networking Connection, where Cloud SQL takes its
    addresses, the upper half the ``cache`` Subnetwork (flow logs too) where Memorystore for Redis
    Cluster places its Private Service Connect endpoints; a Router with Cloud NAT for the private
    subnetwork; firewall rules from the flows (see ``providers.gcp.firewall``); a log bucket with
    the configured retention, encrypted with the ``logs`` key, and the sink that routes the flow
    logs into it (``providers.gcp.log_buckets``).

    Every subnetwork has Private Google Access (security rule 37): instances without an external
    address, GKE nodes and pods included, reach Cloud Storage, Secret Manager, Cloud KMS and the
    other Google APIs over Google's network through the default internet gateway route, which the
    network keeps, without going through Cloud NAT. Cloud SQL (private services access) and
    Memorystore (Private Service Connect) are private addresses inside the network.

    Cloud NAT is one regional, zone-redundant managed service, so ``natGateways: perZone`` and
    ``single`` build the same thing: one Router and one RouterNat. The public tier gets no NAT; it
    reaches the internet through the default internet-gateway route of the network.

    Extra attributes for sibling GCP components: ``network``, ``subnetworks`` (public, private and
    cache), ``service_range`` and ``service_connection`` (private services access, for Cloud SQL to
    allocate from and depend on), ``app_tag`` (the network tag application nodes must carry),
    ``flow_log_bucket``. With ``pod_cidr``/``service_cidr`` the private subnetwork carries them as
    the ``pods`` and ``services`` secondary ranges (``POD_RANGE``, ``SERVICE_RANGE``) of a
    VPC-native GKE cluster.
    """

    def __init__(self, name: str, args: VpcArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        net, ctx = args.network, args.context
        project, region = require_project(ctx), ctx.provider.region
        apis = enable_apis(self, name, project, COMPUTE, SERVICE_NETWORKING)
        self.app_tag = network_tag(name, "application")
        services = database_tier(net)
        roles: dict[str, tuple[IPv4Network, str]] = {
            tier: (
                net.subnets.regional(tier),
                f"BettaFish {tier} tier: {', '.join(map(str, net.subnets.tier(tier)))} as one regional range",
            )
            for tier in _SUBNET_TIERS
        }
        roles["cache"] = (
            services.cache,
            f"BettaFish database tier, upper half {services.cache}: PSC endpoints of Memorystore for Redis Cluster",
        )

        self.network = gcp.compute.Network(
            gcp_name(name, "vpc"),
            project=project,
            auto_create_subnetworks=False,
            routing_mode="REGIONAL",
            delete_default_routes_on_create=False,
            description=f"BettaFish private network {net.cidr}: custom mode, one regional subnetwork per tier",
            opts=self.child(depends_on=[apis[COMPUTE]]),
        )
        secondary = {"private": _kubernetes_ranges(args)}
        self.subnetworks: dict[str, gcp.compute.Subnetwork] = {
            role: self._subnetwork(name, role, cidr, description, net.flow_logs, project, region, secondary.get(role))
            for role, (cidr, description) in roles.items()
        }
        self._private_services(name, services.database, project, ctx.tags("network"), apis[SERVICE_NETWORKING])
        self._nat(name, project, region)
        self.firewalls = firewall_rules(self, name, net, self.network, services, project)
        self._flow_log_retention(name, net.flow_logs, project, region, sibling(args.keys, GcpKeys))

        self._publish(
            network_id=self.network.id,
            cidr=pulumi.Output.from_input(str(net.cidr)),
            zones=pulumi.Output.from_input(net.zones.of("gcp")),
            public_subnet_ids=ids_of([self.subnetworks["public"]]),
            private_subnet_ids=ids_of([self.subnetworks["private"]]),
            database_subnet_ids=ids_of([self.service_range, self.subnetworks["cache"]]),
        )

    def _subnetwork(
        self,
        name: str,
        role: str,
        cidr: IPv4Network,
        description: str,
        logs: FlowLogs,
        project: str,
        region: str,
        secondary_ip_ranges: list[dict[str, str]] | None = None,
    ) -> gcp.compute.Subnetwork:
        return gcp.compute.Subnetwork(
            gcp_name(name, role),
            project=project,
            region=region,
            network=self.network.id,
            ip_cidr_range=str(cidr),
            secondary_ip_ranges=secondary_ip_ranges or None,
            stack_type="IPV4_ONLY",
            private_ip_google_access=True,
            # GCP flow logs record the connections that took place; denied ones are in the logs of
            # the firewall rules, which all log. So every traffic type is covered without a filter.
            log_config={
                "aggregation_interval": _AGGREGATION_INTERVAL[logs.aggregation_interval_seconds],
                "flow_sampling": 1.0,
                "metadata": "INCLUDE_ALL_METADATA",
            },
            description=description,
            opts=self.child(),
        )

    def _private_services(
        self, name: str, cidr: IPv4Network, project: str, labels: dict[str, str], api: gcp.projects.Service
    ) -> None:
        """The lower half of the database tier, reserved for Google's producer networks (Cloud SQL)
        and peered to this one."""
        self.service_range = gcp.compute.GlobalAddress(
            gcp_name(name, "database-range"),
            project=project,
            purpose="VPC_PEERING",
            address_type="INTERNAL",
            address=str(cidr.network_address),
            prefix_length=cidr.prefixlen,
            network=self.network.id,
            labels=labels,
            description=f"BettaFish database tier, lower half {cidr}: private services access for Cloud SQL",
            opts=self.child(),
        )
        self.service_connection = gcp.servicenetworking.Connection(
            f"{name}-psa",
            network=self.network.id,
            service=SERVICE_NETWORKING,
            reserved_peering_ranges=[self.service_range.name],
            deletion_policy=psa_deletion_policy(self.context.protect_stateful),
            # A connection left behind on the producer's side (ABANDON) makes a new create fail;
            # updating the existing one instead is what Google's API supports.
            update_on_creation_fail=True,
            # Every Cloud SQL connection crosses this peering: in prod it outlives a mistaken destroy.
            opts=self.child(stateful=True, depends_on=[api]),
        )

    def _nat(self, name: str, project: str, region: str) -> None:
        """Internet egress for the private subnetwork only (GKE nodes and pods, all its ranges)."""
        self.router = gcp.compute.Router(
            gcp_name(name, "router"),
            project=project,
            region=region,
            network=self.network.id,
            description="BettaFish Cloud Router carrying Cloud NAT for the private tier",
            opts=self.child(),
        )
        self.nat = gcp.compute.RouterNat(
            gcp_name(name, "nat"),
            project=project,
            region=region,
            router=self.router.name,
            nat_ip_allocate_option="AUTO_ONLY",
            source_subnetwork_ip_ranges_to_nat="LIST_OF_SUBNETWORKS",
            subnetworks=[{"name": self.subnetworks["private"].id, "source_ip_ranges_to_nats": ["ALL_IP_RANGES"]}],
            enable_endpoint_independent_mapping=False,
            log_config={"enable": True, "filter": "ERRORS_ONLY"},
            opts=self.child(),
        )

    def _flow_log_retention(self, name: str, cfg: FlowLogs, project: str, region: str, keys: GcpKeys) -> None:
        """Subnetwork flow logs land in Cloud Logging; route them to a bucket that keeps them
        ``retentionDays``, encrypted with the ``logs`` key."""
        # Only this network's subnetworks: other stacks may share the project.
        names = [self.subnetworks[role].name for role in SUBNETWORK_ROLES]
        flows_here = pulumi.Output.all(*names).apply(
            lambda ns: f"{_FLOW_LOG_FILTER} AND resource.labels.subnetwork_name=({' OR '.join(map(json.dumps, ns))})"
        )
        self.flow_log_bucket = routed_logs(
            self,
            f"{name}-flow-logs",
            project=project,
            region=region,
            retention_days=cfg.retention_days,
            log_filter=flows_here,
            keys=keys,
            description="BettaFish VPC flow logs of this network",
        )


def psa_deletion_policy(protected: bool) -> str:
    """What destroying the private services access connection does.

    Cloud SQL keeps a deleted instance's producer resources for days, so deleting the connection
    fails meanwhile ("Producer services (e.g. CloudSQL, Cloud Memstore, etc.) are still using this
    connection"), and a network cannot be deleted while the peering the connection made is left on
    it (ABANDON). REMOVE_PEERING removes the peering when the delete is refused, so a stack that
    protects nothing (staging) can be destroyed and brought up again; the peering is only removed
    once every instance behind it is gone. A protected stack (prod) never removes it: ABANDON.
    """
    return "ABANDON" if protected else "REMOVE_PEERING"


def _kubernetes_ranges(args: VpcArgs) -> list[dict[str, str]]:
    """The private subnetwork's secondary ranges for GKE pods and services, when the stack has them."""
    ranges = ((POD_RANGE, args.pod_cidr), (SERVICE_RANGE, args.service_cidr))
    return [{"range_name": range_name, "ip_cidr_range": str(cidr)} for range_name, cidr in ranges if cidr is not None]
