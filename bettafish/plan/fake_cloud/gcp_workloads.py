"""GCP part of the fake cloud for the services' resources: Cloud DNS zones and records, the origin's
static IP and SSL policy, Artifact Registry, IAM members on service accounts and secrets, and the
status GKE's Ingress controller writes (the forwarding rule's address, which is the reserved IP the
Ingress names)."""

from __future__ import annotations

from collections.abc import Callable
from ipaddress import IPv4Network
from typing import Any

import pulumi

from bettafish.plan.fake_cloud.common import Computed, hex_digest, physical_name
from bettafish.plan.fake_cloud.kubernetes import INGRESS_STATUS

GLOBAL_ANYCAST = IPv4Network("34.149.0.0/16")
"""A range Google hands global external load balancer addresses out of."""
STATIC_IP_ANNOTATION = "kubernetes.io/ingress.global-static-ip-name"
RESTRICTED_FEATURES = [
    "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
    "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384",
    "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256",
]
"""What Compute Engine reports as ``enabledFeatures`` of a RESTRICTED policy."""
_CREATED = "2026-11-27T08:00:00.000000Z"

_STATIC_IPS: dict[str, str] = {}
"""Global address name -> the IP Google reserved for it (what GKE's forwarding rules then use)."""


def _global_ip(project: str, name: str) -> str:
    return str(GLOBAL_ANYCAST.network_address + 256 + int(hex_digest(project, name, length=8), 16) % 65000)


def _zone(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    numeric = str(int(hex_digest(project, name, length=15), 16))
    shard = "abcde"[int(hex_digest(name, length=2), 16) % 5]
    computed: dict[str, Any] = {"managedZoneId": numeric, "creationTime": _CREATED}
    public = args.inputs.get("visibility", "public") == "public"
    computed["nameServers"] = (
        [f"ns-cloud-{shard}{i}.googledomains.com." for i in range(1, 5)]
        if public
        else ["ns-gcp-private.googledomains.com."]
    )
    return f"projects/{project}/managedZones/{name}", computed


def _record(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    inputs = args.inputs
    zone = str(inputs.get("managedZone", "")).rsplit("/", 1)[-1]
    return f"projects/{project}/managedZones/{zone}/rrsets/{inputs.get('name')}/{inputs.get('type')}", {}


def _address(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    resource_id = f"projects/{project}/global/addresses/{name}"
    ip = str(args.inputs.get("address") or _global_ip(project, name))
    _STATIC_IPS[name] = ip
    return resource_id, {"address": ip, "selfLink": f"https://www.googleapis.com/compute/v1/{resource_id}"}


def _ssl_policy(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    resource_id = f"projects/{project}/global/sslPolicies/{name}"
    features = RESTRICTED_FEATURES if args.inputs.get("profile") == "RESTRICTED" else args.inputs.get("customFeatures")
    return resource_id, {
        "selfLink": f"https://www.googleapis.com/compute/v1/{resource_id}",
        "fingerprint": f"{hex_digest(resource_id, length=11)}=",
        "enabledFeatures": features or [],
    }


def _repository(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    inputs = args.inputs
    repository, location = str(inputs.get("repositoryId")), str(inputs.get("location"))
    return f"projects/{project}/locations/{location}/repositories/{repository}", {
        "name": repository,
        "registryUri": f"{location}-docker.pkg.dev/{project}/{repository}",
        "createTime": _CREATED,
        "updateTime": _CREATED,
    }


def _iam_member(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    inputs = args.inputs
    target = inputs.get("serviceAccountId") or inputs.get("secretId")
    resource_id = f"{target}/{inputs.get('role')}/{inputs.get('member')}"
    return resource_id, {"etag": f"BwY{hex_digest(resource_id, length=9)}="}


_BY_TYPE: dict[str, Callable[[pulumi.runtime.MockResourceArgs, str, str], Computed]] = {
    "gcp:dns/managedZone:ManagedZone": _zone,
    "gcp:dns/recordSet:RecordSet": _record,
    "gcp:compute/globalAddress:GlobalAddress": _address,
    "gcp:compute/sSLPolicy:SSLPolicy": _ssl_policy,
    "gcp:artifactregistry/repository:Repository": _repository,
    "gcp:serviceaccount/iAMMember:IAMMember": _iam_member,
    "gcp:secretmanager/secretIamMember:SecretIamMember": _iam_member,
}


def workloads_state(args: pulumi.runtime.MockResourceArgs, project: str) -> Computed | None:
    """The id and computed outputs of a resource this module owns, else None. An internal global
    address (private services access) keeps the address the program gave it."""
    handler = _BY_TYPE.get(args.typ)
    if handler is None or (args.typ.endswith(":GlobalAddress") and args.inputs.get("purpose")):
        return None
    return handler(args, project, physical_name(args.name, args.inputs))


def _gce_status(name: str, inputs: dict[str, Any]) -> dict[str, Any]:
    """GKE's Ingress controller reports its forwarding rules' address: the static IP it was told to use."""
    annotations = (inputs.get("metadata") or {}).get("annotations") or {}
    ip = _STATIC_IPS.get(str(annotations.get(STATIC_IP_ANNOTATION, "")))
    return {"loadBalancer": {"ingress": [{"ip": ip}] if ip else []}}


INGRESS_STATUS["gce"] = _gce_status
