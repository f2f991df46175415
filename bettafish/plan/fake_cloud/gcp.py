"""GCP part of the fake cloud: resource names, self links, computed attributes."""

from __future__ import annotations

from typing import Any

import pulumi

from bettafish.plan.fake_cloud.common import GCP_PROJECT_NUMBER, Computed, hex_digest, physical_name

CALLS: dict[str, dict[str, Any]] = {}
"""Answers to the GCP data sources the program reads."""


def gcp_state(args: pulumi.runtime.MockResourceArgs, default_project: str) -> Computed:
    inputs = args.inputs
    name = physical_name(args.name, inputs)
    project = inputs.get("project", default_project)
    kind = args.typ.split(":")[-1]
    scope = f"regions/{inputs['region']}" if "region" in inputs else "global"
    resource_id = f"projects/{project}/{scope}/{kind[0].lower() + kind[1:]}s/{name}"
    computed: dict[str, Any] = {"name": name, "project": project}
    if args.typ == "gcp:compute/globalAddress:GlobalAddress":
        resource_id = f"projects/{project}/global/addresses/{name}"
    elif args.typ == "gcp:compute/routerNat:RouterNat":
        resource_id = f"{project}/{inputs.get('region')}/{inputs.get('router')}/{name}"
    elif args.typ == "gcp:servicenetworking/connection:Connection":
        computed["peering"] = "servicenetworking-googleapis-com"
        resource_id = f"{inputs.get('network', '')}:{inputs.get('service', '')}"
    elif args.typ == "gcp:logging/projectBucketConfig:ProjectBucketConfig":
        resource_id = f"projects/{project}/locations/{inputs.get('location')}/buckets/{inputs.get('bucketId')}"
        computed["name"] = resource_id
    elif args.typ == "gcp:logging/projectSink:ProjectSink":
        resource_id = f"projects/{project}/sinks/{name}"
        computed["writerIdentity"] = (
            f"serviceAccount:service-{GCP_PROJECT_NUMBER}@gcp-sa-logging.iam.gserviceaccount.com"
        )
    if args.typ.startswith("gcp:compute/"):
        computed["selfLink"] = f"https://www.googleapis.com/compute/v1/{resource_id}"
        computed["creationTimestamp"] = "2026-11-27T00:00:00.000-08:00"
    if args.typ == "gcp:compute/network:Network":
        computed["numericId"] = str(int(hex_digest(name, length=12), 16))
    if args.typ == "gcp:compute/subnetwork:Subnetwork":
        computed["gatewayAddress"] = inputs.get("ipCidrRange", "10.0.0.0/24").rsplit(".", 1)[0] + ".1"
    return resource_id, computed
