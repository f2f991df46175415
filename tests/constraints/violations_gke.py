"""One small program per GKE constraint, each breaking exactly that constraint."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
import pulumi_gcp as gcp

PROJECT = "p1"
REGION = "us-east1"
KEY = f"projects/{PROJECT}/locations/{REGION}/keyRings/ring/cryptoKeys/k8s"
ELSEWHERE_KEY = f"projects/{PROJECT}/locations/us-west1/keyRings/ring/cryptoKeys/k8s"
GKE_AGENT = "serviceAccount:service-1@container-engine-robot.iam.gserviceaccount.com"


def grant(key: str, member: str) -> pulumi.ResourceOptions:
    """Options that wait for ``member``'s encrypter/decrypter grant on ``key``."""
    granted = gcp.kms.CryptoKeyIAMMember(
        f"grant-{member.split('@')[1].split('.')[0]}-{key.split('/')[3]}",
        crypto_key_id=key,
        role="roles/cloudkms.cryptoKeyEncrypterDecrypter",
        member=member,
    )
    return pulumi.ResourceOptions(depends_on=[granted])


def cluster(opts: pulumi.ResourceOptions | None = None, **args: Any) -> gcp.container.Cluster:
    """A cluster that breaks nothing by itself, plus ``args``."""
    return gcp.container.Cluster("gke", **{"name": "c1", "project": PROJECT, "location": REGION, **args}, opts=opts)


def pool(opts: pulumi.ResourceOptions | None = None, **args: Any) -> gcp.container.NodePool:
    return gcp.container.NodePool(
        "pool", **{"name": "general", "cluster": "c1", "project": PROJECT, "location": REGION, **args}, opts=opts
    )


def secrets_key_elsewhere() -> None:
    cluster(grant(ELSEWHERE_KEY, GKE_AGENT), database_encryption={"state": "ENCRYPTED", "key_name": ELSEWHERE_KEY})


def secrets_key_not_granted() -> None:
    cluster(database_encryption={"state": "ENCRYPTED", "key_name": KEY})


def secondary_range_missing() -> None:
    subnet = gcp.compute.Subnetwork("nodes", region=REGION, network="n", ip_cidr_range="10.0.8.0/21")
    cluster(
        subnetwork=subnet.id,
        ip_allocation_policy={"cluster_secondary_range_name": "pods", "services_secondary_range_name": "services"},
    )


def metadata_server_without_workload_identity() -> None:
    gke = cluster()
    pool(
        node_config={"workload_metadata_config": {"mode": "GKE_METADATA"}},
        opts=pulumi.ResourceOptions(depends_on=[gke]),
    )


def auto_upgrade_off_in_release_channel() -> None:
    gke = cluster(release_channel={"channel": "REGULAR"})
    pool(management={"auto_upgrade": False, "auto_repair": True}, opts=pulumi.ResourceOptions(depends_on=[gke]))


VIOLATIONS: dict[str, Callable[[], None]] = {
    "gke-cluster-name": lambda: cluster(name="Cluster_1"),
    "gke-node-pool-name": lambda: pool(name=f"general-{'x' * 40}"),
    "gke-secrets-key-location": secrets_key_elsewhere,
    "gke-secrets-key-granted-first": secrets_key_not_granted,
    "gke-boot-disk-key-granted-first": lambda: pool(node_config={"boot_disk_kms_key": KEY}),
    "gke-default-pool-boot-disk-key-granted-first": lambda: cluster(node_config={"boot_disk_kms_key": KEY}),
    "gke-node-locations-in-region": lambda: pool(node_locations=["us-west1-a"]),
    "gke-secondary-ranges-exist": secondary_range_missing,
    "gke-dataplane-v2-without-calico": lambda: cluster(
        datapath_provider="ADVANCED_DATAPATH", network_policy={"enabled": True, "provider": "CALICO"}
    ),
    "gke-metadata-server-needs-workload-identity": metadata_server_without_workload_identity,
    "gke-workload-pool-of-the-project": lambda: cluster(
        workload_identity_config={"workload_pool": "other.svc.id.goog"}
    ),
    "gke-release-channel-auto-upgrade": auto_upgrade_off_in_release_channel,
    "gke-autoscaling-total-or-per-zone": lambda: pool(autoscaling={"min_node_count": 1, "total_max_node_count": 6}),
    "gke-spot-not-preemptible": lambda: pool(node_config={"spot": True, "preemptible": True}),
    "gke-autoscaled-pool-ignores-counts": lambda: pool(
        initial_node_count=2, autoscaling={"total_min_node_count": 2, "total_max_node_count": 4}
    ),
    "gke-removed-default-pool-ignored": lambda: cluster(remove_default_node_pool=True, initial_node_count=1),
    "gke-zonal-node-locations-omit-its-zone": lambda: cluster(
        location="us-east1-b", node_locations=["us-east1-b", "us-east1-c"]
    ),
    "iam-service-account-id": lambda: gcp.serviceaccount.Account("nodes", project=PROJECT, account_id="gke"),
}
