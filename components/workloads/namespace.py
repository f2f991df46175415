"""Namespace-wide objects of the services, as plain data: the namespace with Pod Security
``restricted`` enforced, its resource quota and limit range, and the app settings ConfigMap."""

from __future__ import annotations

from math import ceil
from typing import Any

from bettafish.config.capacity import Resources
from bettafish.config.services import Service
from components.workloads.manifests import quantity_cpu, quantity_memory

Manifest = dict[str, Any]

POD_SECURITY = "restricted"
SURGE = 1.25
"""A rolling update runs up to 25% more pods (``maxSurge``): the quota leaves room for it."""
MIN_CONTAINER = Resources(50, 64)


def namespace_metadata(name: str, kubernetes_version: str) -> Manifest:
    """Pod Security Admission ``restricted``, enforced, audited and warned, pinned to the cluster's
    version so an upgrade never loosens it silently (security rule 33)."""
    labels = {"app.kubernetes.io/part-of": "bettafish"}
    for mode in ("enforce", "audit", "warn"):
        labels[f"pod-security.kubernetes.io/{mode}"] = POD_SECURITY
        labels[f"pod-security.kubernetes.io/{mode}-version"] = f"v{kubernetes_version}"
    return {"name": name, "labels": labels}


def quota_spec(services: list[tuple[Service, Resources]]) -> Manifest:
    """Every service at ``maxReplicas`` during a rolling update, and nothing more."""

    def total(per_replica: int, service: Service) -> int:
        return ceil(per_replica * service.max_replicas * SURGE)

    requests_cpu = sum(total(r.millicores, s) for s, r in services)
    requests_memory = sum(total(r.mebibytes, s) for s, r in services)
    limits_cpu = sum(total(s.size.vcpus * 1000, s) for s, _ in services)
    return {
        "hard": {
            "requests.cpu": quantity_cpu(requests_cpu),
            "requests.memory": quantity_memory(requests_memory),
            "limits.cpu": quantity_cpu(limits_cpu),
            "limits.memory": quantity_memory(requests_memory),
            "pods": str(sum(ceil(s.max_replicas * SURGE) for s, _ in services)),
            "services.loadbalancers": "0",
            "services.nodeports": "0",
        }
    }


def limit_range_spec(services: list[tuple[Service, Resources]]) -> Manifest:
    """Containers between a small floor and the largest service; defaults for anything unlabelled."""
    largest_cpu = max(s.size.vcpus * 1000 for s, _ in services)
    largest_memory = max(r.mebibytes for _, r in services)
    return {
        "limits": [
            {
                "type": "Container",
                "min": {
                    "cpu": quantity_cpu(MIN_CONTAINER.millicores),
                    "memory": quantity_memory(MIN_CONTAINER.mebibytes),
                },
                "max": {"cpu": quantity_cpu(largest_cpu), "memory": quantity_memory(largest_memory)},
                "defaultRequest": {"cpu": "100m", "memory": "128Mi"},
                "default": {"cpu": "500m", "memory": "512Mi"},
            }
        ]
    }
