"""Azure Workloads: the cloud side of the five services on AKS. The parts:

- ``registry``: Azure Container Registry Premium behind a private endpoint, the kubelet's AcrPull;
- ``identity``: each service's user-assigned identity, federated with its ServiceAccount, with
  exactly the grants of its access list (blob containers, the credentials secret, Redis access);
- ``gateway``: Application Gateway for Containers and its ALB Controller; ``routes``: the Gateway
  API objects; ``certificate``: the origin's Let's Encrypt certificate through cert-manager;
- here: the network addresses the policies open, the origin's public record, the private zone
  ``internal.<zone>``.
"""

from __future__ import annotations

import functools
from typing import Any

import pulumi
import pulumi_kubernetes as k8s
from pulumi_azure_native import dns, privatedns, resources

from bettafish.config.services import Service, ServiceName
from components.base import sibling
from components.workloads import NAMESPACE, SERVICE_PORT, ServiceIdentity, Workloads
from components.workloads.manifests import Manifest, ServiceSpec
from components.workloads.policies import Destination
from providers.azure.cache_cluster import AzureCacheCluster
from providers.azure.common import private_dns_zone, subscription_id
from providers.azure.dns import AzureDns
from providers.azure.keys import AzureKeys
from providers.azure.kubernetes import AzureKubeCluster
from providers.azure.layout import role_cidrs
from providers.azure.network_security import PRIVATE_ENDPOINT_HTTPS, REDIS_CLUSTER_PORTS
from providers.azure.object_store import AzureObjectStore
from providers.azure.postgres import POSTGRES_PORT, AzurePostgresCluster
from providers.azure.vpc import AzureVpc
from providers.azure.workloads import routes
from providers.azure.workloads.certificate import origin_certificate
from providers.azure.workloads.gateway import FRONTEND_NAME, application_gateway
from providers.azure.workloads.identity import ServiceIdentities
from providers.azure.workloads.registry import container_registry

SPOT_TAINT = {"key": "kubernetes.azure.com/scalesetpriority", "operator": "Equal", "value": "spot"}
"""The taint AKS itself puts on every spot node, besides the platform's own."""
ORIGIN_RECORD = "origin"
GATEWAY = "origin"
PART_OF = {"app.kubernetes.io/part-of": "bettafish"}


class AzureWorkloads(Workloads):
    """Children: ResourceGroup; the registry (``registry``), one identity per service with its
    federated credential and grants (``identity``), AGC with its subnet, NSG, frontend,
    association and controller (``gateway``), cert-manager with its identity and TXT-record role
    (``certificate``), the Gateway API objects, the origin's CNAME in the public zone, and the
    private zone ``internal.<zone>`` with its VNet link and CNAME records. The API's HTTPRoute is
    added by the edge (``route_api_from``): it admits only the stack's Front Door profile.

    Extra attributes: ``resource_group``, ``registry``, ``identities`` (by ServiceAccount),
    ``gateway``, ``internal_zone_resource``.
    """

    def _prepare(self) -> None:
        args, ctx = self.args, self.args.context
        assert args.kubernetes.azure is not None, "checked at config time (kubernetes.azure)"
        self.azure = args.kubernetes.azure
        self.vpc, self.keys = sibling(args.vpc, AzureVpc), sibling(args.keys, AzureKeys)
        self.cluster = sibling(args.cluster, AzureKubeCluster)
        self.zone = sibling(args.dns, AzureDns)
        self.tags, self.location = ctx.tags("workloads"), ctx.provider.region
        self.subscription = subscription_id(self)
        self.resource_group = resources.ResourceGroup(
            f"{self.name}-rg", location=self.location, tags=self.tags, opts=self.child()
        )
        self.issuer = args.cluster.oidc_issuer_url
        self.identity_builder = ServiceIdentities(
            self,
            self.resource_group,
            self.location,
            self.tags,
            issuer=self.issuer,
            subscription=self.subscription,
            store=sibling(args.store, AzureObjectStore),
            database=sibling(args.database, AzurePostgresCluster),
            cache=sibling(args.cache, AzureCacheCluster),
        )
        self.identities = self.identity_builder.identities

    # -- hooks ----------------------------------------------------------------------------------

    def _registry(self) -> pulumi.Output[str]:
        kubelet = self.cluster.cluster.identity_profile.apply(
            lambda profile: profile["kubeletidentity"].object_id if profile else ""
        )
        self.registry = container_registry(
            self,
            self.name,
            self.resource_group,
            self.location,
            self.tags,
            vpc=self.vpc,
            keys=self.keys,
            kubelet_principal=kubelet,
            untagged_expiry_days=self.args.registry.untagged_expiry_days,
            subscription=self.subscription,
        )
        login_server: pulumi.Output[str] = self.registry.registry.login_server
        return login_server

    def _identity(self, name: ServiceName, service: Service, account: str) -> ServiceIdentity:
        built = self.identity_builder.build(account, service)
        # Every pod's first pull needs the kubelet's AcrPull.
        return ServiceIdentity(
            annotations=built.annotations,
            pod_labels=built.pod_labels,
            ready=[*built.ready, self.registry.pull_grant],
        )

    def _data_destinations(self) -> dict[str, Destination]:
        """PostgreSQL in its delegated subnet on 5432; Azure Managed Redis's private endpoint, in the
        endpoint subnet, on the database port and, OSS-cluster mode, on each shard's port."""
        net, args = self.args.network, self.args
        cache_ports: list[int | tuple[int, int]] = [args.cache_config.port, _port_range(REDIS_CLUSTER_PORTS)]
        return {
            "database": Destination(role_cidrs("database", net), [POSTGRES_PORT]),
            "cache": Destination(role_cidrs("cache", net), cache_ports),
        }

    def _platform_egress(self) -> list[Destination]:
        """Key Vault and blob storage are reached through their private endpoints, inside the VNet
        (security rule 37), which the neutral HTTPS rule leaves out: every pod may open 443 to the
        endpoint subnet. Workload identity itself needs only HTTPS to Entra ID
        (``login.microsoftonline.com``, outside the VNet): no metadata endpoint, no node agent."""
        return [Destination(role_cidrs("cache", self.args.network), [int(PRIVATE_ENDPOINT_HTTPS)])]

    def _cloud_spot_tolerations(self) -> list[Manifest]:
        return [{**SPOT_TAINT, "effect": "NoSchedule"}]

    def _ingress_sources(self) -> list[Manifest]:
        """AGC's proxies live in its association subnet and connect to the pods from there."""
        return [{"ipBlock": {"cidr": str(self.azure.ingress_subnet)}}]

    def _ingress(self, gateway: ServiceSpec, service: k8s.core.v1.Service) -> pulumi.Output[str]:
        host = f"{ORIGIN_RECORD}.{self.args.edge.dns.zone_name}"
        self.gateway = application_gateway(
            self,
            self.name,
            self.resource_group,
            self.location,
            self.tags,
            kubernetes=self.args.kubernetes,
            vpc=self.vpc,
            cluster=self.cluster,
            pod_port=gateway.service.port,
            issuer=self.issuer,
            subscription=self.subscription,
        )
        cert = origin_certificate(
            self,
            self.name,
            self.resource_group,
            self.location,
            self.tags,
            host=host,
            zone_name=self.zone.zone.name,
            zone_id=self.zone.zone.id,
            zone_group=self.zone.resource_group,
            cluster=self.cluster,
            namespace=self.namespace,
            issuer=self.issuer,
            subscription=self.subscription,
        )
        self._gateway_objects(gateway, service, host, cert.secret)
        record = dns.RecordSet(
            f"{self.name}-origin",
            resource_group_name=self.zone.resource_group.name,
            zone_name=self.zone.zone.name,
            relative_record_set_name=ORIGIN_RECORD,
            record_type="CNAME",
            # Azure DNS aliases cannot point at an AGC frontend, so the CNAME carries a TTL: the one of
            # the zone's own records (``edge.dns.recordTtlSeconds``), as on every cloud.
            ttl=self.args.edge.dns.record_ttl_seconds,
            cname_record={"cname": self.gateway.frontend.fqdn},
            opts=self.child(),
        )
        origin: pulumi.Output[str] = record.fqdn.apply(lambda _: host)
        return origin

    def _internal_dns(self, zone: str, records: list[tuple[str, pulumi.Output[str]]]) -> pulumi.Output[str]:
        """CNAMEs to the data services' own host names, which the VNet resolves to their private
        addresses (the privatelink and PostgreSQL zones): TLS still verifies the real names."""
        ttls = {r.name.removesuffix(".internal"): r.ttl_seconds for r in self.args.edge.dns.records}
        self.internal_zone_resource, link = private_dns_zone(
            self, f"{self.name}-internal", zone, self.resource_group, self.vpc.vnet.id, self.tags
        )
        for name, target in records:
            privatedns.PrivateRecordSet(
                f"{self.name}-internal-{name}",
                resource_group_name=self.resource_group.name,
                private_zone_name=self.internal_zone_resource.name,
                relative_record_set_name=name,
                record_type="CNAME",
                ttl=ttls[name],
                cname_record={"cname": target},
                opts=self.child(depends_on=[link]),
            )
        zone_name: pulumi.Output[str] = self.internal_zone_resource.name
        return zone_name

    # -- helpers --------------------------------------------------------------------------------

    def _gateway_objects(self, gateway: ServiceSpec, service: k8s.core.v1.Service, host: str, secret: str) -> None:
        after_controller = self.k8s_options(depends_on=[self.namespace, service, *self.gateway.ready])
        self._after_controller = after_controller
        metadata: dict[str, Any] = {"namespace": NAMESPACE, "labels": PART_OF}
        k8s.apiextensions.CustomResource(
            f"{self.name}-gateway",
            api_version="gateway.networking.k8s.io/v1",
            kind="Gateway",
            metadata={
                **metadata,
                "name": GATEWAY,
                "annotations": {routes.ALB_ID_ANNOTATION: self.gateway.traffic_controller.id},
            },
            spec=routes.gateway_spec(host, FRONTEND_NAME, secret),
            opts=after_controller,
        )
        self._route("https-redirect", routes.redirect_route_spec(GATEWAY, host))
        self._api_route = functools.partial(routes.api_route_spec, GATEWAY, host, gateway.name, SERVICE_PORT)
        k8s.apiextensions.CustomResource(
            f"{self.name}-health-check",
            api_version="alb.networking.azure.io/v1",
            kind="HealthCheckPolicy",
            metadata={**metadata, "name": gateway.name},
            spec=routes.health_check_spec(
                gateway.name, NAMESPACE, gateway.service.health_check, gateway.service.port, host
            ),
            opts=after_controller,
        )

    def route_api_from(self, front_door_id: pulumi.Input[str]) -> k8s.apiextensions.CustomResource:
        """The HTTPS route to the API gateway, for requests the Front Door profile ``front_door_id``
        forwarded (its ``X-Azure-FDID`` header): the edge calls this once its profile exists, since
        Azure gives a profile its id only when it creates it. Until then the origin routes nothing
        but the HTTP redirect: no request reaches the API without passing the edge's WAF."""
        spec = pulumi.Output.from_input(front_door_id).apply(self._api_route)
        return self._route("api", spec)

    def _route(self, suffix: str, spec: pulumi.Input[Manifest]) -> k8s.apiextensions.CustomResource:
        return k8s.apiextensions.CustomResource(
            f"{self.name}-route-{suffix}",
            api_version="gateway.networking.k8s.io/v1",
            kind="HTTPRoute",
            metadata={"namespace": NAMESPACE, "labels": PART_OF, "name": f"{GATEWAY}-{suffix}"},
            spec=spec,
            opts=self._after_controller,
        )


def _port_range(ports: str) -> tuple[int, int]:
    """``8500-8599`` -> (8500, 8599)."""
    low, high = ports.split("-")
    return int(low), int(high)
