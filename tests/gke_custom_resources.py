"""Schemas of GKE's Ingress custom resources, made strict, for ``tests.kubernetes_objects``.

- ``BackendConfig`` ``cloud.google.com/v1`` and ``FrontendConfig`` ``networking.gke.io/v1beta1``:
  GKE's controller generates their CRDs from the Go types of kubernetes/ingress-gce
  (``pkg/apis/backendconfig/v1/types.go``, ``pkg/apis/frontendconfig/v1beta1/types.go``, through
  ``zz_generated.openapi.go`` and ``pkg/crd/validation.go``); every field of the spec is here with
  its OpenAPI type and required fields.
- ``ManagedCertificate`` ``networking.gke.io/v1``: the CRD of GoogleCloudPlatform/gke-managed-certs
  (``deploy/managedcertificates-crd.yaml``): at most 100 domains of at most 63 characters, no
  wildcards, lowercase.

The CRDs keep unknown fields out only where they list properties; here every object refuses fields
it does not list, so a misspelt field fails the test instead of being ignored by the cluster.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

INT: Schema = {"type": "integer"}
STR: Schema = {"type": "string"}
BOOL: Schema = {"type": "boolean"}
NUMBER: Schema = {"type": "number"}


def _obj(properties: dict[str, Schema], required: tuple[str, ...] = ()) -> Schema:
    return {"type": "object", "additionalProperties": False, "properties": properties, "required": list(required)}


def _list(items: Schema) -> Schema:
    return {"type": "array", "items": items}


def _resource(api_version: str, kind: str, spec: Schema) -> Schema:
    """The body of a custom resource (its metadata is checked as ObjectMeta elsewhere)."""
    return _obj({"apiVersion": {"const": api_version}, "kind": {"const": kind}, "spec": spec}, ("apiVersion", "kind"))


_CDN = _obj(
    {
        "enabled": BOOL,
        "bypassCacheOnRequestHeaders": _list(_obj({"headerName": STR})),
        "cachePolicy": _obj(
            {
                "includeHost": BOOL,
                "includeProtocol": BOOL,
                "includeQueryString": BOOL,
                "queryStringBlacklist": _list(STR),
                "queryStringWhitelist": _list(STR),
            }
        ),
        "cacheMode": STR,
        "clientTtl": INT,
        "defaultTtl": INT,
        "maxTtl": INT,
        "negativeCaching": BOOL,
        "negativeCachingPolicy": _list(_obj({"code": INT, "ttl": INT})),
        "requestCoalescing": BOOL,
        "serveWhileStale": INT,
        "signedUrlCacheMaxAgeSec": INT,
        "signedUrlKeys": _list(_obj({"keyName": STR, "keyValue": STR, "secretName": STR})),
    },
    ("enabled",),
)

BACKEND_CONFIG_SPEC = _obj(
    {
        "iap": _obj(
            {
                "enabled": BOOL,
                "oauthclientCredentials": _obj(
                    {"secretName": STR, "clientID": STR, "clientSecret": STR}, ("secretName",)
                ),
            },
            ("enabled",),
        ),
        "cdn": _CDN,
        "securityPolicy": _obj({"name": STR}, ("name",)),
        "timeoutSec": INT,
        "connectionDraining": _obj({"drainingTimeoutSec": INT}),
        "sessionAffinity": _obj({"affinityType": STR, "affinityCookieTtlSec": INT}),
        "customRequestHeaders": _obj({"headers": _list(STR)}),
        "customResponseHeaders": _obj({"headers": _list(STR)}),
        "healthCheck": _obj(
            {
                "checkIntervalSec": INT,
                "timeoutSec": INT,
                "healthyThreshold": INT,
                "unhealthyThreshold": INT,
                "type": STR,
                "port": INT,
                "requestPath": STR,
            }
        ),
        "logging": _obj({"enable": BOOL, "sampleRate": NUMBER}),
    }
)

FRONTEND_CONFIG_SPEC = _obj(
    {
        "sslPolicy": STR,
        "redirectToHttps": _obj({"enabled": BOOL, "responseCodeName": STR}, ("enabled",)),
    }
)

MANAGED_CERTIFICATE_SPEC = _obj(
    {
        "domains": {
            "type": "array",
            "maxItems": 100,
            "items": {
                "type": "string",
                "maxLength": 63,
                "pattern": r"^(([a-z0-9]+|[a-z0-9][-a-z0-9]*[a-z0-9])\.)+[a-z][-a-z0-9]*[a-z0-9]$",
            },
        }
    }
)

GKE_CUSTOM_RESOURCES: dict[str, Schema] = {
    "cloud.google.com/v1:BackendConfig": _resource("cloud.google.com/v1", "BackendConfig", BACKEND_CONFIG_SPEC),
    "networking.gke.io/v1beta1:FrontendConfig": _resource(
        "networking.gke.io/v1beta1", "FrontendConfig", FRONTEND_CONFIG_SPEC
    ),
    "networking.gke.io/v1:ManagedCertificate": _resource(
        "networking.gke.io/v1", "ManagedCertificate", MANAGED_CERTIFICATE_SPEC
    ),
}
