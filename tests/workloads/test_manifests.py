"""The Kubernetes objects of a service as pure data: restricted pods (rule 33), requests, limits and
pinned images (rule 35), probes, spread, spot placement, autoscaling and disruption budgets."""

from __future__ import annotations

from typing import Any

import pytest

from bettafish.config.capacity import Resources
from bettafish.config.services import Service
from components.kube_cluster import CAPACITY_LABEL, POOL_LABEL, SPOT_TAINT_KEY
from components.workloads import manifests
from components.workloads.manifests import ServiceSpec
from tests.mocks import load, stack_values
from tests.workloads.pod_security import violations

PROD = load(stack_values("prod", "aws"))


def spec(name: str = "apiGateway", **change: Any) -> ServiceSpec:
    service: Service = PROD.services.get(name)  # type: ignore[arg-type]
    if change:
        service = service.model_copy(update=change)
    return ServiceSpec(
        name="svc",
        service=service,
        image="registry.example/bettafish/svc:1.0.0",
        requests=Resources(1680, 5736),
        pool=service.node_pool,
        service_account="svc",
        config_map="settings",
        pod_labels={"identity": "on"},
        spot_tolerations=manifests.spot_tolerations([{"key": "cloud/spot", "operator": "Exists"}]),
    )


def test_the_pod_runs_under_pod_security_restricted() -> None:
    assert violations(manifests.pod_template(spec())["spec"]) == []


@pytest.mark.parametrize(
    ("broken", "expected"),
    [
        (lambda c: c["securityContext"].update(allowPrivilegeEscalation=True), "allowPrivilegeEscalation"),
        (lambda c: c["securityContext"].update(readOnlyRootFilesystem=False), "root filesystem is writable"),
        (lambda c: c["securityContext"].update(capabilities={"drop": []}), "capabilities"),
        (lambda c: c["securityContext"].update(runAsUser=1000), "runAsUser below 10000"),
        (lambda c: c["securityContext"].pop("seccompProfile"), None),  # the pod-level profile still applies
    ],
)
def test_the_restricted_check_catches_each_broken_setting(broken: Any, expected: str | None) -> None:
    pod = manifests.pod_template(spec())["spec"]
    broken(pod["containers"][0])
    found = violations(pod)
    assert (expected is None and found == []) or any(expected in f for f in found if expected), found


def test_requests_come_from_capacity_and_limits_from_the_size() -> None:
    resources = manifests.container(spec())["resources"]
    assert resources == {
        "requests": {"cpu": "1680m", "memory": "5736Mi"},
        "limits": {"cpu": "2000m", "memory": "5736Mi"},
    }


def test_probes_use_the_health_check_and_kubernetes_one_success_rule() -> None:
    container = manifests.container(spec())
    readiness, liveness = container["readinessProbe"], container["livenessProbe"]
    assert readiness == {
        "httpGet": {"path": "/api/v1/health", "port": "http", "scheme": "HTTP"},
        "periodSeconds": 30,
        "timeoutSeconds": 5,
        "successThreshold": 2,
        "failureThreshold": 3,
    }
    # Kubernetes refuses a liveness or startup probe whose successThreshold is not 1.
    assert liveness["successThreshold"] == container["startupProbe"]["successThreshold"] == 1
    assert liveness["failureThreshold"] == 3


def test_every_writable_path_is_an_empty_dir_and_the_image_is_pinned() -> None:
    pod = manifests.pod_template(spec(writable_paths=["/tmp", "/var/cache/app"]))["spec"]
    (container,) = pod["containers"]
    assert [m["mountPath"] for m in container["volumeMounts"]] == ["/tmp", "/var/cache/app"]
    assert {v["name"] for v in pod["volumes"]} == {m["name"] for m in container["volumeMounts"]}
    assert all("emptyDir" in v for v in pod["volumes"])
    assert container["image"].endswith(":1.0.0")


def test_pods_go_to_their_pool_spread_over_zones_and_nodes() -> None:
    pod = manifests.pod_template(spec())["spec"]
    assert pod["nodeSelector"] == {POOL_LABEL: "general"}
    keys = [c["topologyKey"] for c in pod["topologySpreadConstraints"]]
    assert keys == ["topology.kubernetes.io/zone", "kubernetes.io/hostname"]
    assert pod["automountServiceAccountToken"] is False
    assert pod["terminationGracePeriodSeconds"] == 30


def test_only_interruptible_services_tolerate_spot_and_they_prefer_on_demand() -> None:
    steady = manifests.pod_template(spec())["spec"]
    assert steady["tolerations"] == []
    assert "affinity" not in steady
    spot = manifests.pod_template(spec(interruptible=True))["spec"]
    assert {t["key"] for t in spot["tolerations"]} == {SPOT_TAINT_KEY, "cloud/spot"}
    preferred = spot["affinity"]["nodeAffinity"]["preferredDuringSchedulingIgnoredDuringExecution"][0]
    assert preferred["preference"]["matchExpressions"][0] == {
        "key": CAPACITY_LABEL,
        "operator": "In",
        "values": ["on-demand"],
    }


def test_the_deployment_leaves_replicas_to_the_autoscaler() -> None:
    deployment = manifests.deployment_spec(spec())
    assert "replicas" not in deployment
    assert deployment["strategy"]["rollingUpdate"] == {"maxUnavailable": 0, "maxSurge": "25%"}


def test_the_autoscaler_takes_the_spec_bounds_targets_and_cooldowns() -> None:
    hpa = manifests.hpa_spec(spec(), "svc", PROD.kubernetes.autoscaling)
    assert (hpa["minReplicas"], hpa["maxReplicas"]) == (3, 10)
    targets = {m["resource"]["name"]: m["resource"]["target"]["averageUtilization"] for m in hpa["metrics"]}
    assert targets == {"cpu": 70, "memory": 80}
    assert hpa["behavior"] == {
        "scaleUp": {"stabilizationWindowSeconds": 300},
        "scaleDown": {"stabilizationWindowSeconds": 300},
    }
    engine = manifests.hpa_spec(spec("queryEngine"), "svc", PROD.kubernetes.autoscaling)
    assert [m["resource"]["name"] for m in engine["metrics"]] == ["cpu"]


def test_the_disruption_budget_never_blocks_a_drain() -> None:
    # maxUnavailable 1 lets a one-replica service drain; minAvailable 1 would block it forever.
    assert manifests.pdb_spec(spec("reportEngine")) == {
        "maxUnavailable": 1,
        "selector": {"matchLabels": {manifests.APP_LABEL: "svc"}},
        "unhealthyPodEvictionPolicy": "AlwaysAllow",
    }
