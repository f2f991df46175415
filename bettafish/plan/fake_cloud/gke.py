"""GKE part of the fake cloud: ids and computed outputs of the cluster's resources, formed as GKE
and IAM form them (private endpoints inside the subnetwork, base64 PEM CAs, DNS endpoints, node
pool names from their prefix, instance group URLs, service account e-mails)."""

from __future__ import annotations

import base64
from ipaddress import IPv4Network
from typing import Any

import pulumi

from bettafish.plan.fake_cloud.common import GCP_PROJECT_NUMBER, Computed, hex_digest, physical_name

GKE_PATCH = "5-gke.1163012"
"""The patch GKE's REGULAR channel creates a minor version at (the default is GKE's to choose)."""


def gke_state(args: pulumi.runtime.MockResourceArgs, project: str) -> Computed | None:
    """The id and computed outputs of a cluster resource, or None for types this module does not own."""
    handler = _BY_TYPE.get(args.typ)
    return handler(args, project) if handler else None


def _cluster(args: pulumi.runtime.MockResourceArgs, project: str) -> Computed:
    from bettafish.plan.fake_cloud.gcp import _SUBNETS, _host  # gcp imports this module

    inputs = args.inputs
    name, location = physical_name(args.name, inputs), str(inputs.get("location", "us-central1"))
    resource_id = f"projects/{project}/locations/{location}/clusters/{name}"
    private_endpoint = _host(_SUBNETS.get(str(inputs.get("subnetwork", ""))), project, name, "endpoint")
    public_endpoint = _host(IPv4Network("34.23.0.0/16"), project, name, "public")
    private = inputs.get("privateClusterConfig") or {}
    version = f"{inputs.get('minMasterVersion', '1.35')}.{GKE_PATCH}"
    return resource_id, {
        "endpoint": private_endpoint if private.get("enablePrivateEndpoint") else public_endpoint,
        "privateClusterConfig": {**private, "privateEndpoint": private_endpoint, "publicEndpoint": public_endpoint},
        "masterAuth": {
            **(inputs.get("masterAuth") or {}),
            "clusterCaCertificate": _ca_certificate(resource_id),
        },
        "controlPlaneEndpointsConfig": {
            "dnsEndpointConfig": {
                **((inputs.get("controlPlaneEndpointsConfig") or {}).get("dnsEndpointConfig") or {}),
                "endpoint": f"gke-{hex_digest(resource_id, length=32)}-{GCP_PROJECT_NUMBER}.{location}.gke.goog",
            }
        },
        "masterVersion": version,
        "nodeVersion": version,
        "selfLink": f"https://container.googleapis.com/v1/{resource_id}",
        "labelFingerprint": hex_digest(resource_id, "labels", length=8),
    }


def _ca_certificate(seed: str) -> str:
    """A base64-encoded PEM certificate, as ``masterAuth.clusterCaCertificate`` carries it."""
    body = base64.b64encode(bytes.fromhex(hex_digest(seed, "ca", length=64) * 8)).decode()
    lines = [body[i : i + 64] for i in range(0, len(body), 64)]
    pem = "\n".join(["-----BEGIN CERTIFICATE-----", *lines, "-----END CERTIFICATE-----", ""])
    return base64.b64encode(pem.encode()).decode()


def _node_pool(args: pulumi.runtime.MockResourceArgs, project: str) -> Computed:
    inputs = args.inputs
    prefix = inputs.get("namePrefix")
    if prefix:  # the provider's prefix + YYYYmmddHHSSssss + an 8-digit counter
        name = f"{prefix}2026112708000000{int(hex_digest(args.name, length=8), 16) % 10**8:08d}"
    else:
        name = physical_name(args.name, inputs)
    cluster, location = str(inputs.get("cluster", "")), str(inputs.get("location", ""))
    resource_id = f"projects/{project}/locations/{location}/clusters/{cluster}/nodePools/{name}"
    group = f"gke-{cluster[:16]}-{name[:12]}-{hex_digest(resource_id, length=8)}"
    zones = inputs.get("nodeLocations") or []
    return resource_id, {
        "name": name,
        "instanceGroupUrls": [
            f"https://www.googleapis.com/compute/v1/projects/{project}/zones/{z}/instanceGroupManagers/{group}-grp"
            for z in zones
        ],
        "managedInstanceGroupUrls": [
            f"https://www.googleapis.com/compute/v1/projects/{project}/zones/{z}/instanceGroups/{group}-grp"
            for z in zones
        ],
    }


def _service_account(args: pulumi.runtime.MockResourceArgs, project: str) -> Computed:
    email = f"{args.inputs.get('accountId')}@{project}.iam.gserviceaccount.com"
    resource_id = f"projects/{project}/serviceAccounts/{email}"
    return resource_id, {
        "email": email,
        "member": f"serviceAccount:{email}",
        "name": resource_id,
        "uniqueId": str(10**20 + int(hex_digest(email, length=15), 16)),
    }


def _project_member(args: pulumi.runtime.MockResourceArgs, project: str) -> Computed:
    inputs = args.inputs
    resource_id = f"{inputs.get('project', project)}/{inputs.get('role')}/{inputs.get('member')}"
    return resource_id, {"etag": f"BwY{hex_digest(resource_id, length=9)}="}


_BY_TYPE: dict[str, Any] = {
    "gcp:container/cluster:Cluster": _cluster,
    "gcp:container/nodePool:NodePool": _node_pool,
    "gcp:serviceaccount/account:Account": _service_account,
    "gcp:projects/iAMMember:IAMMember": _project_member,
}
