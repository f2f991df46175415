"""The five BettaFish services on the cluster: everything Kubernetes-side is neutral and built here;
the cloud's parts (registry, per-service identities, the ingress, the internal DNS zone, the network
addresses the policies open) come from a cloud implementation's hooks.

Order: the registry; the namespace (Pod Security ``restricted``), its quota, limit range and
default-deny policy; the app settings ConfigMap; per service its cloud identity, ServiceAccount,
Deployment, Service, HorizontalPodAutoscaler, PodDisruptionBudget and NetworkPolicy; the ingress to
the API gateway; the internal DNS records of the data services.
"""

from __future__ import annotations

import re
from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar

import pulumi
import pulumi_kubernetes as k8s

from bettafish.config.cache import Cache
from bettafish.config.capacity import Resources
from bettafish.config.capacity import requests as capped_requests
from bettafish.config.catalog import resolve
from bettafish.config.edge import Edge
from bettafish.config.kubernetes import Kubernetes
from bettafish.config.network import Network
from bettafish.config.registry import Registry
from bettafish.config.services import Service, ServiceName, Services
from components.base import DeployContext, NeutralComponent
from components.cache_cluster import CacheCluster
from components.dns import Dns
from components.keys import Keys
from components.kube_cluster import KubeCluster
from components.object_store import ObjectStore
from components.postgres_cluster import PostgresCluster
from components.vpc import Vpc
from components.workloads import manifests, namespace, policies
from components.workloads.manifests import Manifest, ServiceSpec
from components.workloads.policies import Destination

NAMESPACE = "bettafish"
CONFIG_MAP = "bettafish-settings"
SERVICE_PORT = 80
"""Every Service listens on 80 and forwards to its pods' ``http`` port."""
INTERNAL_TARGETS = ("database", "cache")


def kubernetes_name(name: str) -> str:
    """``apiGateway`` -> ``api-gateway``."""
    return re.sub(r"(?<!^)(?=[A-Z])", "-", name).lower()


@dataclass(frozen=True)
class WorkloadsArgs:
    services: Services
    kubernetes: Kubernetes
    network: Network
    cache_config: Cache
    edge: Edge
    cluster: KubeCluster
    vpc: Vpc
    keys: Keys
    database: PostgresCluster
    cache: CacheCluster
    store: ObjectStore
    dns: Dns
    context: DeployContext
    registry: Registry = field(default_factory=Registry)


@dataclass(frozen=True)
class ServiceIdentity:
    """What a service's cloud identity asks of its Kubernetes objects."""

    annotations: dict[str, pulumi.Input[str]] = field(default_factory=dict)
    """On the ServiceAccount (AKS: the identity's client id)."""
    pod_labels: dict[str, str] = field(default_factory=dict)
    """On the pods (AKS: ``azure.workload.identity/use``)."""
    ready: list[pulumi.Resource] = field(default_factory=list)
    """The grants and bindings the pods wait for."""


class Workloads(NeutralComponent):
    """``bettafish:kubernetes:Workloads``: the services, their identities, ingress and registry.

    A cloud implementation fills the hooks (``_registry``, ``_identity``, ``_data_destinations``,
    ``_ingress_sources``, ``_ingress``, ``_internal_dns`` and the optional ones); everything else is
    the same on every cloud. Extra attributes: ``deployments``, ``services`` and
    ``service_accounts`` (by config name), ``namespace``.
    """

    TYPE: ClassVar[str] = "bettafish:kubernetes:Workloads"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("namespace_name", "origin_host", "registry_url", "internal_zone")

    namespace_name: pulumi.Output[str]
    """The namespace the services run in."""
    origin_host: pulumi.Output[str]
    """The API gateway's public host name (``origin.<zone>``), served over HTTPS by the ingress: the
    CDN's origin."""
    registry_url: pulumi.Output[str]
    """Where the five images are pushed (``<registry>/<repository>``)."""
    internal_zone: pulumi.Output[str]
    """The private DNS zone of the data services' internal names (``internal.<zone>``)."""

    def __init__(self, name: str, args: WorkloadsArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args.context, opts)
        self.args = args
        self._prepare()
        registry = self._registry()
        self.namespace = self._namespace()
        settings = self._settings_config_map()
        specs = self._specs(registry)
        self.service_accounts: dict[ServiceName, k8s.core.v1.ServiceAccount] = {}
        self.deployments: dict[ServiceName, k8s.apps.v1.Deployment] = {}
        self.services: dict[ServiceName, k8s.core.v1.Service] = {}
        for service_name, spec in specs.items():
            self._service(service_name, spec, settings)
        gateway: ServiceName = "apiGateway"
        origin_host = self._ingress(specs[gateway], self.services[gateway])
        self._publish(
            namespace_name=self.namespace.metadata.apply(lambda meta: meta.name),
            origin_host=origin_host,
            registry_url=registry,
            internal_zone=self._internal_dns(self.internal_zone_name, self._internal_records()),
        )

    # -- hooks the cloud fills ------------------------------------------------------------------

    def _prepare(self) -> None:
        """Cloud set-up the other hooks share (sibling handles, shared grants)."""

    @abstractmethod
    def _registry(self) -> pulumi.Output[str]:
        """The container registry for the five images; returns its host (``<registry>``)."""

    @abstractmethod
    def _identity(self, name: ServiceName, service: Service, account: str) -> ServiceIdentity:
        """The service's own cloud identity, bound to ServiceAccount ``account`` in the namespace,
        holding exactly the grants of ``service.access``."""

    @abstractmethod
    def _data_destinations(self) -> dict[str, Destination]:
        """The addresses and ports of the ``database`` and the ``cache`` as pods reach them."""

    @abstractmethod
    def _ingress_sources(self) -> list[Manifest]:
        """NetworkPolicy peers the load balancer reaches the gateway's pods from."""

    @abstractmethod
    def _ingress(self, gateway: ServiceSpec, service: k8s.core.v1.Service) -> pulumi.Output[str]:
        """The API gateway behind the cloud's load balancer on 80 and 443 (HTTP redirected to HTTPS,
        TLS 1.2 or newer, health check from the service's), its host name ``origin.<zone>`` in the
        public zone with a certificate for it; returns that host name."""

    @abstractmethod
    def _internal_dns(self, zone: str, records: list[tuple[str, pulumi.Output[str]]]) -> pulumi.Output[str]:
        """A private zone ``zone`` linked to the network with a CNAME (or the cloud's equivalent)
        per record (name relative to the zone, target host); returns the zone's name."""

    def _platform_egress(self) -> list[Destination]:
        """Addresses every pod needs besides DNS and the cloud APIs (metadata or identity agents)."""
        return []

    def _cloud_spot_tolerations(self) -> list[Manifest]:
        """Taints the cloud itself puts on spot nodes, which interruptible pods must tolerate too."""
        return []

    def _service_annotations(self, name: ServiceName) -> dict[str, str]:
        """Annotations the cloud's load balancing needs on a Service (GKE network endpoint groups)."""
        return {}

    def _cloud_settings(self) -> dict[str, pulumi.Input[str]]:
        """Non-secret settings only this cloud has, for the ConfigMap (where a credential is kept)."""
        return {}

    # -- the neutral part -----------------------------------------------------------------------

    def k8s_options(self, **extra: Any) -> pulumi.ResourceOptions:
        """Options of a Kubernetes object: parented here, through the cluster's provider."""
        return self.child(provider=self.args.cluster.provider, **extra)

    @property
    def internal_zone_name(self) -> str:
        return f"internal.{self.args.edge.dns.zone_name}"

    def _namespace(self) -> k8s.core.v1.Namespace:
        args = self.args
        ns = k8s.core.v1.Namespace(
            f"{self.name}-namespace",
            metadata=namespace.namespace_metadata(NAMESPACE, args.kubernetes.version),
            opts=self.k8s_options(),
        )
        in_ns = self.k8s_options(depends_on=[ns])
        sized = list(self._requests().values())
        k8s.core.v1.ResourceQuota(
            f"{self.name}-quota",
            metadata={"name": "bettafish", "namespace": NAMESPACE},
            spec=namespace.quota_spec(sized),
            opts=in_ns,
        )
        k8s.core.v1.LimitRange(
            f"{self.name}-limits",
            metadata={"name": "bettafish", "namespace": NAMESPACE},
            spec=namespace.limit_range_spec(sized),
            opts=in_ns,
        )
        k8s.networking.v1.NetworkPolicy(
            f"{self.name}-default-deny",
            metadata={"name": "default-deny", "namespace": NAMESPACE},
            spec=policies.default_deny(),
            opts=in_ns,
        )
        k8s.networking.v1.NetworkPolicy(
            f"{self.name}-allow-dns",
            metadata={"name": "allow-dns", "namespace": NAMESPACE},
            spec=policies.allow_dns(),
            opts=in_ns,
        )
        return ns

    def _requests(self) -> dict[ServiceName, tuple[Service, Resources]]:
        """Each service with its requests: its size, capped at what a node of its pool offers."""
        args = self.args
        out = {}
        for service_name, service in args.services.items():
            node = resolve("compute", args.context.cloud, args.kubernetes.node_pools[service.node_pool].size)
            out[service_name] = (service, capped_requests(service.size, node))
        return out

    def _settings_config_map(self) -> k8s.core.v1.ConfigMap:
        """Non-secret settings every service reads from its environment. TLS verifies the data
        services' own host names, so those are the real endpoints; the internal names are aliases."""
        args = self.args
        data: dict[str, pulumi.Input[str]] = {
            "BETTAFISH_CLOUD": args.context.cloud,
            "DATABASE_HOST": args.database.writer_endpoint,
            "DATABASE_READER_HOSTS": args.database.reader_endpoints.apply(",".join),
            "DATABASE_PORT": args.database.port.apply(str),
            "DATABASE_NAME": args.database.database_name,
            "DATABASE_CREDENTIALS_REF": args.database.credentials_ref,
            "DATABASE_INTERNAL_NAME": f"db.{self.internal_zone_name}",
            "CACHE_HOSTS": args.cache.endpoints.apply(",".join),
            "CACHE_PORT": args.cache.port.apply(str),
            "CACHE_TLS": args.cache.tls_enabled.apply(lambda tls: "true" if tls else "false"),
            "CACHE_INTERNAL_NAME": f"redis.{self.internal_zone_name}",
            "CACHE_TTL_SECONDS": str(args.cache_config.ttl.application_seconds),
            "DATABASE_RESULT_TTL_SECONDS": str(args.cache_config.ttl.database_result_seconds),
        }
        for logical in ("mediaContent", "reports", "logs"):
            key = f"BUCKET_{kubernetes_name(logical).replace('-', '_').upper()}"
            data[key] = args.store.bucket_names.apply(_pick(logical))
        data.update(self._cloud_settings())
        return k8s.core.v1.ConfigMap(
            f"{self.name}-settings",
            metadata={"name": CONFIG_MAP, "namespace": NAMESPACE},
            data=data,
            opts=self.k8s_options(depends_on=[self.namespace]),
        )

    def _specs(self, registry: pulumi.Output[str]) -> dict[ServiceName, ServiceSpec]:
        tolerations = manifests.spot_tolerations(self._cloud_spot_tolerations())
        specs = {}
        for service_name, (service, spec_requests) in self._requests().items():
            kname = kubernetes_name(service_name)
            identity = self._identity(service_name, service, kname)
            specs[service_name] = ServiceSpec(
                name=kname,
                service=service,
                image=registry.apply(service.image.reference),
                requests=spec_requests,
                pool=service.node_pool,
                service_account=kname,
                config_map=CONFIG_MAP,
                pod_labels=identity.pod_labels,
                spot_tolerations=tolerations,
                annotations=identity.annotations,
                ready=identity.ready,
            )
        return specs

    def _service(self, service_name: ServiceName, spec: ServiceSpec, settings: k8s.core.v1.ConfigMap) -> None:
        args = self.args
        in_ns = self.k8s_options(depends_on=[self.namespace])
        labels = {manifests.APP_LABEL: spec.name, "app.kubernetes.io/part-of": "bettafish"}
        meta = {"name": spec.name, "namespace": NAMESPACE, "labels": labels}
        self.service_accounts[service_name] = k8s.core.v1.ServiceAccount(
            f"{self.name}-{spec.name}",
            metadata={**meta, "annotations": spec.annotations},
            automount_service_account_token=False,
            opts=in_ns,
        )
        self.deployments[service_name] = k8s.apps.v1.Deployment(
            f"{self.name}-{spec.name}",
            metadata=meta,
            spec=manifests.deployment_spec(spec),
            opts=self.k8s_options(
                depends_on=[self.service_accounts[service_name], settings, *spec.ready],
                # The HorizontalPodAutoscaler owns the replica count.
                ignore_changes=["spec.replicas"],
            ),
        )
        self.services[service_name] = k8s.core.v1.Service(
            f"{self.name}-{spec.name}",
            metadata={**meta, "annotations": self._service_annotations(service_name)},
            spec={
                "type": "ClusterIP",
                "selector": {manifests.APP_LABEL: spec.name},
                "ports": [{"name": "http", "port": SERVICE_PORT, "targetPort": manifests.PORT_NAME, "protocol": "TCP"}],
            },
            opts=in_ns,
        )
        k8s.autoscaling.v2.HorizontalPodAutoscaler(
            f"{self.name}-{spec.name}",
            metadata=meta,
            spec=manifests.hpa_spec(spec, spec.name, args.kubernetes.autoscaling),
            opts=self.k8s_options(depends_on=[self.deployments[service_name]]),
        )
        k8s.policy.v1.PodDisruptionBudget(
            f"{self.name}-{spec.name}",
            metadata=meta,
            spec=manifests.pdb_spec(spec),
            opts=in_ns,
        )
        k8s.networking.v1.NetworkPolicy(
            f"{self.name}-{spec.name}",
            metadata=meta,
            spec=self._policy(service_name, spec),
            opts=in_ns,
        )

    def _policy(self, service_name: ServiceName, spec: ServiceSpec) -> Manifest:
        args, service = self.args, spec.service
        callers = [kubernetes_name(n) for n, other in args.services.items() if service_name in other.calls]
        callees = [(kubernetes_name(callee), args.services.get(callee).port) for callee in service.calls]
        data = self._data_destinations()
        destinations = [data[target] for target in INTERNAL_TARGETS if getattr(service.access, target)]
        # Buckets, secrets, keys and token endpoints are the cloud's HTTPS APIs (over the private
        # paths of security rule 37); nothing inside the network is reached on 443 but through them.
        destinations.append(Destination(["0.0.0.0/0"], [443], except_cidrs=(str(args.network.cidr),)))
        destinations += self._platform_egress()
        ingress_from = self._ingress_sources() if service_name == "apiGateway" else []
        return policies.service_policy(spec.name, service.port, callers, callees, destinations, ingress_from)

    def _internal_records(self) -> list[tuple[str, pulumi.Output[str]]]:
        """``db.internal`` and ``redis.internal`` (``edge.dns.records`` with target database or
        cache), relative to the internal zone."""
        args = self.args
        hosts = {
            "database": args.database.writer_endpoint,
            "cache": args.cache.endpoints.apply(lambda endpoints: endpoints[0]),
        }
        return [
            (record.name.removesuffix(".internal"), hosts[record.target])
            for record in args.edge.dns.records
            if record.target in INTERNAL_TARGETS
        ]


def _pick(key: str) -> Callable[[dict[str, str]], str]:
    def pick(values: dict[str, str]) -> str:
        return values[key]

    return pick
