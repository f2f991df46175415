"""The GCP network as recorded from the real program run offline: constants and lookups shared by
the Vpc, firewall and flow-log tests."""

from __future__ import annotations

from functools import cache
from typing import Any

from bettafish.plan import RecordedResource, Recording
from tests.mocks import run_stack

STACKS = ("prod", "staging")
PREFIX = {"prod": "bettafish-prod-net", "staging": "bettafish-staging-net"}
NET = {"prod": "10.0", "staging": "10.1"}
"""The first two octets of each stack's address plan."""
REGION = "us-east1"
GOOGLE_FRONT_ENDS = ["130.211.0.0/22", "35.191.0.0/16"]
FLOW_LOG_FILTER = 'resource.type="gce_subnetwork" AND log_id("compute.googleapis.com/vpc_flows")'

NETWORK = "gcp:compute/network:Network"
SUBNETWORK = "gcp:compute/subnetwork:Subnetwork"
GLOBAL_ADDRESS = "gcp:compute/globalAddress:GlobalAddress"
CONNECTION = "gcp:servicenetworking/connection:Connection"
ROUTER = "gcp:compute/router:Router"
ROUTER_NAT = "gcp:compute/routerNat:RouterNat"
FIREWALL = "gcp:compute/firewall:Firewall"
BUCKET = "gcp:logging/projectBucketConfig:ProjectBucketConfig"
SINK = "gcp:logging/projectSink:ProjectSink"
EXCLUSION = "gcp:logging/projectExclusion:ProjectExclusion"
SERVICE = "gcp:projects/service:Service"
RANDOM_ID = "random:index/randomId:RandomId"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "gcp")


def by_name(stack: str, suffix: str) -> RecordedResource:
    return plan(stack).named(f"{PREFIX[stack]}-{suffix}")


def typed(stack: str, type_token: str, suffix: str) -> RecordedResource:
    """The resource of ``type_token`` named ``<prefix>-<suffix>`` (a name several types share)."""
    (found,) = [r for r in plan(stack).of_type(type_token) if r.name == f"{PREFIX[stack]}-{suffix}"]
    return found


def app_tag(stack: str) -> str:
    return f"{PREFIX[stack]}-app"


def database_range(stack: str) -> str:
    """The database tier's covering range."""
    return f"{NET[stack]}.20.0/22"


HALF = {"app-to-db": "20.0/23", "app-to-cache": "22.0/23"}
"""The half of the database tier each managed service is reached in: Cloud SQL's private services
access range (lower), Memorystore's PSC endpoints in the cache subnetwork (upper)."""


def firewalls(stack: str) -> dict[str, dict[str, Any]]:
    """Firewall inputs by role (the logical name without the network prefix)."""
    return {f.name.removeprefix(f"{PREFIX[stack]}-"): f.inputs for f in plan(stack).of_type(FIREWALL)}
