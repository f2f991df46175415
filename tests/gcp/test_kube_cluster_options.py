"""GCP KubeCluster under other settings than the stacks': a limited public endpoint, cluster
administrators, fewer logs and add-ons, no autoscaler, a zonal control plane; its log bucket; its
kubeconfig; and the settings GKE cannot honour, rejected at config time."""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from typing import Any

import pytest
import yaml

from bettafish.plan import Recording
from providers.gcp.kubernetes.access import kubeconfig
from tests.config.test_loader import problems, set_path
from tests.gcp.test_kube_cluster import CLUSTER, CRYPTO_KEY, ENCRYPTER, NODE_POOL, NUMBER, PREFIX, PROJECT_MEMBER, plan
from tests.kubernetes_objects import kubernetes_objects, validate
from tests.mocks import edited, run_program, stack_values

K8S = "bettafish:kubernetes"
BINDING = "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding"
LOGGING_AGENT = f"serviceAccount:service-{NUMBER}@gcp-sa-logging.iam.gserviceaccount.com"
ADMINS = ["group:platform@example.com", "user:alice@example.com", "serviceAccount:ci@ops.iam.gserviceaccount.com"]


def with_kubernetes(change: Callable[[Any], Any], stack: str = "prod") -> Recording:
    return run_program(edited(stack_values(stack, "gcp"), K8S, change), stack)


@cache
def variant(name: str) -> Recording:
    changes: dict[str, Callable[[Any], Any]] = {
        "public": set_path(["controlPlane", "authorizedCidrs"], ["203.0.113.0/24", "198.51.100.7/32"]),
        "admins": set_path(["admins", "gcp"], ADMINS),
        "fewer": lambda k: {
            **k,
            "controlPlane": {**k["controlPlane"], "logs": ["api", "audit", "authenticator"]},
            "addons": ["clusterAutoscaler", "blockStorageCsi"],
        },
        "fixed": lambda k: {
            **k,
            "addons": ["loadBalancerController", "metricsServer", "blockStorageCsi"],
            "spot": {**k["spot"], "enabled": False},
        },
        "zonal": set_path(["controlPlane", "zoneRedundant"], False),
    }
    return with_kubernetes(changes[name])


def test_authorized_cidrs_open_the_public_endpoint_to_those_ranges_only() -> None:
    gke = variant("public").one(CLUSTER).inputs
    assert gke["privateClusterConfig"] == {"enablePrivateNodes": True, "enablePrivateEndpoint": False}
    assert gke["masterAuthorizedNetworksConfig"] == {
        "cidrBlocks": [
            {"cidrBlock": "203.0.113.0/24", "displayName": "authorized-1"},
            {"cidrBlock": "198.51.100.7/32", "displayName": "authorized-2"},
        ],
        "gcpPublicCidrsAccessEnabled": False,
    }
    assert not variant("public").outputs["clusterEndpoint"].startswith("https://10.")


def test_administrators_may_find_the_cluster_and_are_cluster_admin_inside_it_only() -> None:
    recording = variant("admins")
    members = {m.inputs["member"]: m.inputs["role"] for m in recording.of_type(PROJECT_MEMBER) if "-admin-" in m.name}
    assert members == dict.fromkeys(ADMINS, "roles/container.clusterViewer")
    binding = recording.one(BINDING)
    assert binding.inputs["roleRef"] == {
        "apiGroup": "rbac.authorization.k8s.io",
        "kind": "ClusterRole",
        "name": "cluster-admin",
    }
    assert binding.inputs["subjects"] == [
        {"kind": "Group", "name": "platform@example.com", "apiGroup": "rbac.authorization.k8s.io"},
        {"kind": "User", "name": "alice@example.com", "apiGroup": "rbac.authorization.k8s.io"},
        {"kind": "User", "name": "ci@ops.iam.gserviceaccount.com", "apiGroup": "rbac.authorization.k8s.io"},
    ]
    (provider,) = recording.of_type("pulumi:providers:kubernetes")
    assert binding.options["provider"].startswith(f"{provider.urn}::")
    assert recording.one(CLUSTER).inputs["authenticatorGroupsConfig"] == {
        "securityGroup": "gke-security-groups@example.com"
    }
    for resource in kubernetes_objects(recording):
        validate(resource, "1.35")


@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_without_administrators_there_is_no_binding_nor_groups_config(stack: str) -> None:
    assert not plan(stack).of_type(BINDING)
    assert "authenticatorGroupsConfig" not in plan(stack).one(CLUSTER).inputs


def test_fewer_logs_and_add_ons_are_honoured() -> None:
    gke = variant("fewer").one(CLUSTER).inputs
    assert gke["loggingConfig"]["enableComponents"] == ["SYSTEM_COMPONENTS", "WORKLOADS", "APISERVER"]
    assert gke["monitoringConfig"]["enableComponents"] == ["SYSTEM_COMPONENTS", "APISERVER"]
    assert gke["addonsConfig"] == {
        "httpLoadBalancing": {"disabled": True},
        "horizontalPodAutoscaling": {"disabled": True},
        "gcePersistentDiskCsiDriverConfig": {"enabled": True},
    }


def test_without_the_autoscaler_pools_keep_their_configured_size() -> None:
    pools = variant("fixed").of_type(NODE_POOL)
    assert sorted(p.name.removeprefix(f"{PREFIX['prod']}-") for p in pools) == ["compute", "general", "memory"]
    per_zone = {p.name.removeprefix(f"{PREFIX['prod']}-"): p.inputs["nodeCount"] for p in pools}
    assert per_zone == {"general": 2, "compute": 2, "memory": 1}
    for pool in pools:
        assert "autoscaling" not in pool.inputs
        assert "initialNodeCount" not in pool.inputs
        assert "ignoreChanges" not in pool.options, "the configured size is Pulumi's to keep"


def test_a_zonal_control_plane_lives_in_the_first_zone() -> None:
    gke = variant("zonal").one(CLUSTER).inputs
    assert gke["location"] == "us-east1-b"
    assert gke["nodeLocations"] == ["us-east1-c", "us-east1-d"], "a zonal cluster lists only its other zones"
    assert all(p.inputs["location"] == "us-east1-b" for p in variant("zonal").of_type(NODE_POOL))


@pytest.mark.parametrize(("stack", "days"), [("prod", 30), ("staging", 7)])
def test_cluster_logs_are_kept_in_their_own_encrypted_bucket_for_the_application_days(stack: str, days: int) -> None:
    recording = plan(stack)
    name = f"{PREFIX[stack]}-logs"
    (bucket,) = [b for b in recording.of_type("gcp:logging/projectBucketConfig:ProjectBucketConfig") if b.name == name]
    (key,) = [k for k in recording.of_type(CRYPTO_KEY) if k.name == f"bettafish-{stack}-keys-logs"]
    assert bucket.inputs["retentionDays"] == days
    assert bucket.inputs["location"] == "us-east1"
    assert bucket.inputs["cmekSettings"] == {"kmsKeyName": key.id}
    (grant,) = [
        g
        for g in recording.of_type("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember")
        if g.inputs == {"cryptoKeyId": key.id, "role": ENCRYPTER, "member": LOGGING_AGENT}
    ]
    assert grant.urn in bucket.options["dependsOn"]
    assert bucket.inputs["bucketId"].startswith(f"{PREFIX[stack]}-logs-"), "a random suffix: ids stay reserved 7 days"


@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_the_clusters_logs_but_not_its_audit_logs_are_routed_there_and_out_of_default(stack: str) -> None:
    recording = plan(stack)
    name = f"{PREFIX[stack]}-logs"
    cluster_name = recording.outputs["clusterName"]
    (sink,) = [s for s in recording.of_type("gcp:logging/projectSink:ProjectSink") if s.name == name]
    (exclusion,) = [e for e in recording.of_type("gcp:logging/projectExclusion:ProjectExclusion") if e.name == name]
    (bucket,) = [b for b in recording.of_type("gcp:logging/projectBucketConfig:ProjectBucketConfig") if b.name == name]
    expected = (
        'resource.type=("k8s_cluster" OR "k8s_control_plane_component" OR "k8s_node" OR "k8s_pod" OR "k8s_container")'
        f' AND resource.labels.cluster_name="{cluster_name}" AND NOT logName:"/logs/cloudaudit.googleapis.com"'
    )
    assert sink.inputs["filter"] == expected == exclusion.inputs["filter"]
    assert sink.inputs["destination"] == f"logging.googleapis.com/{bucket.id}"


def test_the_kubeconfig_authenticates_with_the_gke_auth_plugin() -> None:
    config = yaml.safe_load(kubeconfig("c1", "https://10.0.8.2", "Q0E="))
    (cluster,) = config["clusters"]
    assert cluster["cluster"] == {"server": "https://10.0.8.2", "certificate-authority-data": "Q0E="}
    (user,) = config["users"]
    assert user["user"]["exec"]["command"] == "gke-gcloud-auth-plugin"
    assert user["user"]["exec"]["apiVersion"] == "client.authentication.k8s.io/v1beta1"
    assert user["user"]["exec"]["provideClusterInfo"] is True
    assert config["current-context"] == config["contexts"][0]["name"]


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (["nodePools", "general", "count"], 7, "bettafish:kubernetes.nodePools.general.count: GKE starts a node pool"),
        (["addons"], ["blockStorageCsi"], "bettafish:kubernetes.spot.enabled: GKE spot companions start empty"),
        (["addons"], ["clusterAutoscaler"], "bettafish:kubernetes.addons: the default encrypted StorageClass"),
        (
            ["controlPlane", "logs"],
            ["api", "audit"],
            "bettafish:kubernetes.controlPlane.logs: GKE always keeps authenticator",
        ),
        (
            ["admins", "gcp"],
            ["group:a@example.com", "group:b@example.org"],
            "bettafish:kubernetes.admins.gcp: Google Groups for RBAC takes one",
        ),
    ],
)
def test_what_gke_cannot_honour_is_rejected_naming_the_key(path: list[str], value: Any, expected: str) -> None:
    found = problems(edited(stack_values("prod", "gcp"), K8S, set_path(path, value)))
    assert any(p.startswith(expected) and "gcp" in p for p in found), found


@pytest.mark.parametrize("field", ["scaleUpCooldownSeconds", "scaleDownCooldownSeconds"])
def test_cooldowns_other_than_gkes_are_rejected(field: str) -> None:
    path = ["gcp", "kubernetes", "autoscaling", field]
    found = problems(edited(stack_values("prod", "gcp"), "bettafish:cloudOverrides", set_path(path, 300)))
    assert f"bettafish:kubernetes.autoscaling.{field}: GKE's cluster autoscaler takes no cooldowns" in found[0]


def test_the_stacks_state_gkes_cooldowns_as_overrides() -> None:
    for stack in ("prod", "staging"):
        values = stack_values(stack, "gcp")
        overrides = yaml.safe_load(values["bettafish:cloudOverrides"])["gcp"]["kubernetes"]["autoscaling"]
        assert overrides == {"scaleUpCooldownSeconds": 600, "scaleDownCooldownSeconds": 600}
