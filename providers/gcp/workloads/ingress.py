"""The API gateway behind GKE Ingress: a global external Application Load Balancer on a reserved
static IP, container-native (NEG) backends health-checked as the gateway's config says, HTTP
redirected to HTTPS, TLS 1.2 or newer under an SSL policy, a Google-managed certificate for
``origin.<zone>`` and that name's A record in the public zone.

The objects GKE's Ingress controller reads:

- ``BackendConfig`` ``api-gateway`` (``cloud.google.com/v1``), named by the gateway Service's
  ``cloud.google.com/backend-config`` annotation: the load balancer's health check. The edge adds
  ``cdn`` and ``securityPolicy`` to this same object with a ``CustomResourcePatch`` (server-side
  apply under its own field manager), which this component's apply leaves alone;
- ``FrontendConfig`` ``api-gateway`` (``networking.gke.io/v1beta1``): the HTTPS redirect and the
  SSL policy;
- ``ManagedCertificate`` ``origin`` (``networking.gke.io/v1``): GKE creates the certificate and
  attaches it to the load balancer; Google provisions it only once ``origin.<zone>`` resolves to
  the load balancer's IP (load balancer authorization), so the zone must be delegated first;
- the ``Ingress``, class ``gce`` by the ``kubernetes.io/ingress.class`` annotation: GKE ignores an
  Ingress that names a class only in ``spec.ingressClassName``.

Certificate Manager certificates (certificate maps) attach to GKE Gateway, not to GKE Ingress, so the
certificate is a ManagedCertificate.
"""

from __future__ import annotations

import json
from typing import Any

import pulumi
import pulumi_gcp as gcp
import pulumi_kubernetes as k8s

from bettafish.config.edge import Tls
from bettafish.config.services import HealthCheck
from components.workloads import NAMESPACE, SERVICE_PORT, Workloads
from components.workloads.manifests import ServiceSpec
from providers.gcp.firewall import gcp_name

INGRESS_CLASS = "gce"
"""GKE's external Application Load Balancer."""
CERTIFICATE = "origin"
SSL_PROFILE = "RESTRICTED"
"""TLS 1.2 and 1.3 with forward-secret AEAD suites only (ECDHE with AES-GCM or ChaCha20): the
configured ``edge.tls.cipherSuites`` and their ECDSA twins, which a Google-managed certificate may
need; MODERN would add CBC suites. Google refuses TLS 1.3 as the minimum for any other profile."""
TLS_VERSIONS = {"1.2": "TLS_1_2", "1.3": "TLS_1_3"}
REDIRECT = {"enabled": True, "responseCodeName": "MOVED_PERMANENTLY_DEFAULT"}
"""HTTP 301 to the same URL over HTTPS, served by the load balancer's HTTP forwarding rule."""


def service_annotations(name: str) -> dict[str, str]:
    """The gateway Service's: container-native load balancing (the load balancer sends to the pods'
    IPs through a network endpoint group, so health checks and traffic reach the pods' port from
    Google's front-end ranges) and its BackendConfig."""
    return {
        "cloud.google.com/neg": json.dumps({"ingress": True}),
        "cloud.google.com/backend-config": json.dumps({"default": name}),
    }


def backend_config_spec(check: HealthCheck, port: int) -> dict[str, Any]:
    """The load balancer's health check, to the pods' own port (a NEG backend is the pod itself)."""
    return {
        "healthCheck": {
            "type": "HTTP",
            "requestPath": check.path,
            "port": port,
            "checkIntervalSec": check.interval_seconds,
            "timeoutSec": check.timeout_seconds,
            "healthyThreshold": check.healthy_threshold,
            "unhealthyThreshold": check.unhealthy_threshold,
        }
    }


class OriginIngress:
    """Children of ``parent``: the ``compute.GlobalAddress`` (stateful: the origin record and the
    certificate follow it; GKE releases its forwarding rules before Pulumi deletes it, because the
    Ingress, which waits for the address, is deleted first and its finalizer holds until the load
    balancer is gone), the ``compute.SSLPolicy``, the BackendConfig, FrontendConfig and
    ManagedCertificate, the Ingress and the origin A record.

    Attributes: ``address``, ``ssl_policy``, ``backend_config``, ``frontend_config``,
    ``certificate``, ``ingress``, ``record``, ``host`` (``origin.<zone>``)."""

    def __init__(
        self,
        parent: Workloads,
        gateway: ServiceSpec,
        service: k8s.core.v1.Service,
        *,
        project: str,
        zone: gcp.dns.ManagedZone,
        tls: Tls,
        compute_api: gcp.projects.Service,
    ) -> None:
        name, ctx = parent.name, parent.context
        fqdn = f"origin.{parent.args.edge.dns.zone_name}"
        after_api = parent.child(depends_on=[compute_api])
        self.address = gcp.compute.GlobalAddress(
            gcp_name(name, "origin-ip"),
            project=project,
            address_type="EXTERNAL",
            ip_version="IPV4",
            description=f"The API gateway's load balancer ({fqdn})",
            labels=ctx.tags("workloads"),
            opts=parent.child(stateful=True, depends_on=[compute_api]),
        )
        self.ssl_policy = gcp.compute.SSLPolicy(
            gcp_name(name, "tls-policy"),
            project=project,
            profile=SSL_PROFILE,
            min_tls_version=TLS_VERSIONS[tls.min_version],
            description="BettaFish origin: TLS 1.2 or newer, AEAD suites only",
            opts=after_api,
        )
        meta = {"name": gateway.name, "namespace": NAMESPACE}
        self.backend_config = k8s.apiextensions.CustomResource(
            f"{name}-backend-config",
            api_version="cloud.google.com/v1",
            kind="BackendConfig",
            metadata=meta,
            spec=backend_config_spec(gateway.service.health_check, gateway.service.port),
            opts=parent.k8s_options(depends_on=[parent.namespace]),
        )
        self.frontend_config = k8s.apiextensions.CustomResource(
            f"{name}-frontend-config",
            api_version="networking.gke.io/v1beta1",
            kind="FrontendConfig",
            metadata=meta,
            spec={"sslPolicy": self.ssl_policy.name, "redirectToHttps": REDIRECT},
            opts=parent.k8s_options(depends_on=[parent.namespace]),
        )
        self.certificate = k8s.apiextensions.CustomResource(
            f"{name}-certificate",
            api_version="networking.gke.io/v1",
            kind="ManagedCertificate",
            metadata={"name": CERTIFICATE, "namespace": NAMESPACE},
            spec={"domains": [fqdn]},
            opts=parent.k8s_options(depends_on=[parent.namespace]),
        )
        self.ingress = k8s.networking.v1.Ingress(
            f"{name}-ingress",
            metadata={
                **meta,
                "annotations": {
                    "kubernetes.io/ingress.class": INGRESS_CLASS,
                    "kubernetes.io/ingress.global-static-ip-name": self.address.name,
                    "kubernetes.io/ingress.allow-http": "true",
                    "networking.gke.io/managed-certificates": CERTIFICATE,
                    "networking.gke.io/v1beta1.FrontendConfig": gateway.name,
                },
            },
            spec={"defaultBackend": {"service": {"name": gateway.name, "port": {"number": SERVICE_PORT}}}},
            opts=parent.k8s_options(
                depends_on=[service, self.backend_config, self.frontend_config, self.certificate],
                # GKE takes minutes to build the load balancer before it reports the address.
                custom_timeouts=pulumi.CustomTimeouts(create="20m"),
            ),
        )
        self.record = gcp.dns.RecordSet(
            f"{name}-origin-record",
            project=project,
            managed_zone=zone.name,
            name=f"{fqdn}.",
            type="A",
            # A record of the zone's own, like its CAA: ``edge.dns.recordTtlSeconds`` on every cloud.
            ttl=parent.args.edge.dns.record_ttl_seconds,
            rrdatas=[self.address.address],
            opts=parent.child(),
        )
        self.host: pulumi.Output[str] = self.record.name.apply(lambda record: record.rstrip("."))
