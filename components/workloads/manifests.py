"""The Kubernetes objects of one service, as plain data: pure functions of the validated config,
so every field is tested on its own and validated against the cluster's Kubernetes version.

Security rule 33 (restricted pods), 34 (default deny, only configured flows) and 35 (requests,
limits, pinned images) live here.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import pulumi

from bettafish.config.capacity import Resources
from bettafish.config.kubernetes import ClusterAutoscaling
from bettafish.config.services import Service
from components.kube_cluster import CAPACITY_LABEL, POOL_LABEL, SPOT_TAINT_KEY

RUN_AS = 10001
"""The non-root user and group every container runs as (rule 33 wants at least 10000)."""
APP_LABEL = "app.kubernetes.io/name"
PORT_NAME = "http"
STARTUP_FAILURES = 30
"""A slow start may take 30 probe periods before liveness takes over."""

Manifest = dict[str, Any]


@dataclass(frozen=True)
class ServiceSpec:
    """Everything the objects of one service need, resolved."""

    name: str
    """Kubernetes name (``api-gateway``)."""
    service: Service
    image: pulumi.Input[str]
    requests: Resources
    pool: str
    service_account: str
    config_map: str
    pod_labels: dict[str, str]
    """Labels the cloud's workload identity needs on the pod, besides the app label."""
    spot_tolerations: list[Manifest]
    """Tolerations of the spot taints (ours and the cloud's own), for interruptible services."""
    annotations: dict[str, pulumi.Input[str]] = field(default_factory=dict)
    """On the ServiceAccount, for the cloud's workload identity."""
    ready: list[pulumi.Resource] = field(default_factory=list)
    """What the pods wait for (the identity's grants)."""


def quantity_cpu(millicores: int) -> str:
    return f"{millicores}m"


def quantity_memory(mebibytes: int) -> str:
    return f"{mebibytes}Mi"


def _probe(spec: ServiceSpec, success: int, failures: int) -> Manifest:
    check = spec.service.health_check
    return {
        "httpGet": {"path": check.path, "port": PORT_NAME, "scheme": "HTTP"},
        "periodSeconds": check.interval_seconds,
        "timeoutSeconds": check.timeout_seconds,
        "successThreshold": success,
        "failureThreshold": failures,
    }


def container(spec: ServiceSpec) -> Manifest:
    """The app container: restricted, read-only root, requests from capacity, limits from size.

    Readiness takes the health check's thresholds as they are; Kubernetes refuses any success
    threshold but 1 on liveness and startup probes, so those keep 1 and the failure threshold.
    """
    svc, check = spec.service, spec.service.health_check
    return {
        "name": spec.name,
        "image": spec.image,
        "imagePullPolicy": "IfNotPresent",
        "ports": [{"name": PORT_NAME, "containerPort": svc.port, "protocol": "TCP"}],
        "envFrom": [{"configMapRef": {"name": spec.config_map}}],
        "resources": {
            "requests": {
                "cpu": quantity_cpu(spec.requests.millicores),
                "memory": quantity_memory(spec.requests.mebibytes),
            },
            # CPU may burst to the size; memory is not compressible, so its limit is the request.
            "limits": {"cpu": quantity_cpu(svc.size.vcpus * 1000), "memory": quantity_memory(spec.requests.mebibytes)},
        },
        "readinessProbe": _probe(spec, check.healthy_threshold, check.unhealthy_threshold),
        "livenessProbe": _probe(spec, 1, check.unhealthy_threshold),
        "startupProbe": {**_probe(spec, 1, STARTUP_FAILURES), "periodSeconds": check.timeout_seconds * 2},
        "securityContext": {
            "runAsNonRoot": True,
            "runAsUser": RUN_AS,
            "runAsGroup": RUN_AS,
            "allowPrivilegeEscalation": False,
            "readOnlyRootFilesystem": True,
            "privileged": False,
            "capabilities": {"drop": ["ALL"]},
            "seccompProfile": {"type": "RuntimeDefault"},
        },
        "volumeMounts": [{"name": _volume(path), "mountPath": path} for path in svc.writable_paths],
    }


def _volume(path: str) -> str:
    return "scratch" + path.replace("/", "-").replace(".", "-").replace("_", "-").rstrip("-")


def pod_template(spec: ServiceSpec) -> Manifest:
    svc = spec.service
    selector = {APP_LABEL: spec.name}
    node_affinity: Manifest = {}
    if svc.interruptible:
        # Either capacity will do; on-demand is preferred so a spot reclaim takes few replicas.
        node_affinity = {
            "nodeAffinity": {
                "preferredDuringSchedulingIgnoredDuringExecution": [
                    {
                        "weight": 50,
                        "preference": {
                            "matchExpressions": [{"key": CAPACITY_LABEL, "operator": "In", "values": ["on-demand"]}]
                        },
                    }
                ]
            }
        }
    return {
        "metadata": {"labels": {**selector, **spec.pod_labels}},
        "spec": {
            "serviceAccountName": spec.service_account,
            "automountServiceAccountToken": False,
            "enableServiceLinks": False,
            "hostNetwork": False,
            "hostPID": False,
            "hostIPC": False,
            "securityContext": {
                "runAsNonRoot": True,
                "runAsUser": RUN_AS,
                "runAsGroup": RUN_AS,
                "fsGroup": RUN_AS,
                "seccompProfile": {"type": "RuntimeDefault"},
            },
            "nodeSelector": {POOL_LABEL: spec.pool},
            "tolerations": spec.spot_tolerations if svc.interruptible else [],
            **({"affinity": node_affinity} if node_affinity else {}),
            "topologySpreadConstraints": [
                {
                    "maxSkew": 1,
                    "topologyKey": key,
                    "whenUnsatisfiable": "ScheduleAnyway",
                    "labelSelector": {"matchLabels": selector},
                }
                for key in ("topology.kubernetes.io/zone", "kubernetes.io/hostname")
            ],
            "terminationGracePeriodSeconds": svc.termination_grace_seconds,
            "containers": [container(spec)],
            "volumes": [{"name": _volume(path), "emptyDir": {"sizeLimit": "1Gi"}} for path in svc.writable_paths],
        },
    }


def deployment_spec(spec: ServiceSpec) -> Manifest:
    """No ``replicas``: the HorizontalPodAutoscaler owns the count."""
    return {
        "selector": {"matchLabels": {APP_LABEL: spec.name}},
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxUnavailable": 0, "maxSurge": "25%"}},
        "revisionHistoryLimit": 5,
        "template": pod_template(spec),
    }


def hpa_spec(spec: ServiceSpec, deployment: str, scaling: ClusterAutoscaling) -> Manifest:
    """``autoscaling/v2`` bounds and targets; the stack's cooldowns become stabilization windows."""
    svc = spec.service
    metrics = [_utilization("cpu", svc.target_cpu_percent)]
    if svc.target_memory_percent is not None:
        metrics.append(_utilization("memory", svc.target_memory_percent))
    return {
        "scaleTargetRef": {"apiVersion": "apps/v1", "kind": "Deployment", "name": deployment},
        "minReplicas": svc.min_replicas,
        "maxReplicas": svc.max_replicas,
        "metrics": metrics,
        "behavior": {
            "scaleUp": {"stabilizationWindowSeconds": scaling.scale_up_cooldown_seconds},
            "scaleDown": {"stabilizationWindowSeconds": scaling.scale_down_cooldown_seconds},
        },
    }


def _utilization(resource: str, percent: int) -> Manifest:
    return {
        "type": "Resource",
        "resource": {"name": resource, "target": {"type": "Utilization", "averageUtilization": percent}},
    }


def pdb_spec(spec: ServiceSpec) -> Manifest:
    """One replica at a time may go; never a budget that blocks a node drain, even at one replica."""
    return {
        "maxUnavailable": 1,
        "selector": {"matchLabels": {APP_LABEL: spec.name}},
        "unhealthyPodEvictionPolicy": "AlwaysAllow",
    }


def spot_tolerations(cloud_taints: list[Manifest]) -> list[Manifest]:
    return [{"key": SPOT_TAINT_KEY, "operator": "Equal", "value": "true", "effect": "NoSchedule"}, *cloud_taints]
