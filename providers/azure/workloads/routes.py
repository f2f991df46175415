"""The Gateway API objects in front of the API gateway, as plain data: the Gateway on Application
Gateway for Containers' frontend, the HTTPS route to the gateway's Service, the HTTP route that
only redirects, and the health probe AGC sends to its pods.

- TLS: the HTTPS listener terminates with the origin certificate cert-manager keeps in ``secret``.
  AGC's TLS policy is fixed at TLS 1.2 and newer (older versions are disabled and not configurable).
- Both listeners answer ``host`` only: a request to the frontend's own FQDN, or any other name,
  matches no route and gets a 404, so the origin serves nothing but ``origin.<zone>``.
- The API route also requires the ``X-Azure-FDID`` header Front Door adds to every request it
  forwards, equal to the stack's own Front Door profile id (``FRONT_DOOR_ID_HEADER``): a request
  that did not come through that profile (and its WAF) matches no route and gets a 404. AGC matches
  headers ``Exact`` (its ``RegularExpression`` header match is not implemented), which is all this
  needs.
- The health probe comes from the service's ``healthCheck`` (path, interval, timeout, thresholds),
  on the pods' own port: AGC sends traffic and probes straight to pod addresses.
"""

from __future__ import annotations

from typing import Any

from bettafish.config.services import HealthCheck

Manifest = dict[str, Any]

GATEWAY_CLASS = "azure-alb-external"
"""The class the ALB Controller implements."""
ALB_ID_ANNOTATION = "alb.networking.azure.io/alb-id"
FRONTEND_ADDRESS = "alb.networking.azure.io/alb-frontend"
FRONT_DOOR_ID_HEADER = "X-Azure-FDID"
HTTP_LISTENER, HTTPS_LISTENER = "http", "https"
HTTP_PORT, HTTPS_PORT = 80, 443
MOVED_PERMANENTLY = 301


def gateway_spec(host: str, frontend: str, secret: str) -> Manifest:
    same_namespace = {"namespaces": {"from": "Same"}}
    return {
        "gatewayClassName": GATEWAY_CLASS,
        "addresses": [{"type": FRONTEND_ADDRESS, "value": frontend}],
        "listeners": [
            {
                "name": HTTP_LISTENER,
                "port": HTTP_PORT,
                "protocol": "HTTP",
                "hostname": host,
                "allowedRoutes": same_namespace,
            },
            {
                "name": HTTPS_LISTENER,
                "port": HTTPS_PORT,
                "protocol": "HTTPS",
                "hostname": host,
                "allowedRoutes": same_namespace,
                "tls": {"mode": "Terminate", "certificateRefs": [{"group": "", "kind": "Secret", "name": secret}]},
            },
        ],
    }


def api_route_spec(gateway: str, host: str, service: str, port: int, front_door_id: str) -> Manifest:
    """Everything under ``/`` on HTTPS, forwarded by the Front Door profile ``front_door_id``, to the
    API gateway's Service."""
    return {
        "parentRefs": [{"name": gateway, "sectionName": HTTPS_LISTENER}],
        "hostnames": [host],
        "rules": [
            {
                "matches": [
                    {
                        "path": {"type": "PathPrefix", "value": "/"},
                        "headers": [{"type": "Exact", "name": FRONT_DOOR_ID_HEADER, "value": front_door_id}],
                    }
                ],
                "backendRefs": [{"name": service, "port": port}],
            }
        ],
    }


def redirect_route_spec(gateway: str, host: str) -> Manifest:
    """Plain HTTP reaches no backend: every request is redirected to HTTPS."""
    return {
        "parentRefs": [{"name": gateway, "sectionName": HTTP_LISTENER}],
        "hostnames": [host],
        "rules": [
            {
                "filters": [
                    {"type": "RequestRedirect", "requestRedirect": {"scheme": "https", "statusCode": MOVED_PERMANENTLY}}
                ]
            }
        ],
    }


def health_check_spec(service: str, namespace: str, check: HealthCheck, pod_port: int, host: str) -> Manifest:
    """AGC's probe of the Service's pods, from the service's health check."""
    return {
        "targetRef": {"group": "", "kind": "Service", "name": service, "namespace": namespace},
        "default": {
            "interval": f"{check.interval_seconds}s",
            "timeout": f"{check.timeout_seconds}s",
            "healthyThreshold": check.healthy_threshold,
            "unhealthyThreshold": check.unhealthy_threshold,
            "port": pod_port,
            "protocol": "HTTP",
            "http": {"host": host, "path": check.path, "match": {"statusCodes": [{"start": 200, "end": 299}]}},
        },
    }
