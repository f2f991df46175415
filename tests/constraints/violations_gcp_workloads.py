"""Registrations of the services' GCP and GKE resources that the real APIs refuse (or GKE ignores):
one small program per constraint id of ``constraints.gcp_workloads`` and ``constraints.gke_workloads``.

Each program satisfies every constraint listed before the one it violates, so it is refused with
exactly that id.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any

import pulumi
import pulumi_gcp as gcp
import pulumi_kubernetes as k8s

from tests.constraints.violations_gcp import KEY_ELSEWHERE, KEY_HERE, REGION, enabled, granted

POOL = "p.svc.id.goog"
PRINCIPAL = f"principal://iam.googleapis.com/projects/1/locations/global/workloadIdentityPools/{POOL}/subject/ns/a/sa/b"
NS = "apps"
DNS_API = "dns.googleapis.com"
REGISTRY_API = "artifactregistry.googleapis.com"


def repository(key: str | None = None, opts: pulumi.ResourceOptions | None = None, **args: Any) -> None:
    """A Docker repository that breaks nothing by itself but what ``args`` (and the key) say."""
    gcp.artifactregistry.Repository(
        "repo",
        **{"repository_id": "images", "format": "DOCKER", "location": REGION, "kms_key_name": key, **args},
        opts=opts or enabled(REGISTRY_API),
    )


def zone(opts: pulumi.ResourceOptions | None = None, **args: Any) -> gcp.dns.ManagedZone:
    return gcp.dns.ManagedZone(
        "zone",
        **{"name": "zone", "dns_name": "example.com.", "force_destroy": True, **args},
        opts=opts or enabled(DNS_API),
    )


def record(name: str, rrdata: str) -> None:
    gcp.dns.RecordSet("record", managed_zone=zone().name, name=name, type="A", ttl=300, rrdatas=[rrdata])


def ingress(annotations: dict[str, str], spec: dict[str, Any] | None = None, **opts: Any) -> None:
    k8s.networking.v1.Ingress(
        "ingress",
        metadata={"name": "web", "namespace": NS, "annotations": annotations},
        spec=spec or {"defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}},
        opts=pulumi.ResourceOptions(**opts),
    )


def class_in_spec_only() -> None:
    ingress({}, {"ingressClassName": "gce", "defaultBackend": {"service": {"name": "web", "port": {"number": 80}}}})


def cluster_ip_without_neg() -> None:
    service = k8s.core.v1.Service(
        "web",
        metadata={"name": "web", "namespace": NS},
        spec={"type": "ClusterIP", "selector": {"app": "web"}, "ports": [{"port": 80}]},
    )
    ingress({"kubernetes.io/ingress.class": "gce"}, depends_on=[service])


def static_ip_not_reserved() -> None:
    ingress({"kubernetes.io/ingress.class": "gce", "kubernetes.io/ingress.global-static-ip-name": "web-ip"})


def redirect_without_http() -> None:
    frontend = k8s.apiextensions.CustomResource(
        "frontend",
        api_version="networking.gke.io/v1beta1",
        kind="FrontendConfig",
        metadata={"name": "web", "namespace": NS},
        spec={"redirectToHttps": {"enabled": True}},
    )
    annotations = {
        "kubernetes.io/ingress.class": "gce",
        "kubernetes.io/ingress.allow-http": "false",
        "networking.gke.io/v1beta1.FrontendConfig": "web",
    }
    ingress(annotations, depends_on=[frontend])


def custom_resource(kind: str, api_version: str, spec: dict[str, Any]) -> None:
    k8s.apiextensions.CustomResource(
        kind.lower(), api_version=api_version, kind=kind, metadata={"name": "web", "namespace": NS}, spec=spec
    )


def workload_member(short: str) -> None:
    role = "roles/storage.objectViewer"
    makers: dict[str, Callable[[], object]] = {
        "bucket": lambda: gcp.storage.BucketIAMMember("grant", bucket="b", role=role, member=PRINCIPAL),
        "secret": lambda: gcp.secretmanager.SecretIamMember(
            "grant", secret_id="projects/p/secrets/s", role="roles/secretmanager.secretAccessor", member=PRINCIPAL
        ),
        "project": lambda: gcp.projects.IAMMember("grant", project="p", role=role, member=PRINCIPAL),
        "service-account": lambda: gcp.serviceaccount.IAMMember(
            "grant",
            service_account_id="projects/p/serviceAccounts/app@p.iam.gserviceaccount.com",
            role="roles/iam.workloadIdentityUser",
            member=f"serviceAccount:{POOL}[a/b]",
        ),
    }
    makers[short]()


VIOLATIONS: dict[str, Callable[[], None]] = {
    "gcp-api-dns-enabled": lambda: zone(opts=pulumi.ResourceOptions()),
    "gcp-api-artifactregistry-enabled": lambda: repository(opts=pulumi.ResourceOptions()),
    "gcp-artifact-registry-cmek-key-location": lambda: repository(
        KEY_ELSEWHERE, enabled(REGISTRY_API, after=granted(KEY_ELSEWHERE))
    ),
    "gcp-artifact-registry-cmek-key-granted": lambda: repository(KEY_HERE),
    "gcp-artifact-registry-repository-id": lambda: repository(repository_id="Images_1"),
    "gcp-artifact-registry-recent-versions-keep": lambda: repository(
        cleanup_policies=[{"id": "recent", "action": "DELETE", "most_recent_versions": {"keep_count": 5}}]
    ),
    "gcp-artifact-registry-keep-kinds": lambda: repository(
        cleanup_policies=[
            {
                "id": "keep",
                "action": "KEEP",
                "condition": {"tag_state": "TAGGED"},
                "most_recent_versions": {"keep_count": 5},
            }
        ]
    ),
    "gcp-dns-name-trailing-dot": lambda: zone(dns_name="example.com"),
    "gcp-dns-dnssec-public-only": lambda: zone(visibility="private", dnssec_config={"state": "on"}),
    "gcp-dns-zone-destroyable": lambda: zone(force_destroy=False),
    "gcp-dns-record-in-zone": partial(record, "www.example.org.", "192.0.2.10"),
    "gcp-dns-a-record-addresses": partial(record, "www.example.com.", "origin.example.net."),
    "gcp-ssl-policy-tls13-restricted": lambda: gcp.compute.SSLPolicy(
        "tls", profile="MODERN", min_tls_version="TLS_1_3"
    ),
    "gcp-ssl-policy-custom-features": lambda: gcp.compute.SSLPolicy("tls", profile="CUSTOM"),
    **{
        f"gcp-workload-pool-exists-{short}": partial(workload_member, short)
        for short in ("bucket", "secret", "project", "service-account")
    },
    "gcp-redis-connection-user-accounts": lambda: gcp.projects.IAMMember(
        "cache", project="p", role="roles/redis.dbConnectionUser", member="group:apps@example.com"
    ),
    "gke-ingress-class-annotation": class_in_spec_only,
    "gke-ingress-backend-neg": cluster_ip_without_neg,
    "gke-ingress-static-ip-reserved": static_ip_not_reserved,
    "gke-ingress-https-redirect-needs-http": redirect_without_http,
    "gke-frontend-config-ssl-policy": partial(
        custom_resource, "FrontendConfig", "networking.gke.io/v1beta1", {"sslPolicy": "missing"}
    ),
    "gke-backend-config-health-check-timeout": partial(
        custom_resource,
        "BackendConfig",
        "cloud.google.com/v1",
        {"healthCheck": {"checkIntervalSec": 5, "timeoutSec": 10}},
    ),
    "gke-managed-certificate-domains": partial(
        custom_resource, "ManagedCertificate", "networking.gke.io/v1", {"domains": ["*.example.com"]}
    ),
}
