"""GCP part of the fake cloud for the edge: Certificate Manager (the CNAME each DNS authorization
asks for, as Google forms it) and the global load balancer's Compute Engine resources, under the
collection names the Compute API uses (``urlMaps``, ``targetHttpsProxies``, ``global/forwardingRules``...)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi

from bettafish.plan.fake_cloud.common import Computed, fake_uuid, hex_digest, physical_name

_COMPUTE = "https://www.googleapis.com/compute/v1/"
_CREATED = "2026-11-27T00:00:00.000-08:00"
_GLOBAL_COLLECTIONS: dict[str, str] = {
    "gcp:compute/backendService:BackendService": "backendServices",
    "gcp:compute/securityPolicy:SecurityPolicy": "securityPolicies",
    "gcp:compute/uRLMap:URLMap": "urlMaps",
    "gcp:compute/targetHttpsProxy:TargetHttpsProxy": "targetHttpsProxies",
    "gcp:compute/targetHttpProxy:TargetHttpProxy": "targetHttpProxies",
    "gcp:compute/globalForwardingRule:GlobalForwardingRule": "forwardingRules",
    "gcp:compute/globalNetworkEndpointGroup:GlobalNetworkEndpointGroup": "networkEndpointGroups",
}
_CERTIFICATE_MANAGER: dict[str, str] = {
    "gcp:certificatemanager/dnsAuthorization:DnsAuthorization": "dnsAuthorizations",
    "gcp:certificatemanager/certificate:Certificate": "certificates",
    "gcp:certificatemanager/certificateMap:CertificateMap": "certificateMaps",
}


def _global_compute(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    resource_id = f"projects/{project}/global/{_GLOBAL_COLLECTIONS[args.typ]}/{name}"
    computed: dict[str, Any] = {"selfLink": f"{_COMPUTE}{resource_id}", "creationTimestamp": _CREATED}
    if args.typ.endswith(":SecurityPolicy") or args.typ.endswith(":BackendService"):
        computed["fingerprint"] = f"{hex_digest(resource_id, length=11)}="
    if args.typ.endswith(":BackendService") or args.typ.endswith(":URLMap"):
        computed["generatedId"] = int(hex_digest(resource_id, length=12), 16)
    return resource_id, computed


def _endpoint(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    inputs = args.inputs
    group = str(inputs.get("globalNetworkEndpointGroup"))
    return f"{project}/{group}//{inputs.get('fqdn')}/{int(inputs.get('port', 0))}", {}


def _authorization_record(domain: str) -> dict[str, str]:
    """``_acme-challenge.<domain>.`` CNAME ``<uuid>.<shard>.authorize.certificatemanager.goog.``"""
    token = fake_uuid("dns-authorization", domain)
    shard = int(hex_digest(domain, length=2), 16) % 10
    return {
        "name": f"_acme-challenge.{domain}.",
        "type": "CNAME",
        "data": f"{token}.{shard}.authorize.certificatemanager.goog.",
    }


def _certificate_manager(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    inputs = args.inputs
    location = inputs.get("location", "global")
    if args.typ.endswith(":CertificateMapEntry"):
        return (
            f"projects/{project}/locations/global/certificateMaps/{inputs.get('map')}/certificateMapEntries/{name}",
            {"state": "ACTIVE"},
        )
    resource_id = f"projects/{project}/locations/{location}/{_CERTIFICATE_MANAGER[args.typ]}/{name}"
    computed: dict[str, Any] = {"createTime": "2026-11-27T08:00:00.000000Z"}
    if args.typ.endswith(":DnsAuthorization"):
        computed["dnsResourceRecords"] = [_authorization_record(str(inputs.get("domain")))]
        computed["type"] = inputs.get("type", "FIXED_RECORD")
    if args.typ.endswith(":Certificate"):
        computed["sanDnsnames"] = list((inputs.get("managed") or {}).get("domains", []))
        # Provisioning waits for the zone's delegation; a fresh certificate is still being issued.
        computed["managed"] = {**(inputs.get("managed") or {}), "state": "PROVISIONING"}
    return resource_id, computed


_BY_TYPE: dict[str, Callable[[pulumi.runtime.MockResourceArgs, str, str], Computed]] = {
    **dict.fromkeys(_GLOBAL_COLLECTIONS, _global_compute),
    **dict.fromkeys(_CERTIFICATE_MANAGER, _certificate_manager),
    "gcp:certificatemanager/certificateMapEntry:CertificateMapEntry": _certificate_manager,
    "gcp:compute/globalNetworkEndpoint:GlobalNetworkEndpoint": _endpoint,
}


def edge_state(args: pulumi.runtime.MockResourceArgs, project: str) -> Computed | None:
    """The id and computed outputs of an edge resource, else None."""
    handler = _BY_TYPE.get(args.typ)
    if handler is None:
        return None
    return handler(args, project, physical_name(args.name, args.inputs))
