"""GCP Workloads: the five services on GKE, each with its own identity through Workload Identity
Federation for GKE, behind GKE Ingress, their images in Artifact Registry, the data services' names
in a private Cloud DNS zone."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp
import pulumi_kubernetes as k8s

from bettafish.config.services import Service, ServiceName
from components.base import sibling
from components.workloads import ServiceIdentity, Workloads, kubernetes_name
from components.workloads.manifests import Manifest, ServiceSpec
from components.workloads.policies import Destination
from providers.gcp.dns import GcpDns
from providers.gcp.firewall import GOOGLE_FRONT_END_RANGES, REDIS_CLUSTER_NODE_PORTS
from providers.gcp.keys import GcpKeys
from providers.gcp.kubernetes import GcpKubeCluster
from providers.gcp.layout import database_tier
from providers.gcp.object_store import GcpObjectStore
from providers.gcp.postgres import GcpPostgresCluster
from providers.gcp.project import ARTIFACT_REGISTRY, COMPUTE, CONTAINER_SCANNING, DNS, IAM, enable_apis
from providers.gcp.vpc import GcpVpc, require_project
from providers.gcp.workloads import identity, ingress, registry
from providers.gcp.workloads.internal_dns import internal_zone

__all__ = ["GcpWorkloads"]

METADATA_SERVER = Destination(["169.254.169.254/32"], [80, 8080])
"""The GKE metadata server, where pods get their Workload Identity tokens. On Dataplane V2 a pod's
request to 169.254.169.254:80 is answered by the node's ``gke-metadata-server`` on port 8080 and
network policy sees both ports (GKE's network policy page; 169.254.169.252:988 is the address of
the older dataplane, which this cluster does not run)."""
GATEWAY: ServiceName = "apiGateway"


def _node_ports() -> tuple[int, int]:
    low, high = REDIS_CLUSTER_NODE_PORTS.split("-")
    return int(low), int(high)


class GcpWorkloads(Workloads):
    """The hooks of the neutral ``Workloads`` on GCP:

    - registry: an Artifact Registry repository (``workloads.registry``); the nodes pull with their
      own service account's ``roles/artifactregistry.reader`` (``providers.gcp.kubernetes``);
    - identity: per service, its Kubernetes ServiceAccount as an IAM principal or, for cache access,
      a Google service account it impersonates, with exactly the grants of ``access``
      (``workloads.identity``). Secrets reach pods through that identity only: the app reads the
      database password from Secret Manager (``DATABASE_CREDENTIALS_REF``) at start, so no password
      crosses Pulumi state into a Kubernetes Secret; the cache takes an access token;
    - network policy addresses: the private services access range on the database port, the cache
      subnetwork on the cache port and Memorystore's node ports, the GKE metadata server, and
      Google's front-end and health-check ranges to the gateway's port;
    - ingress: GKE Ingress (``workloads.ingress``), the gateway Service annotated for NEGs and its
      BackendConfig;
    - internal DNS: a private zone bound to the stack's network (``workloads.internal_dns``).

    Extra attributes: ``repository``, ``origin`` (the ``OriginIngress``, whose ``backend_config`` the
    edge extends), ``private_zone``, ``identities`` (by config name).
    """

    def _prepare(self) -> None:
        args, ctx = self.args, self.context
        self._project = require_project(ctx)
        self._apis = enable_apis(
            self, self.name, self._project, ARTIFACT_REGISTRY, CONTAINER_SCANNING, COMPUTE, DNS, IAM
        )
        self._dns = sibling(args.dns, GcpDns)
        self._vpc = sibling(args.vpc, GcpVpc)
        cluster = sibling(args.cluster, GcpKubeCluster)
        store, database = sibling(args.store, GcpObjectStore), sibling(args.database, GcpPostgresCluster)
        number = gcp.organizations.get_project_output(
            project_id=self._project, opts=pulumi.InvokeOutputOptions(parent=self)
        ).number
        self._identity_context = identity.IdentityContext(
            project=self._project,
            project_number=number,
            workload_pool=cluster.workload_pool,
            cluster=cluster.cluster,
            iam_api=self._apis[IAM],
            buckets=store.buckets,
            secrets={"databaseCredentials": database.credentials.secret},
        )
        self.identities: dict[ServiceName, identity.GoogleIdentity] = {}

    def _registry(self) -> pulumi.Output[str]:
        args, ctx = self.args, self.context
        self.repository = registry.repository(
            self,
            self.name,
            project=self._project,
            region=ctx.provider.region,
            services=args.services,
            registry=args.registry,
            key=sibling(args.keys, GcpKeys).keys[registry.REGISTRY_KEY],
            apis=self._apis,
            labels=ctx.tags("workloads"),
        )
        return registry.registry_url(self.repository)

    def _identity(self, name: ServiceName, service: Service, account: str) -> ServiceIdentity:
        self.identities[name] = identity.service_identity(self, self.name, service, account, self._identity_context)
        return self.identities[name]

    def _data_destinations(self) -> dict[str, Destination]:
        tier, flows = database_tier(self.args.network), self.args.network.flows
        ports = {group: sorted({p for f in flows if f.to == group for p in f.ports}) for group in ("database", "cache")}
        return {
            "database": Destination([str(tier.database)], list(ports["database"])),
            "cache": Destination([str(tier.cache)], [*ports["cache"], _node_ports()]),
        }

    def _platform_egress(self) -> list[Destination]:
        return [METADATA_SERVER]

    def _ingress_sources(self) -> list[Manifest]:
        return [{"ipBlock": {"cidr": cidr}} for cidr in GOOGLE_FRONT_END_RANGES]

    def _service_annotations(self, name: ServiceName) -> dict[str, str]:
        return ingress.service_annotations(kubernetes_name(name)) if name == GATEWAY else {}

    def _ingress(self, gateway: ServiceSpec, service: k8s.core.v1.Service) -> pulumi.Output[str]:
        self.origin = ingress.OriginIngress(
            self,
            gateway,
            service,
            project=self._project,
            zone=self._dns.zone,
            tls=self.args.edge.tls,
            compute_api=self._apis[COMPUTE],
        )
        return self.origin.host

    def _internal_dns(self, zone: str, records: list[tuple[str, pulumi.Output[str]]]) -> pulumi.Output[str]:
        self.private_zone = internal_zone(
            self,
            self.name,
            project=self._project,
            zone=zone,
            records=records,
            dns=self.args.edge.dns,
            network=self._vpc.network,
            dns_api=self._apis[DNS],
        )
        zone_name: pulumi.Output[str] = self.private_zone.dns_name.apply(lambda dns_name: dns_name.rstrip("."))
        return zone_name
