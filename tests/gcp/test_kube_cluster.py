"""GCP KubeCluster as the stacks build it: the regional GKE cluster and security rules 20-24, 30
and 36 on its recorded inputs, the node pools and spot companions, the key grants, the logs and
the Kubernetes objects, as recorded from the real program run offline on GCP."""

from __future__ import annotations

from functools import cache
from ipaddress import IPv4Address, IPv4Network
from typing import Any

import pytest

from bettafish.config.catalog import resolve
from bettafish.config.checks.kubernetes import POD_RANGE_PER_NODE
from bettafish.plan import RecordedResource, Recording
from components.kube_cluster import CAPACITY_LABEL, POOL_LABEL, SPOT_TAINT_KEY
from providers.gcp.kubernetes.node_pools import NODE_ROLES
from tests.mocks import load, run_stack, stack_values

STACKS = ("prod", "staging")
PREFIX = {"prod": "bettafish-prod-k8s", "staging": "bettafish-staging-k8s"}
NET = {"prod": "bettafish-prod-net", "staging": "bettafish-staging-net"}
REGION = "us-east1"
ZONES = ["us-east1-b", "us-east1-c", "us-east1-d"]
NUMBER = "409871234567"
GKE_AGENT = f"serviceAccount:service-{NUMBER}@container-engine-robot.iam.gserviceaccount.com"
COMPUTE_AGENT = f"serviceAccount:service-{NUMBER}@compute-system.iam.gserviceaccount.com"
ENCRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"

CLUSTER = "gcp:container/cluster:Cluster"
NODE_POOL = "gcp:container/nodePool:NodePool"
GRANT = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
PROJECT_MEMBER = "gcp:projects/iAMMember:IAMMember"
ACCOUNT = "gcp:serviceaccount/account:Account"
SUBNETWORK = "gcp:compute/subnetwork:Subnetwork"
CRYPTO_KEY = "gcp:kms/cryptoKey:CryptoKey"
STORAGE_CLASS = "kubernetes:storage.k8s.io/v1:StorageClass"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "gcp")


def cluster(stack: str) -> dict[str, Any]:
    inputs: dict[str, Any] = plan(stack).one(CLUSTER).inputs
    return inputs


def pools(stack: str) -> dict[str, RecordedResource]:
    """Node pools by configured name (``general``, ``generalspot``...)."""
    return {r.name.removeprefix(f"{PREFIX[stack]}-"): r for r in plan(stack).of_type(NODE_POOL)}


def key_id(stack: str, purpose: str) -> str:
    (key,) = [k for k in plan(stack).of_type(CRYPTO_KEY) if k.name == f"bettafish-{stack}-keys-{purpose}"]
    return key.id


def grant_urn(stack: str, key: str, member: str) -> str:
    (grant,) = [
        g
        for g in plan(stack).of_type(GRANT)
        if g.inputs["cryptoKeyId"] == key and g.inputs["member"] == member and g.inputs["role"] == ENCRYPTER
    ]
    return grant.urn


def node_account(stack: str) -> RecordedResource:
    return plan(stack).named(f"{PREFIX[stack]}-nodes")


@pytest.mark.parametrize("stack", STACKS)
def test_the_control_plane_is_regional_on_the_configured_version_and_release_channel(stack: str) -> None:
    """Zone-redundant control plane (the spec's three masters); rule 24: release channel."""
    gke = cluster(stack)
    assert gke["location"] == REGION
    assert gke["nodeLocations"] == ZONES
    assert gke["minMasterVersion"] == load(stack_values(stack, "gcp"), stack).kubernetes.version
    assert gke["releaseChannel"] == {"channel": "REGULAR"}


@pytest.mark.parametrize("stack", STACKS)
def test_the_default_pool_is_removed_and_what_gke_reports_after_is_ignored(stack: str) -> None:
    resource = plan(stack).one(CLUSTER)
    assert resource.inputs["removeDefaultNodePool"] is True
    assert resource.inputs["initialNodeCount"] == 1
    assert set(resource.options["ignoreChanges"]) == {"nodeConfig", "initialNodeCount"}


@pytest.mark.parametrize("stack", STACKS)
def test_rule_20_private_nodes_and_a_private_endpoint_with_no_public_access(stack: str) -> None:
    gke = cluster(stack)
    assert gke["privateClusterConfig"] == {"enablePrivateNodes": True, "enablePrivateEndpoint": True}
    assert gke["masterAuthorizedNetworksConfig"] == {"cidrBlocks": [], "gcpPublicCidrsAccessEnabled": False}
    assert gke["controlPlaneEndpointsConfig"] == {"dnsEndpointConfig": {"allowExternalTraffic": False}}
    assert "masterIpv4CidrBlock" not in gke["privateClusterConfig"], "PSC clusters take no peering range"


@pytest.mark.parametrize("stack", STACKS)
def test_the_endpoint_is_the_private_one_inside_the_node_subnetwork(stack: str) -> None:
    endpoint = plan(stack).outputs["clusterEndpoint"]
    (subnet,) = [s for s in plan(stack).of_type(SUBNETWORK) if s.name == f"{NET[stack]}-private"]
    assert endpoint.startswith("https://")
    assert IPv4Address(endpoint.removeprefix("https://")) in IPv4Network(subnet.inputs["ipCidrRange"])


@pytest.mark.parametrize("stack", STACKS)
def test_rule_21_secrets_are_encrypted_with_the_kubernetes_key_granted_to_the_gke_agent_first(stack: str) -> None:
    resource = plan(stack).one(CLUSTER)
    key = key_id(stack, "kubernetes")
    assert resource.inputs["databaseEncryption"] == {"state": "ENCRYPTED", "keyName": key}
    assert grant_urn(stack, key, GKE_AGENT) in resource.options["dependsOn"]


@pytest.mark.parametrize("stack", STACKS)
def test_rule_22_control_plane_logs_and_metrics(stack: str) -> None:
    gke = cluster(stack)
    assert gke["loggingConfig"]["enableComponents"] == [
        "SYSTEM_COMPONENTS",
        "WORKLOADS",
        "APISERVER",
        "SCHEDULER",
        "CONTROLLER_MANAGER",
    ]
    assert gke["monitoringConfig"]["enableComponents"] == [
        "SYSTEM_COMPONENTS",
        "APISERVER",
        "SCHEDULER",
        "CONTROLLER_MANAGER",
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_rule_23_no_legacy_abac_no_client_certificate_network_policy_on(stack: str) -> None:
    gke = cluster(stack)
    assert gke["enableLegacyAbac"] is False
    assert gke["masterAuth"] == {"clientCertificateConfig": {"issueClientCertificate": False}}
    assert gke["datapathProvider"] == "ADVANCED_DATAPATH"
    assert "networkPolicy" not in gke, "Dataplane V2 enforces network policy; GKE refuses Calico beside it"
    assert gke["anonymousAuthenticationConfig"] == {"mode": "LIMITED"}
    assert gke["enableShieldedNodes"] is True


@pytest.mark.parametrize("stack", STACKS)
def test_rule_24_every_pool_is_auto_repaired_and_auto_upgraded(stack: str) -> None:
    for name, pool in pools(stack).items():
        assert pool.inputs["management"] == {"autoRepair": True, "autoUpgrade": True}, name
        assert pool.inputs["upgradeSettings"] == {"strategy": "SURGE", "maxSurge": 1, "maxUnavailable": 0}, name


@pytest.mark.parametrize("stack", STACKS)
def test_rule_30_nodes_run_as_their_own_account_with_only_the_node_roles(stack: str) -> None:
    account = node_account(stack)
    email = f"{PREFIX[stack]}-nodes@bettafish-{stack}.iam.gserviceaccount.com"
    assert account.inputs["accountId"] == f"{PREFIX[stack]}-nodes"
    configs = [cluster(stack)["nodeConfig"], *(p.inputs["nodeConfig"] for p in pools(stack).values())]
    assert {c["serviceAccount"] for c in configs} == {email}
    roles = sorted(
        m.inputs["role"] for m in plan(stack).of_type(PROJECT_MEMBER) if m.inputs["member"] == f"serviceAccount:{email}"
    )
    assert roles == sorted(NODE_ROLES)
    granted = {m.inputs["role"] for m in plan(stack).of_type(PROJECT_MEMBER)}
    assert not granted & {"roles/owner", "roles/editor", "roles/container.admin"}
    assert not any(c["serviceAccount"].endswith("-compute@developer.gserviceaccount.com") for c in configs)


@pytest.mark.parametrize("stack", STACKS)
def test_the_cluster_waits_for_the_node_roles_its_default_pool_uses(stack: str) -> None:
    depends = plan(stack).one(CLUSTER).options["dependsOn"]
    members = [m.urn for m in plan(stack).of_type(PROJECT_MEMBER) if m.name.startswith(f"{PREFIX[stack]}-nodes-")]
    assert set(members) <= set(depends)


@pytest.mark.parametrize("stack", STACKS)
def test_rule_36_workload_identity_and_the_gke_metadata_server_on_every_node(stack: str) -> None:
    gke = cluster(stack)
    assert gke["workloadIdentityConfig"] == {"workloadPool": f"bettafish-{stack}.svc.id.goog"}
    configs = [gke["nodeConfig"], *(p.inputs["nodeConfig"] for p in pools(stack).values())]
    for config in configs:
        assert config["workloadMetadataConfig"] == {"mode": "GKE_METADATA"}
        assert config["metadata"] == {"disable-legacy-endpoints": "true"}


@pytest.mark.parametrize("stack", STACKS)
def test_nodes_are_shielded_and_their_boot_disks_encrypted_after_the_compute_agent_grant(stack: str) -> None:
    key = key_id(stack, "kubernetes")
    grant = grant_urn(stack, key, COMPUTE_AGENT)
    configs = [(plan(stack).one(CLUSTER), cluster(stack)["nodeConfig"])]
    configs += [(pool, pool.inputs["nodeConfig"]) for pool in pools(stack).values()]
    for resource, config in configs:
        assert config["shieldedInstanceConfig"] == {"enableSecureBoot": True, "enableIntegrityMonitoring": True}
        assert config["bootDiskKmsKey"] == key
        assert grant in resource.options["dependsOn"], resource.name


@pytest.mark.parametrize("stack", STACKS)
def test_vpc_native_on_the_private_subnetworks_secondary_ranges(stack: str) -> None:
    k8s = load(stack_values(stack, "gcp"), stack).kubernetes
    (subnet,) = [s for s in plan(stack).of_type(SUBNETWORK) if s.name == f"{NET[stack]}-private"]
    assert subnet.inputs["secondaryIpRanges"] == [
        {"rangeName": "pods", "ipCidrRange": str(k8s.pod_cidr)},
        {"rangeName": "services", "ipCidrRange": str(k8s.service_cidr)},
    ]
    gke = cluster(stack)
    assert gke["subnetwork"] == subnet.id
    assert gke["networkingMode"] == "VPC_NATIVE"
    assert gke["ipAllocationPolicy"] == {
        "clusterSecondaryRangeName": "pods",
        "servicesSecondaryRangeName": "services",
        "stackType": "IPV4",
    }


@pytest.mark.parametrize("stack", STACKS)
def test_pods_per_node_match_the_pod_range_the_config_checks_budget(stack: str) -> None:
    """GKE gives a node a range of twice its max pods, rounded up to a power of two."""
    per_node = cluster(stack)["defaultMaxPodsPerNode"]
    assert all(p.inputs["maxPodsPerNode"] == per_node for p in pools(stack).values())
    assert 32 - (2 * per_node - 1).bit_length() == POD_RANGE_PER_NODE["gcp"]


@pytest.mark.parametrize("stack", STACKS)
def test_node_pools_have_the_configured_sizes_zones_counts_and_labels(stack: str) -> None:
    k8s = load(stack_values(stack, "gcp"), stack).kubernetes
    found = pools(stack)
    for name, pool in k8s.node_pools.items():
        inputs = found[name].inputs
        zones = [ZONES[i - 1] for i in pool.zones]
        assert inputs["nodeLocations"] == zones
        assert inputs["initialNodeCount"] * len(zones) == pool.count, "GKE counts are per zone"
        assert inputs["autoscaling"] == {
            "totalMinNodeCount": pool.min_count,
            "totalMaxNodeCount": pool.max_count,
            "locationPolicy": "BALANCED",
        }
        config = inputs["nodeConfig"]
        assert config["machineType"] == resolve("compute", "gcp", pool.size).type
        assert config["labels"] == {POOL_LABEL: name, CAPACITY_LABEL: "on-demand"}
        assert config["spot"] is False
        assert "taints" not in config
        assert config["tags"] == [f"{NET[stack]}-app"], "the firewall's application flows key on this tag"
        assert inputs["namePrefix"] == f"{name}-"
        assert inputs["cluster"] == plan(stack).one(CLUSTER).id.rsplit("/", 1)[-1]


@pytest.mark.parametrize("stack", STACKS)
def test_spot_companions_start_empty_grow_to_their_share_and_are_tainted(stack: str) -> None:
    k8s = load(stack_values(stack, "gcp"), stack).kubernetes
    found = pools(stack)
    companions = {f"{n}spot": (n, k8s.spot_max(p)) for n, p in k8s.node_pools.items() if k8s.spot_max(p)}
    assert companions, "the stacks have spot capacity"
    assert set(found) == set(k8s.node_pools) | set(companions)
    for name, (base, most) in companions.items():
        inputs = found[name].inputs
        assert inputs["initialNodeCount"] == 0
        assert inputs["autoscaling"] == {"totalMinNodeCount": 0, "totalMaxNodeCount": most, "locationPolicy": "ANY"}
        config = inputs["nodeConfig"]
        assert config["spot"] is True
        assert config["taints"] == [{"key": SPOT_TAINT_KEY, "value": "true", "effect": "NO_SCHEDULE"}]
        assert config["labels"] == {POOL_LABEL: base, CAPACITY_LABEL: "spot"}
        assert inputs["nodeLocations"] == found[base].inputs["nodeLocations"]


@pytest.mark.parametrize("stack", STACKS)
def test_the_autoscaler_owns_the_node_counts(stack: str) -> None:
    for name, pool in pools(stack).items():
        assert set(pool.options["ignoreChanges"]) == {"initialNodeCount", "nodeCount"}, name
    assert cluster(stack)["clusterAutoscaling"] == {"enabled": False, "autoscalingProfile": "BALANCED"}


@pytest.mark.parametrize("stack", STACKS)
def test_the_configured_add_ons_are_on(stack: str) -> None:
    assert cluster(stack)["addonsConfig"] == {
        "httpLoadBalancing": {"disabled": False},
        "horizontalPodAutoscaling": {"disabled": False},
        "gcePersistentDiskCsiDriverConfig": {"enabled": True},
    }


@pytest.mark.parametrize(("stack", "protected"), [("prod", True), ("staging", False)])
def test_deletion_protection_in_protected_stacks_only(stack: str, protected: bool) -> None:
    assert cluster(stack)["deletionProtection"] is protected


@pytest.mark.parametrize("stack", STACKS)
def test_the_default_storage_class_makes_pd_balanced_disks_under_the_kubernetes_key(stack: str) -> None:
    storage_class = plan(stack).one(STORAGE_CLASS).inputs
    assert storage_class["provisioner"] == "pd.csi.storage.gke.io"
    assert storage_class["parameters"] == {
        "type": "pd-balanced",
        "disk-encryption-kms-key": key_id(stack, "kubernetes"),
    }
