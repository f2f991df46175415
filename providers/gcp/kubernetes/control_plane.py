"""How the neutral cluster settings become the arguments of a regional ``gcp.container.Cluster``:
endpoint access, VPC-native addressing, logs and metrics, add-ons and the autoscaling profile."""

from __future__ import annotations

from typing import Any

from bettafish.config.kubernetes import Addon, ControlPlane, ControlPlaneLog, Kubernetes

RELEASE_CHANNEL = "REGULAR"
"""GKE's channel for production: patch upgrades several times a month, a minor version reaching it
after the Rapid channel has had it for months. ``min_master_version`` (the configured minor) is a
floor, so GKE upgrading the patch, or later the minor, leaves ``pulumi up`` with nothing to change."""
MAX_PODS_PER_NODE = 110
"""GKE's default and the Kubernetes limit; GKE gives each node a /24 of the pod range for it
(twice the pods, rounded up to a power of two), which ``checks.kubernetes.POD_RANGE_PER_NODE`` budgets."""
AUTOSCALING_PROFILE = "BALANCED"
"""GKE's default profile, for serving workloads; OPTIMIZE_UTILIZATION is meant for batch jobs
that do not mind start-up latency (the cooldowns it implies are checked in ``checks.kubernetes_gcp``)."""

CONTROL_PLANE_LOGS: dict[ControlPlaneLog, str | None] = {
    "api": "APISERVER",
    "scheduler": "SCHEDULER",
    "controllerManager": "CONTROLLER_MANAGER",
    "audit": None,
    "authenticator": None,
}
"""GKE's log component per neutral control-plane log, in the API's enum order (the provider keeps
the list as GKE returns it, so another order could show a change on every ``up``). ``audit`` has none: Kubernetes audit logs
are Cloud Audit Logs, always on (Admin Activity, kept 400 days in the project's ``_Required``
bucket). Nor has ``authenticator``: GKE authenticates with Google identities (IAM), and the audit
logs record the principal of every request."""
ALWAYS_LOGGED = ("SYSTEM_COMPONENTS", "WORKLOADS")
"""GKE's default components: node and system pods' logs, and the containers' own (application) logs."""


def logging_components(plane: ControlPlane) -> list[str]:
    """GKE's defaults, then the control-plane components of ``controlPlane.logs``, in GKE's order."""
    chosen = {CONTROL_PLANE_LOGS[log] for log in plane.logs}
    return [*ALWAYS_LOGGED, *(c for c in CONTROL_PLANE_LOGS.values() if c is not None and c in chosen)]


def monitoring_components(plane: ControlPlane) -> list[str]:
    """System metrics, plus the metrics of the control-plane components whose logs are kept."""
    return ["SYSTEM_COMPONENTS", *(c for c in logging_components(plane) if c not in ALWAYS_LOGGED)]


def endpoint_access(plane: ControlPlane) -> dict[str, Any]:
    """Private nodes and a private endpoint, reached through Private Service Connect (GKE 1.29+
    clusters need no ``master_ipv4_cidr_block``). ``authorizedCidrs`` turn the public IP endpoint
    on for those ranges only; the DNS endpoint stays closed to outside traffic either way."""
    public = bool(plane.authorized_cidrs)
    return {
        "private_cluster_config": {"enable_private_nodes": True, "enable_private_endpoint": not public},
        "master_authorized_networks_config": {
            "cidr_blocks": [
                {"cidr_block": str(cidr), "display_name": f"authorized-{i + 1}"}
                for i, cidr in enumerate(plane.authorized_cidrs)
            ],
            "gcp_public_cidrs_access_enabled": False,
        },
        "control_plane_endpoints_config": {"dns_endpoint_config": {"allow_external_traffic": False}},
    }


def ip_allocation(pod_range: str, service_range: str) -> dict[str, Any]:
    """VPC-native: pods and services from the named secondary ranges of the private subnetwork."""
    return {
        "networking_mode": "VPC_NATIVE",
        "ip_allocation_policy": {
            "cluster_secondary_range_name": pod_range,
            "services_secondary_range_name": service_range,
            "stack_type": "IPV4",
        },
        "default_max_pods_per_node": MAX_PODS_PER_NODE,
    }


def addons(wanted: list[Addon]) -> dict[str, Any]:
    """GKE's built-in add-ons, on only where ``kubernetes.addons`` asks:

    - ``loadBalancerController``: the HTTP(S) load balancing add-on (GKE Ingress controller);
    - ``metricsServer``: the horizontal pod autoscaling add-on, which brings GKE's metrics-server
      (the resource metrics API) with it;
    - ``blockStorageCsi``: the Compute Engine persistent disk CSI driver;
    - ``clusterAutoscaler``: not an add-on on GKE but each node pool's ``autoscaling`` block.

    Network policy needs no add-on: Dataplane V2 enforces it (and GKE refuses Calico beside it).
    """
    return {
        "http_load_balancing": {"disabled": "loadBalancerController" not in wanted},
        "horizontal_pod_autoscaling": {"disabled": "metricsServer" not in wanted},
        "gce_persistent_disk_csi_driver_config": {"enabled": "blockStorageCsi" in wanted},
    }


def autoscaling_profile() -> dict[str, Any]:
    """The cluster-wide autoscaler setting: no node auto-provisioning (pools are the configured
    ones), the balanced profile."""
    return {"enabled": False, "autoscaling_profile": AUTOSCALING_PROFILE}


def autoscaled(k8s: Kubernetes) -> bool:
    return "clusterAutoscaler" in k8s.addons
