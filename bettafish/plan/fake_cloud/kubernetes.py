"""Kubernetes objects in the fake cloud: ids as the API server names them (``namespace/name``) and
the status a cloud's controllers write back (an Ingress's load balancer address), chosen by the
object's ingress class, so each cloud's part answers for its own controller."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi

from bettafish.plan.fake_cloud.common import Computed

IngressStatus = Callable[[str, dict[str, Any]], dict[str, Any]]
"""(physical name, inputs) -> the ``status`` an ingress controller reports."""

INGRESS_STATUS: dict[str, IngressStatus] = {}
"""Ingress class -> its controller's status; each cloud's module registers its own."""
CLASS_ANNOTATION = "kubernetes.io/ingress.class"
"""The class as an annotation, which some controllers (GKE's) read instead of ``spec.ingressClassName``."""


def kubernetes_state(args: pulumi.runtime.MockResourceArgs) -> Computed:
    metadata = args.inputs.get("metadata") or {}
    name = str(metadata.get("name") or args.name)
    namespace = metadata.get("namespace")
    resource_id = f"{namespace}/{name}" if namespace else name
    computed: dict[str, Any] = {}
    if args.typ == "kubernetes:networking.k8s.io/v1:Ingress":
        annotations = metadata.get("annotations") or {}
        ingress_class = str(
            annotations.get(CLASS_ANNOTATION) or (args.inputs.get("spec") or {}).get("ingressClassName", "")
        )
        status = INGRESS_STATUS.get(ingress_class)
        if status is not None:
            computed["status"] = status(name, args.inputs)
    return resource_id, computed
