"""GCP Cdn: a global external Application Load Balancer with Cloud CDN in front of the API
gateway's ingress (``origin.<zone>``), Cloud Armor as its WAF, a Certificate Manager certificate
validated through DNS, and the API's public names in the stack's zone."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp
import pulumi_kubernetes as k8s
import pulumi_random as random

from components.base import sibling
from components.cdn import Cdn, CdnArgs
from components.workloads import NAMESPACE, kubernetes_name
from providers.gcp.dns import GcpDns
from providers.gcp.edge import armor
from providers.gcp.edge.certificate import EdgeCertificate, certificate_domains
from providers.gcp.edge.load_balancer import EdgeLoadBalancer
from providers.gcp.keys import GcpKeys
from providers.gcp.log_buckets import routed_logs
from providers.gcp.project import CERTIFICATE_MANAGER, COMPUTE, enable_apis, require_project
from providers.gcp.workloads import GATEWAY, GcpWorkloads

__all__ = ["GcpCdn"]

LOAD_BALANCER_LOGS = 'resource.type="http_load_balancer"'
"""The requests of the edge's and the origin's load balancers, with Cloud Armor's decisions on each
(``jsonPayload.enforcedSecurityPolicy``, ``previewSecurityPolicy``)."""
SECRET_LENGTH = 40
"""The edge's header value: letters and digits, which a Cloud Armor expression takes quoted as is."""


class GcpCdn(Cdn):
    """Children: the Compute Engine and Certificate Manager APIs; the edge's secret (a
    ``random.RandomPassword``); the Cloud Armor policies (``providers.gcp.edge.armor``); a
    ``CustomResourcePatch`` of the origin's BackendConfig that attaches the origin lock (server-side
    apply under its own field manager, so the workloads' apply of the health check leaves it alone);
    the certificate (``providers.gcp.edge.certificate``); the load balancer
    (``providers.gcp.edge.load_balancer``); an A record for ``api.<zone>`` and for each
    ``edge.dns.records`` entry that targets the CDN or the load balancer (one and the same here); the
    load balancers' request logs (with the WAF's decisions) in a log bucket kept
    ``monitoring.logRetention.loadBalancerDays`` under the stack's ``logs`` key.

    Outputs: ``endpoint`` the edge's IP address (Cloud CDN has no host name of its own),
    ``distribution_id`` the URL map's id, ``waf_policy_id`` the WAF policy's id, ``api_url``.
    Extra attributes: ``load_balancer``, ``certificate``, ``waf``, ``geo``, ``origin_lock``,
    ``records``, ``logs``.
    """

    def __init__(self, name: str, args: CdnArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        ctx, edge = args.context, args.edge
        project = require_project(ctx)
        apis = enable_apis(self, name, project, COMPUTE, CERTIFICATE_MANAGER)
        zone = sibling(args.dns, GcpDns).zone
        workloads = sibling(args.workloads, GcpWorkloads)
        secret = random.RandomPassword(f"{name}-origin-secret", length=SECRET_LENGTH, special=False, opts=self.child())
        after_compute = self.child(depends_on=[apis[COMPUTE]])
        self.waf = armor.waf_policy(self, name, project=project, edge=edge, opts=after_compute)
        self.geo = armor.geo_policy(self, name, project=project, edge=edge, opts=after_compute)
        self.origin_lock = armor.origin_lock(self, name, project=project, secret=secret.result, opts=after_compute)
        origin_config = workloads.origin.backend_config
        lock = k8s.apiextensions.CustomResourcePatch(
            f"{name}-origin-config",
            api_version="cloud.google.com/v1",
            kind="BackendConfig",
            metadata={
                "name": kubernetes_name(GATEWAY),
                "namespace": NAMESPACE,
                "annotations": {"pulumi.com/patchFieldManager": f"{name}-edge"},
            },
            spec={"securityPolicy": {"name": self.origin_lock.name}},
            opts=self.child(provider=workloads.args.cluster.provider, depends_on=[origin_config]),
        )
        zone_name = edge.dns.zone_name
        self.certificate = EdgeCertificate(
            self,
            name,
            project=project,
            zone=zone,
            domains=certificate_domains(zone_name, edge.tls.subject_alternative_names),
            record_ttl=edge.dns.record_ttl_seconds,
            api=apis[CERTIFICATE_MANAGER],
        )
        self.load_balancer = EdgeLoadBalancer(
            self,
            name,
            project=project,
            edge=edge,
            origin_host=workloads.origin_host,
            certificate_map=self.certificate.map_reference,
            waf=self.waf,
            geo=self.geo,
            edge_secret=secret.result,
            api=apis[COMPUTE],
            # The origin must let the edge in (the lock, with the header) before the edge sends to it.
            after=[lock, self.certificate.entry],
        )
        names = ["api", *(r.name for r in edge.dns.records if r.target in ("cdn", "loadBalancer") and r.name != "api")]
        ttls = {r.name: r.ttl_seconds for r in edge.dns.records}
        self.records = [
            gcp.dns.RecordSet(
                f"{name}-{record.replace('.', '-')}-record",
                project=project,
                managed_zone=zone.name,
                name=f"{record}.{zone_name}.",
                type="A",
                ttl=ttls.get(record) or edge.dns.record_ttl_seconds,
                rrdatas=[self.load_balancer.address.address],
                opts=self.child(),
            )
            for record in names
        ]
        self.logs = routed_logs(
            self,
            f"{name}-lb-logs",
            project=project,
            region=ctx.provider.region,
            retention_days=args.log_retention_days,
            log_filter=LOAD_BALANCER_LOGS,
            keys=sibling(args.keys, GcpKeys),
            description="BettaFish load balancer and WAF request logs",
        )
        self._publish(
            endpoint=self.load_balancer.address.address,
            distribution_id=self.load_balancer.url_map.id,
            waf_policy_id=self.waf.id,
            api_url=self.records[0].name.apply(lambda record: f"https://{record.rstrip('.')}"),
        )
