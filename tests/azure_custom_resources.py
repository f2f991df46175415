"""Schemas of the custom resources the Azure workloads register, which kubernetes-validate does not
know: Gateway API v1 (Gateway, HTTPRoute, as installed by the ALB Controller), Application Gateway
for Containers' HealthCheckPolicy and cert-manager's Certificate and ClusterIssuer. Each is the part
of the upstream CRD the program uses, made strict: the CRDs would drop a misspelt field silently."""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]


def strict(properties: dict[str, Schema], required: tuple[str, ...] = ()) -> Schema:
    return {"type": "object", "additionalProperties": False, "required": list(required), "properties": properties}


def array(items: Schema, min_items: int = 0) -> Schema:
    return {"type": "array", "items": items, "minItems": min_items}


def enum(*values: Any) -> Schema:
    return {"enum": list(values)}


def resource(api_version: str, kind: str, spec: Schema) -> Schema:
    return strict(
        {"apiVersion": {"const": api_version}, "kind": {"const": kind}, "spec": spec},
        ("apiVersion", "kind", "spec"),
    )


STRING = {"type": "string", "minLength": 1}
PORT = {"type": "integer", "minimum": 1, "maximum": 65535}
HOSTNAME = {"type": "string", "pattern": r"^(\*\.)?[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$"}
DURATION = {"type": "string", "pattern": r"^\d+(ms|s|m|h)$"}
GATEWAY_API = "gateway.networking.k8s.io/v1"
SECRET_REF = strict({"group": {"const": ""}, "kind": {"const": "Secret"}, "name": STRING}, ("name",))

LISTENER = strict(
    {
        "name": STRING,
        "hostname": HOSTNAME,
        "port": PORT,
        "protocol": enum("HTTP", "HTTPS", "TLS", "TCP", "UDP"),
        "tls": strict({"mode": enum("Terminate", "Passthrough"), "certificateRefs": array(SECRET_REF, 1)}),
        "allowedRoutes": strict({"namespaces": strict({"from": enum("All", "Same", "Selector")})}),
    },
    ("name", "port", "protocol"),
)
REQUEST_REDIRECT = strict(
    {
        "scheme": enum("http", "https"),
        "statusCode": enum(301, 302, 303, 307, 308),
        "hostname": HOSTNAME,
        "port": PORT,
    }
)
ROUTE_RULE = strict(
    {
        "matches": array(
            strict(
                {
                    "path": strict({"type": enum("Exact", "PathPrefix", "RegularExpression"), "value": STRING}),
                    # AGC implements Exact header matches only (RegularExpression is accepted and ignored).
                    "headers": array(
                        strict({"type": enum("Exact"), "name": STRING, "value": STRING}, ("name", "value")), 1
                    ),
                }
            )
        ),
        "filters": array(
            strict({"type": enum("RequestRedirect"), "requestRedirect": REQUEST_REDIRECT}, ("type", "requestRedirect"))
        ),
        "backendRefs": array(strict({"name": STRING, "port": PORT}, ("name", "port"))),
    }
)
HEALTH_CHECK = strict(
    {
        "interval": DURATION,
        "timeout": DURATION,
        "healthyThreshold": {"type": "integer", "minimum": 1},
        "unhealthyThreshold": {"type": "integer", "minimum": 1},
        "port": PORT,
        "protocol": enum("HTTP", "HTTPS"),
        "http": strict(
            {
                "host": HOSTNAME,
                "path": {"type": "string", "pattern": "^/"},
                "match": strict({"statusCodes": array(strict({"start": PORT, "end": PORT}, ("start", "end")), 1)}),
            }
        ),
    }
)
AZURE_DNS = strict(
    {
        "subscriptionID": STRING,
        "resourceGroupName": STRING,
        "hostedZoneName": HOSTNAME,
        "environment": enum("AzurePublicCloud", "AzureChinaCloud", "AzureGermanCloud", "AzureUSGovernmentCloud"),
        "managedIdentity": strict({"clientID": STRING, "resourceID": STRING, "tenantID": STRING}),
    },
    ("resourceGroupName", "hostedZoneName"),
)

AZURE_CUSTOM_RESOURCES: dict[str, Schema] = {
    f"{GATEWAY_API}:Gateway": resource(
        GATEWAY_API,
        "Gateway",
        strict(
            {
                "gatewayClassName": STRING,
                "addresses": array(strict({"type": STRING, "value": STRING}, ("value",))),
                "listeners": array(LISTENER, 1),
            },
            ("gatewayClassName", "listeners"),
        ),
    ),
    f"{GATEWAY_API}:HTTPRoute": resource(
        GATEWAY_API,
        "HTTPRoute",
        strict(
            {
                "parentRefs": array(strict({"name": STRING, "sectionName": STRING}, ("name",)), 1),
                "hostnames": array(HOSTNAME),
                "rules": array(ROUTE_RULE, 1),
            }
        ),
    ),
    "alb.networking.azure.io/v1:HealthCheckPolicy": resource(
        "alb.networking.azure.io/v1",
        "HealthCheckPolicy",
        strict(
            {
                "targetRef": strict(
                    {"group": {"const": ""}, "kind": enum("Service"), "name": STRING, "namespace": STRING},
                    ("kind", "name"),
                ),
                "default": HEALTH_CHECK,
                "override": HEALTH_CHECK,
            },
            ("targetRef",),
        ),
    ),
    "cert-manager.io/v1:Certificate": resource(
        "cert-manager.io/v1",
        "Certificate",
        strict(
            {
                "secretName": STRING,
                "dnsNames": array(HOSTNAME, 1),
                "issuerRef": strict(
                    {"group": {"const": "cert-manager.io"}, "kind": enum("Issuer", "ClusterIssuer"), "name": STRING},
                    ("name",),
                ),
                "privateKey": strict(
                    {
                        "algorithm": enum("RSA", "ECDSA", "Ed25519"),
                        "size": {"type": "integer"},
                        "rotationPolicy": enum("Never", "Always"),
                    }
                ),
            },
            ("secretName", "issuerRef"),
        ),
    ),
    "cert-manager.io/v1:ClusterIssuer": resource(
        "cert-manager.io/v1",
        "ClusterIssuer",
        strict(
            {
                "acme": strict(
                    {
                        "server": {"type": "string", "pattern": "^https://"},
                        "email": STRING,
                        "privateKeySecretRef": strict({"name": STRING}, ("name",)),
                        "solvers": array(
                            strict(
                                {
                                    "selector": strict({"dnsZones": array(HOSTNAME, 1)}),
                                    "dns01": strict({"azureDNS": AZURE_DNS}, ("azureDNS",)),
                                },
                                ("dns01",),
                            ),
                            1,
                        ),
                    },
                    ("server", "privateKeySecretRef", "solvers"),
                )
            },
            ("acme",),
        ),
    ),
}
