"""GCP part of the fake cloud: resource names, self links, computed attributes."""

from __future__ import annotations

from collections.abc import Callable
from ipaddress import IPv4Network
from typing import Any

import pulumi

from bettafish.plan.fake_cloud.common import GCP_PROJECT_NUMBER, Computed, hex_digest, physical_name
from bettafish.plan.fake_cloud.gcp_edge import edge_state
from bettafish.plan.fake_cloud.gcp_operations import operations_state
from bettafish.plan.fake_cloud.gcp_workloads import workloads_state
from bettafish.plan.fake_cloud.gke import gke_state

_N = GCP_PROJECT_NUMBER
CALLS: dict[str, dict[str, Any]] = {
    "gcp:organizations/getProject:getProject": {"number": _N},
    "gcp:storage/getProjectServiceAccount:getProjectServiceAccount": {
        "emailAddress": f"service-{_N}@gs-project-accounts.iam.gserviceaccount.com",
        "member": f"serviceAccount:service-{_N}@gs-project-accounts.iam.gserviceaccount.com",
    },
    "gcp:logging/getProjectCmekSettings:getProjectCmekSettings": {
        "id": f"projects/{_N}/cmekSettings",
        "name": f"projects/{_N}/cmekSettings",
        "serviceAccountId": f"service-{_N}@gcp-sa-logging.iam.gserviceaccount.com",
    },
}
"""Answers to the GCP data sources the program reads."""

SERVICE_AGENTS = {
    "sqladmin.googleapis.com": f"service-{_N}@gcp-sa-cloud-sql.iam.gserviceaccount.com",
    "secretmanager.googleapis.com": f"service-{_N}@gcp-sa-secretmanager.iam.gserviceaccount.com",
    "redis.googleapis.com": f"service-{_N}@cloud-redis.iam.gserviceaccount.com",
}
"""The agent e-mails Google gives a project's services (ServiceIdentity)."""

# Address plan seen so far, keyed by project-qualified ids, so that producers (Cloud SQL,
# Memorystore) hand out addresses from the ranges the program really reserved for them.
_ALLOCATED: dict[str, IPv4Network] = {}
"""Private services access ranges: ``project/name`` -> CIDR."""
_SUBNETS: dict[str, IPv4Network] = {}
"""Subnetwork id -> CIDR."""
_PSC_SUBNET: dict[tuple[str, str], str] = {}
"""(network id, service class) -> the subnetwork id a service connection policy names."""


def _host(cidr: IPv4Network | None, *seed: str) -> str:
    """A stable address inside ``cidr`` (past the reserved first addresses), else a plausible one."""
    if cidr is None:
        cidr = IPv4Network("10.255.0.0/16")
    usable = max(cidr.num_addresses - 8, 1)
    return str(cidr.network_address + 4 + int(hex_digest(*seed, length=8), 16) % usable)


def _regional(project: str, kind: str, inputs: dict[str, Any], name: str) -> str:
    scope = f"regions/{inputs['region']}" if "region" in inputs else "global"
    return f"projects/{project}/{scope}/{kind[0].lower() + kind[1:]}s/{name}"


def _compute(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    inputs, kind = args.inputs, args.typ.split(":")[-1]
    resource_id = _regional(project, kind, inputs, name)
    computed: dict[str, Any] = {}
    if args.typ == "gcp:compute/globalAddress:GlobalAddress":
        resource_id = f"projects/{project}/global/addresses/{name}"
        if "address" in inputs and "prefixLength" in inputs:
            _ALLOCATED[f"{project}/{name}"] = IPv4Network(f"{inputs['address']}/{int(inputs['prefixLength'])}")
    elif args.typ == "gcp:compute/routerNat:RouterNat":
        resource_id = f"{project}/{inputs.get('region')}/{inputs.get('router')}/{name}"
    elif args.typ == "gcp:compute/network:Network":
        computed["numericId"] = str(int(hex_digest(name, length=12), 16))
    elif args.typ == "gcp:compute/subnetwork:Subnetwork":
        cidr = IPv4Network(inputs.get("ipCidrRange", "10.0.0.0/24"))
        _SUBNETS[resource_id] = cidr
        computed["gatewayAddress"] = str(cidr.network_address + 1)
    computed["selfLink"] = f"https://www.googleapis.com/compute/v1/{resource_id}"
    computed["creationTimestamp"] = "2026-11-27T00:00:00.000-08:00"
    return resource_id, computed


def _kms(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    inputs = args.inputs
    if args.typ == "gcp:kms/keyRing:KeyRing":
        return f"projects/{project}/locations/{inputs.get('location')}/keyRings/{name}", {}
    if args.typ == "gcp:kms/cryptoKey:CryptoKey":
        key_id = f"{inputs.get('keyRing')}/cryptoKeys/{name}"
        return key_id, {"primaries": [{"name": f"{key_id}/cryptoKeyVersions/1", "state": "ENABLED"}]}
    # CryptoKeyIAMMember
    resource_id = f"{inputs.get('cryptoKeyId')}/{inputs.get('role')}/{inputs.get('member')}"
    return resource_id, {"etag": f"BwY{hex_digest(resource_id, length=9)}="}


def _projects(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    service = str(args.inputs.get("service", ""))
    if args.typ == "gcp:projects/service:Service":
        return f"{project}/{service}", {}
    email = SERVICE_AGENTS.get(service, f"service-{_N}@gcp-sa-{service.split('.')[0]}.iam.gserviceaccount.com")
    return f"projects/{project}/services/{service}", {"email": email, "member": f"serviceAccount:{email}"}


def _sql(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    inputs = args.inputs
    if args.typ == "gcp:sql/database:Database":
        resource_id = f"projects/{project}/instances/{inputs.get('instance')}/databases/{name}"
        return resource_id, {"selfLink": f"https://sqladmin.googleapis.com/sql/v1beta4/{resource_id}"}
    if args.typ == "gcp:sql/user:User":
        return f"{name}/{inputs.get('host', '')}/{inputs.get('instance')}", {}
    region = inputs.get("region", "us-central1")
    allocated = inputs.get("settings", {}).get("ipConfiguration", {}).get("allocatedIpRange", "")
    address = _host(_ALLOCATED.get(f"{project}/{allocated}"), project, name)
    computed = {
        "connectionName": f"{project}:{region}:{name}",
        "privateIpAddress": address,
        "ipAddresses": [{"ipAddress": address, "type": "PRIVATE"}],
        "dnsName": f"{hex_digest(project, name, length=12)}.{region}.sql.goog.",
        "selfLink": f"https://sqladmin.googleapis.com/sql/v1beta4/projects/{project}/instances/{name}",
        "serviceAccountEmailAddress": f"p{_N}-{hex_digest(name, length=6)}@gcp-sa-cloud-sql.iam.gserviceaccount.com",
    }
    return name, computed


def _secret(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    inputs = args.inputs
    if args.typ == "gcp:secretmanager/secret:Secret":
        secret_id = inputs.get("secretId", name)
        return f"projects/{project}/secrets/{secret_id}", {
            "name": f"projects/{_N}/secrets/{secret_id}",
            "createTime": "2026-11-27T08:00:00.000000Z",
        }
    secret_id = str(inputs.get("secret", "")).rsplit("/", 1)[-1]
    version = f"projects/{_N}/secrets/{secret_id}/versions/1"
    return version, {"name": version, "version": "1", "createTime": "2026-11-27T08:00:00.000000Z"}


def _redis(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    inputs = args.inputs
    region = inputs.get("region", "us-central1")
    network = (inputs.get("pscConfigs") or [{}])[0].get("network", "")
    subnet = _PSC_SUBNET.get((network, "gcp-memorystore-redis"))
    address = _host(_SUBNETS.get(subnet or ""), project, name)
    resource_id = f"projects/{project}/locations/{region}/clusters/{name}"
    return resource_id, {
        "discoveryEndpoints": [{"address": address, "port": 6379, "pscConfig": {"network": network}}],
        "pscConnections": [
            {
                "address": address,
                "network": network,
                "projectId": project,
                "pscConnectionId": str(int(hex_digest(resource_id, length=14), 16)),
                "forwardingRule": f"projects/{project}/regions/{region}/forwardingRules/ssc-auto-fr-{hex_digest(name)}",
            }
        ],
        "uid": hex_digest(resource_id, length=32),
        "state": "ACTIVE",
        "createTime": "2026-11-27T08:00:00.000000Z",
    }


def _connection_policy(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    inputs = args.inputs
    subnets = (inputs.get("pscConfig") or {}).get("subnetworks") or []
    if subnets:
        _PSC_SUBNET[(inputs.get("network", ""), inputs.get("serviceClass", ""))] = subnets[0]
    resource_id = f"projects/{project}/locations/{inputs.get('location')}/serviceConnectionPolicies/{name}"
    return resource_id, {"infrastructure": "PSC", "etag": hex_digest(resource_id, length=16)}


def _bucket(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    inputs = args.inputs
    if args.typ == "gcp:storage/bucketIAMMember:BucketIAMMember":
        resource_id = f"b/{inputs.get('bucket')}/{inputs.get('role')}/{inputs.get('member')}"
        return resource_id, {"etag": f"CAE{hex_digest(resource_id, length=9)}="}
    return name, {
        "url": f"gs://{name}",
        "selfLink": f"https://www.googleapis.com/storage/v1/b/{name}",
        "projectNumber": _N,
        "timeCreated": "2026-11-27T08:00:00.000Z",
    }


def _logging(args: pulumi.runtime.MockResourceArgs, project: str, name: str) -> Computed:
    inputs = args.inputs
    if args.typ == "gcp:logging/projectBucketConfig:ProjectBucketConfig":
        resource_id = f"projects/{project}/locations/{inputs.get('location')}/buckets/{inputs.get('bucketId')}"
        return resource_id, {"name": resource_id}
    if args.typ == "gcp:logging/projectSink:ProjectSink":
        identity = f"serviceAccount:service-{_N}@gcp-sa-logging.iam.gserviceaccount.com"
        return f"projects/{project}/sinks/{name}", {"writerIdentity": identity}
    return f"projects/{project}/exclusions/{name}", {}


_BY_MODULE: dict[str, Callable[[pulumi.runtime.MockResourceArgs, str, str], Computed]] = {
    "compute": _compute,
    "kms": _kms,
    "projects": _projects,
    "sql": _sql,
    "secretmanager": _secret,
    "redis": _redis,
    "networkconnectivity": _connection_policy,
    "storage": _bucket,
    "logging": _logging,
}


def gcp_state(args: pulumi.runtime.MockResourceArgs, default_project: str) -> Computed:
    inputs = args.inputs
    name = physical_name(args.name, inputs)
    project = inputs.get("project", default_project)
    module = args.typ.split(":")[1].split("/")[0]
    computed: dict[str, Any] = {"name": name, "project": project}
    cluster = gke_state(args, project)
    if cluster is not None:
        return cluster[0], {**computed, **cluster[1]}
    workload = workloads_state(args, project) or edge_state(args, project) or operations_state(args, project)
    if workload is not None:
        return workload[0], {**computed, **workload[1]}
    if args.typ == "gcp:servicenetworking/connection:Connection":
        computed["peering"] = "servicenetworking-googleapis-com"
        return f"{inputs.get('network', '')}:{inputs.get('service', '')}", computed
    handler = _BY_MODULE.get(module)
    if handler is None:
        kind = args.typ.split(":")[-1]
        return _regional(project, kind, inputs, name), computed
    resource_id, extra = handler(args, project, name)
    return resource_id, {**computed, **extra}
