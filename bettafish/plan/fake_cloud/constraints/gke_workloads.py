"""GKE's Ingress controller and custom resources: what GKE refuses or silently ignores in the objects
it reads (Ingress, Service, BackendConfig, FrontendConfig, ManagedCertificate). A refused object
never fails the ``pulumi up`` that creates it: the controller reports the error as an event and the
load balancer never serves, so the table is the only place these show before production does."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from bettafish.plan.fake_cloud.constraints import Constraint, registered, upstream, value

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
SERVICE = "kubernetes:core/v1:Service"
BACKEND_CONFIG = "kubernetes:cloud.google.com/v1:BackendConfig"
FRONTEND_CONFIG = "kubernetes:networking.gke.io/v1beta1:FrontendConfig"
MANAGED_CERTIFICATE = "kubernetes:networking.gke.io/v1:ManagedCertificate"
GLOBAL_ADDRESS = "gcp:compute/globalAddress:GlobalAddress"
SSL_POLICY = "gcp:compute/sSLPolicy:SSLPolicy"
GKE_CLASSES = ("gce", "gce-internal")
CLASS_ANNOTATION = "kubernetes.io/ingress.class"
_DOMAIN = re.compile(r"^(([a-z0-9]+|[a-z0-9][-a-z0-9]*[a-z0-9])\.)+[a-z][-a-z0-9]*[a-z0-9]$")
_DOC_INGRESS = "https://cloud.google.com/kubernetes-engine/docs/concepts/ingress"
_DOC_FEATURES = "https://cloud.google.com/kubernetes-engine/docs/how-to/ingress-configuration"


def _annotations(resource: RecordedResource) -> dict[str, Any]:
    return dict(value(resource.inputs, "metadata.annotations", {}) or {})


def _namespace(resource: RecordedResource) -> str:
    return str(value(resource.inputs, "metadata.namespace", "default"))


def _named(before: Sequence[RecordedResource], type_token: str, namespace: str, name: str) -> RecordedResource | None:
    return next(
        (
            r
            for r in registered(before, type_token)
            if _namespace(r) == namespace and value(r.inputs, "metadata.name") == name
        ),
        None,
    )


def _gke_ingress(ingress: RecordedResource) -> bool:
    return _annotations(ingress).get(CLASS_ANNOTATION) in GKE_CLASSES


def _class_in_spec_only(ingress: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    in_spec = value(ingress.inputs, "spec.ingressClassName") in GKE_CLASSES
    return in_spec and CLASS_ANNOTATION not in _annotations(ingress)


def _backend_services(ingress: RecordedResource) -> list[str]:
    spec = ingress.inputs.get("spec") or {}
    paths = [p for rule in spec.get("rules") or [] for p in value(rule, "http.paths", []) or []]
    backends = [spec.get("defaultBackend") or {}, *(p.get("backend") or {} for p in paths)]
    return [str(b["service"]["name"]) for b in backends if b.get("service")]


def _cluster_ip_without_neg(ingress: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    if not _gke_ingress(ingress):
        return False
    for name in _backend_services(ingress):
        service = _named(before, SERVICE, _namespace(ingress), name)
        if service is None or value(service.inputs, "spec.type", "ClusterIP") != "ClusterIP":
            continue
        neg = json.loads(_annotations(service).get("cloud.google.com/neg", "{}"))
        if neg.get("ingress") is not True:
            return True
    return False


def _static_ip_not_reserved(ingress: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    wanted = _annotations(ingress).get("kubernetes.io/ingress.global-static-ip-name")
    if not wanted or not _gke_ingress(ingress):
        return False
    return not any(r.type == GLOBAL_ADDRESS and r.id.endswith(f"/{wanted}") for r in upstream(ingress, before))


def _ssl_policy_missing(frontend: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    wanted = value(frontend.inputs, "spec.sslPolicy")
    if not wanted:
        return False
    return not any(r.type == SSL_POLICY and r.id.endswith(f"/{wanted}") for r in upstream(frontend, before))


def _timeout_over_interval(config: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    check = value(config.inputs, "spec.healthCheck", {}) or {}
    timeout, interval = check.get("timeoutSec"), check.get("checkIntervalSec")
    return timeout is not None and interval is not None and timeout > interval


def _bad_domains(certificate: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    domains = value(certificate.inputs, "spec.domains", []) or []
    return len(domains) > 100 or any(len(str(d)) > 63 or not _DOMAIN.match(str(d)) for d in domains)


def _redirect_without_http(ingress: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    annotations = _annotations(ingress)
    if annotations.get("kubernetes.io/ingress.allow-http") != "false":
        return False
    name = annotations.get("networking.gke.io/v1beta1.FrontendConfig")
    frontend = _named(before, FRONTEND_CONFIG, _namespace(ingress), str(name)) if name else None
    return frontend is not None and value(frontend.inputs, "spec.redirectToHttps.enabled") is True


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="gke-ingress-class-annotation",
        type=INGRESS,
        refuses=_class_in_spec_only,
        error="GKE's Ingress controller reads the class from the kubernetes.io/ingress.class annotation: with"
        " only spec.ingressClassName set it takes no action and no load balancer is created",
        doc=_DOC_INGRESS,
    ),
    Constraint(
        id="gke-ingress-backend-neg",
        type=INGRESS,
        refuses=_cluster_ip_without_neg,
        error='error while evaluating the ingress spec: service is type "ClusterIP", expected "NodePort" or'
        ' "LoadBalancer" (a ClusterIP backend needs container-native load balancing: cloud.google.com/neg'
        ' {"ingress": true})',
        doc="https://cloud.google.com/kubernetes-engine/docs/how-to/container-native-load-balancing",
    ),
    Constraint(
        id="gke-ingress-static-ip-reserved",
        type=INGRESS,
        refuses=_static_ip_not_reserved,
        error="the given static IP name doesn't translate to an existing static IP: the global address must be"
        " reserved before the Ingress names it",
        doc="https://cloud.google.com/kubernetes-engine/docs/tutorials/configuring-domain-name-static-ip",
    ),
    Constraint(
        id="gke-ingress-https-redirect-needs-http",
        type=INGRESS,
        refuses=_redirect_without_http,
        error="the HTTPS redirect is served by the load balancer's HTTP forwarding rule, which"
        " kubernetes.io/ingress.allow-http: false removes",
        doc=_DOC_FEATURES,
    ),
    Constraint(
        id="gke-frontend-config-ssl-policy",
        type=FRONTEND_CONFIG,
        refuses=_ssl_policy_missing,
        error="the FrontendConfig's sslPolicy must name an existing SSL policy of the project",
        doc=_DOC_FEATURES,
    ),
    Constraint(
        id="gke-backend-config-health-check-timeout",
        type=BACKEND_CONFIG,
        refuses=_timeout_over_interval,
        error="Invalid value for field 'resource.timeoutSec': must be less than or equal to checkIntervalSec",
        doc="https://cloud.google.com/load-balancing/docs/health-check-concepts",
    ),
    Constraint(
        id="gke-managed-certificate-domains",
        type=MANAGED_CERTIFICATE,
        refuses=_bad_domains,
        error="spec.domains: up to 100 non-wildcard, lowercase domain names of at most 63 characters each (the"
        " ManagedCertificate CRD refuses the object)",
        doc="https://cloud.google.com/kubernetes-engine/docs/how-to/managed-certs",
    ),
)
