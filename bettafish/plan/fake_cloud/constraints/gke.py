"""GKE (GCP Kubernetes): what the real API refuses that the SDK's types allow (see the package
docstring), what a second ``pulumi up`` would replace, and the IAM and Cloud Logging rules the
cluster's own resources meet. The predicates are in ``constraints.gke_rules``."""

from __future__ import annotations

from bettafish.plan.fake_cloud.constraints import Constraint
from bettafish.plan.fake_cloud.constraints.gke_rules import (
    ACCOUNT,
    CLUSTER,
    NODE_POOL,
    auto_upgrade_off_in_channel,
    autoscaled_counts_managed,
    bad_account_id,
    bad_name,
    boot_disk_key_not_granted,
    calico_with_dataplane_v2,
    foreign_workload_pool,
    metadata_server_without_workload_identity,
    missing_secondary_range,
    nodes_outside_region,
    per_zone_and_total_limits,
    removed_default_pool_tracked,
    secrets_key_elsewhere,
    secrets_key_not_granted,
    spot_and_preemptible,
    zonal_cluster_lists_its_zone,
)

_CLUSTER_API = "https://cloud.google.com/kubernetes-engine/docs/reference/rest/v1/projects.locations.clusters"
CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="gke-cluster-name",
        type=CLUSTER,
        refuses=bad_name,
        error="Invalid value for field 'cluster.name': up to 40 lowercase letters, numbers and hyphens,"
        " starting with a letter and ending with a letter or number",
        doc=f"{_CLUSTER_API}#Cluster",
    ),
    Constraint(
        id="gke-node-pool-name",
        type=NODE_POOL,
        refuses=bad_name,
        error="Invalid value for field 'nodePool.name': node pool names follow the cluster-name rules, at most"
        " 40 characters (the provider caps namePrefix at 31 for that reason)",
        doc="https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_node_pool#name_prefix",
    ),
    Constraint(
        id="gke-secrets-key-location",
        type=CLUSTER,
        refuses=secrets_key_elsewhere,
        error="the Cloud KMS key of application-layer secrets encryption must be in the cluster's location",
        doc="https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets",
    ),
    Constraint(
        id="gke-secrets-key-granted-first",
        type=CLUSTER,
        refuses=secrets_key_not_granted,
        error="Cloud KMS key cannot be used: the GKE service agent (service-<number>@container-engine-robot)"
        " needs roles/cloudkms.cryptoKeyEncrypterDecrypter on it before the cluster is created",
        doc="https://cloud.google.com/kubernetes-engine/docs/how-to/encrypting-secrets",
    ),
    Constraint(
        id="gke-boot-disk-key-granted-first",
        type=NODE_POOL,
        refuses=boot_disk_key_not_granted,
        error="the boot disk's Cloud KMS key is not usable: the Compute Engine service agent"
        " (service-<number>@compute-system) needs roles/cloudkms.cryptoKeyEncrypterDecrypter on it first",
        doc="https://cloud.google.com/kubernetes-engine/docs/how-to/using-cmek",
    ),
    Constraint(
        id="gke-default-pool-boot-disk-key-granted-first",
        type=CLUSTER,
        refuses=boot_disk_key_not_granted,
        error="the default node pool's boot disk key is not usable: the Compute Engine service agent needs"
        " roles/cloudkms.cryptoKeyEncrypterDecrypter on it first",
        doc="https://cloud.google.com/kubernetes-engine/docs/how-to/using-cmek",
    ),
    Constraint(
        id="gke-node-locations-in-region",
        type=NODE_POOL,
        refuses=nodes_outside_region,
        error="node locations must be zones of the cluster's region",
        doc="https://cloud.google.com/kubernetes-engine/docs/concepts/regional-clusters",
    ),
    Constraint(
        id="gke-secondary-ranges-exist",
        type=CLUSTER,
        refuses=missing_secondary_range,
        error="Invalid value for field 'cluster.ipAllocationPolicy': the named secondary range does not exist"
        " in the cluster's subnetwork",
        doc="https://cloud.google.com/kubernetes-engine/docs/how-to/alias-ips",
    ),
    Constraint(
        id="gke-dataplane-v2-without-calico",
        type=CLUSTER,
        refuses=calico_with_dataplane_v2,
        error="network policy enforcement with Calico cannot be enabled on a cluster that uses GKE Dataplane V2"
        " (Dataplane V2 enforces network policy itself)",
        doc="https://cloud.google.com/kubernetes-engine/docs/concepts/dataplane-v2",
    ),
    Constraint(
        id="gke-metadata-server-needs-workload-identity",
        type=NODE_POOL,
        refuses=metadata_server_without_workload_identity,
        error="workload metadata mode GKE_METADATA requires Workload Identity on the cluster",
        doc="https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity",
    ),
    Constraint(
        id="gke-workload-pool-of-the-project",
        type=CLUSTER,
        refuses=foreign_workload_pool,
        error="the workload pool must be <project id>.svc.id.goog, the cluster's own project",
        doc="https://cloud.google.com/kubernetes-engine/docs/how-to/workload-identity",
    ),
    Constraint(
        id="gke-release-channel-auto-upgrade",
        type=NODE_POOL,
        refuses=auto_upgrade_off_in_channel,
        error="node auto-upgrade cannot be disabled for node pools of a cluster enrolled in a release channel",
        doc="https://cloud.google.com/kubernetes-engine/docs/concepts/release-channels",
    ),
    Constraint(
        id="gke-autoscaling-total-or-per-zone",
        type=NODE_POOL,
        refuses=per_zone_and_total_limits,
        error="autoscaling takes per-zone limits (min/maxNodeCount) or total limits (total*NodeCount), not both",
        doc="https://cloud.google.com/kubernetes-engine/docs/concepts/cluster-autoscaler#minimum_and_maximum_node_pool_size",
    ),
    Constraint(
        id="gke-spot-not-preemptible",
        type=NODE_POOL,
        refuses=spot_and_preemptible,
        error="a node pool uses Spot VMs or preemptible VMs, not both",
        doc="https://cloud.google.com/kubernetes-engine/docs/concepts/spot-vms",
    ),
    Constraint(
        id="gke-autoscaled-pool-ignores-counts",
        type=NODE_POOL,
        refuses=autoscaled_counts_managed,
        error="the autoscaler owns an autoscaled pool's size: unless initialNodeCount (which forces a new pool)"
        " and nodeCount are ignored, the next `up` after a resize replaces the pool or undoes the autoscaler",
        doc="https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_node_pool#initial_node_count",
    ),
    Constraint(
        id="gke-removed-default-pool-ignored",
        type=CLUSTER,
        refuses=removed_default_pool_tracked,
        error="once the default pool is removed GKE reports the first remaining pool's nodeConfig and no initial"
        " nodes: unless both are ignored, the next `up` replaces the cluster",
        doc="https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#node_config",
    ),
    Constraint(
        id="gke-zonal-node-locations-omit-its-zone",
        type=CLUSTER,
        refuses=zonal_cluster_lists_its_zone,
        error="a zonal cluster's nodeLocations are its additional zones; listing its own zone shows a change"
        " on every `up`",
        doc="https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/container_cluster#node_locations",
    ),
    Constraint(
        id="iam-service-account-id",
        type=ACCOUNT,
        refuses=bad_account_id,
        error="Invalid value for field 'accountId': must be 6-30 characters and match [a-z]([-a-z0-9]*[a-z0-9])",
        doc="https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts/create",
    ),
)
"""GKE registrations the real API refuses (and the IAM and Cloud Logging rules its own resources
meet): one small program per constraint id."""
