"""AWS Workloads: the services on EKS with their ECR registry, a Pod Identity role each, the API
gateway behind an ALB, and the data services' names in a private Route 53 zone."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws
import pulumi_kubernetes as k8s

from bettafish.config.services import Service, ServiceName
from components.base import sibling
from components.workloads import NAMESPACE, SERVICE_PORT, ServiceIdentity, Workloads
from components.workloads.manifests import APP_LABEL, Manifest, ServiceSpec
from components.workloads.policies import Destination
from providers.aws.cache import AwsCacheCluster
from providers.aws.dns import AwsDns
from providers.aws.keys import AwsKeys
from providers.aws.kubernetes import AwsKubeCluster
from providers.aws.kubernetes.identity import PodRole
from providers.aws.object_store import LOGS_BUCKET, AwsObjectStore
from providers.aws.postgres import AwsPostgresCluster
from providers.aws.vpc import AwsVpc
from providers.aws.workloads.grants import Bucket, GrantTargets, Secret, access_policy, grants_anything
from providers.aws.workloads.ingress import INGRESS_CLASS, alb_annotations, origin_certificate, origin_record
from providers.aws.workloads.internal_dns import private_zone
from providers.aws.workloads.registry import node_pull_grant, registry_url, repositories

__all__ = ["AwsWorkloads"]

POD_IDENTITY_AGENT = ["169.254.170.23/32", "fd00:ec2::23/128"]
"""Where the EKS Pod Identity agent on every node serves credentials (HTTP, port 80): its IPv4
link-local and IPv6 addresses (EKS user guide, "Set up the Amazon EKS Pod Identity Agent")."""
POD_IDENTITY_AGENT_PORT = 80


class AwsWorkloads(Workloads):
    """Children besides the neutral Kubernetes objects: an ``ecr.Repository`` and ``LifecyclePolicy``
    per image repository and the nodes' ``iam.RolePolicy`` to pull them; per service an ``iam.Role``
    (EKS Pod Identity, trusted for its ServiceAccount only), its ``RolePolicy`` (exactly its access
    list: ``grants``) and ``eks.PodIdentityAssociation``; the gateway's ``acm.Certificate``, its
    validation ``route53.Record`` and ``acm.CertificateValidation``, the ``Ingress`` and the alias
    record ``origin.<zone>``; the private ``route53.Zone`` ``internal.<zone>`` and its CNAMEs.

    Secrets never reach a Kubernetes Secret: each service reads the database credentials and the
    Redis AUTH token from Secrets Manager with its own role (``DATABASE_CREDENTIALS_REF`` and
    ``CACHE_CREDENTIALS_REF`` in the ConfigMap name them).

    Extra attributes: ``repositories`` (image repository -> its ``ecr.Repository``), ``roles``
    (ServiceAccount -> the service's ``iam.Role``, which Operations lets publish the custom metrics).
    """

    def _prepare(self) -> None:
        args, ctx = self.args, self.args.context
        self.region = ctx.provider.region
        self.tags = ctx.tags("workloads")
        self.eks = sibling(args.cluster, AwsKubeCluster)
        self.network = sibling(args.vpc, AwsVpc)
        self.stack_keys = sibling(args.keys, AwsKeys).keys
        self.postgres = sibling(args.database, AwsPostgresCluster)
        self.redis = sibling(args.cache, AwsCacheCluster)
        self.store = sibling(args.store, AwsObjectStore)
        self.public_zone = sibling(args.dns, AwsDns).zone
        self.pull_ready: list[pulumi.Resource] = []
        self.roles: dict[str, aws.iam.Role] = {}

    def _registry(self) -> pulumi.Output[str]:
        args, key = self.args, self.stack_keys["kubernetes"]
        prefix = args.context.identity.prefix
        repos = repositories(self, f"{self.name}-ecr", prefix, args.services, args.registry, key, self.tags)
        self.repositories = repos
        self.pull_ready = [node_pull_grant(self, self.name, self.eks.node_role, key, repos, self.region)]
        return registry_url(repos)

    def _cloud_settings(self) -> dict[str, pulumi.Input[str]]:
        return {"CACHE_CREDENTIALS_REF": self.redis.auth_token_secret.arn}

    def _identity(self, name: ServiceName, service: Service, account: str) -> ServiceIdentity:
        role = PodRole(
            self,
            f"{self.name}-{account}",
            cluster_name=self.args.cluster.name,
            namespace=NAMESPACE,
            service_account=account,
            description=f"BettaFish {account} in {self.args.cluster.name}: its access list only",
            inline_policy=self._grants(service),
            tags=self.tags,
        )
        self.roles[account] = role.role
        association = role.associate(self, f"{self.name}-{account}", self.eks.cluster.name, self.tags)
        return ServiceIdentity(ready=[association, *role.grants, *self.pull_ready])

    def _grants(self, service: Service) -> pulumi.Output[str] | None:
        """The role's policy (``grants.access_policy``), None when the access list grants nothing."""
        if not grants_anything(service.access):
            return None
        store, keys = self.store, self.stack_keys
        logicals = list(store.buckets)
        bucket_keys = [store.encryption_keys[logical] for logical in logicals]
        resolved = pulumi.Output.all(
            *[store.buckets[logical].arn for logical in logicals],
            *[key.arn if key is not None else "" for key in bucket_keys],
            self.postgres.credentials.arn,
            keys["database"].arn,
            self.redis.auth_token_secret.arn,
            keys["cache"].arn,
        )

        def document(values: list[str]) -> str:
            n = len(logicals)
            database, cache = values[2 * n : 2 * n + 2], values[2 * n + 2 :]
            targets = GrantTargets(
                region=self.region,
                buckets={logical: Bucket(values[i], values[n + i] or None) for i, logical in enumerate(logicals)},
                secrets={"databaseCredentials": Secret(database[0], database[1])},
                cache_token=Secret(cache[0], cache[1]),
            )
            return json.dumps(access_policy(service.access, targets))

        return resolved.apply(document)

    def _data_destinations(self) -> dict[str, Destination]:
        """The database tier's subnets (RDS and ElastiCache both live there), on the ports the network's
        flows open from the application tier to the database and to the cache: the pods' policy and
        the security groups allow the same traffic. A target no flow opens is left out (a service
        that names it is refused at config time)."""
        subnets = [str(cidr) for cidr in self.args.network.subnets.database]
        destinations = {}
        for target in ("database", "cache"):
            flows = [f for f in self.args.network.flows if f.source == "application" and f.to == target]
            ports: list[int | tuple[int, int]] = sorted({port for flow in flows for port in flow.ports})
            if ports:
                destinations[target] = Destination(subnets, ports)
        return destinations

    def _platform_egress(self) -> list[Destination]:
        return [Destination([cidr], [POD_IDENTITY_AGENT_PORT]) for cidr in POD_IDENTITY_AGENT]

    def _ingress_sources(self) -> list[Manifest]:
        """The ALB's nodes in the public subnets reach the gateway's pods directly (IP targets)."""
        return [{"ipBlock": {"cidr": str(cidr)}} for cidr in self.args.network.subnets.public]

    def _ingress(self, gateway: ServiceSpec, service: k8s.core.v1.Service) -> pulumi.Output[str]:
        args = self.args
        host = f"origin.{args.edge.dns.zone_name}"
        validated = origin_certificate(
            self, self.name, host, self.public_zone, args.edge.dns.record_ttl_seconds, self.tags
        )
        annotations = pulumi.Output.all(
            validated.certificate_arn,
            pulumi.Output.all(*[s.id for s in self.network.subnets["public"]]),
            self.network.security_groups["loadBalancer"].id,
            self.store.buckets[LOGS_BUCKET].bucket,
        ).apply(
            lambda values: alb_annotations(
                health_check=gateway.service.health_check,
                certificate_arn=values[0],
                subnet_ids=list(values[1]),
                security_group_id=values[2],
                tls_min_version=args.edge.tls.min_version,
                logs_bucket=values[3],
                tags=self.tags,
            )
        )
        ingress = k8s.networking.v1.Ingress(
            f"{self.name}-{gateway.name}",
            metadata={
                "name": gateway.name,
                "namespace": NAMESPACE,
                "labels": {APP_LABEL: gateway.name, "app.kubernetes.io/part-of": "bettafish"},
                "annotations": annotations,
            },
            spec={
                "ingressClassName": INGRESS_CLASS,
                "rules": [
                    {
                        "http": {
                            "paths": [
                                {
                                    "path": "/",
                                    "pathType": "Prefix",
                                    "backend": {"service": {"name": gateway.name, "port": {"number": SERVICE_PORT}}},
                                }
                            ]
                        }
                    }
                ],
            },
            # The controller's webhook and IngressClass must exist before the Ingress is admitted, and
            # the logs bucket's grant before the controller turns access logging on (ELB tests it).
            opts=self.k8s_options(depends_on=[service, *self.eks.releases, self.store.settings[LOGS_BUCKET].policy]),
        )
        balancer = ingress.status.apply(lambda status: status.load_balancer.ingress[0].hostname)
        record = origin_record(self, self.name, host, self.public_zone, balancer, self.region)
        fqdn: pulumi.Output[str] = record.fqdn
        return fqdn

    def _internal_dns(self, zone: str, records: list[tuple[str, pulumi.Output[str]]]) -> pulumi.Output[str]:
        built = private_zone(
            self, self.name, zone, self.network.vpc, self.region, records, self.args.edge.dns.records, self.tags
        )
        zone_name: pulumi.Output[str] = built.name
        return zone_name
