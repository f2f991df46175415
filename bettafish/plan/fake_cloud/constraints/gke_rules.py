"""The predicates of the GKE constraint table (``constraints.gke``): each is true when the real
API would refuse the registration, or a second ``pulumi up`` would replace or undo it."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from bettafish.plan.fake_cloud.constraints import ignores, registered, value

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

CLUSTER = "gcp:container/cluster:Cluster"
NODE_POOL = "gcp:container/nodePool:NodePool"
KEY_MEMBER = "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember"
SUBNETWORK = "gcp:compute/subnetwork:Subnetwork"
ACCOUNT = "gcp:serviceaccount/account:Account"
ENCRYPTER = "roles/cloudkms.cryptoKeyEncrypterDecrypter"
ACCOUNT_ID = re.compile(r"^[a-z]([-a-z0-9]{4,28}[a-z0-9])$")
"""Service account ids: 6-30 characters, lowercase letters, digits and hyphens, a letter first."""
GKE_NAME = re.compile(r"^[a-z]([-a-z0-9]{0,38}[a-z0-9])?$")
"""Cluster and node pool names: lowercase letters, digits and hyphens, a letter first, a letter or
digit last, at most 40 characters."""
_AUTONAME = "-abcdefg"
"""What Pulumi's autonaming appends to a logical name (a hyphen and seven characters)."""


def _name(resource: RecordedResource) -> str:
    """The name the cloud will see: given, made from ``namePrefix`` as the provider does
    (``YYYYmmddHHSSssss`` and an 8-digit counter after a prefix of at most 14 characters, else
    9 random characters), or autonamed."""
    if given := resource.inputs.get("name"):
        return str(given)
    if prefix := resource.inputs.get("namePrefix"):
        return f"{prefix}{'0' * (24 if len(prefix) <= 14 else 9)}"
    return resource.name + _AUTONAME


def _region(location: str) -> str:
    """``us-east1`` for ``us-east1`` and ``us-east1-b``."""
    return location if location.count("-") < 2 else location.rsplit("-", 1)[0]


def _cluster_of(pool: RecordedResource, before: Sequence[RecordedResource]) -> RecordedResource | None:
    return next((c for c in registered(before, CLUSTER) if c.id.rsplit("/", 1)[-1] == pool.inputs.get("cluster")), None)


def _granted_first(resource: RecordedResource, before: Sequence[RecordedResource], key: object, agent: str) -> bool:
    """Whether ``resource`` waits for a grant of ``ENCRYPTER`` on ``key`` to ``agent``'s service agent."""
    grants = {
        g.urn
        for g in registered(before, KEY_MEMBER)
        if g.inputs.get("cryptoKeyId") == key
        and g.inputs.get("role") == ENCRYPTER
        and agent in str(g.inputs.get("member"))
    }
    return bool(grants & set(resource.dependencies))


def bad_name(resource: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return not GKE_NAME.match(_name(resource))


def secrets_key_elsewhere(cluster: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    key = str(value(cluster.inputs, "databaseEncryption.keyName", ""))
    parts = key.split("/")
    return len(parts) > 3 and parts[3] != _region(str(cluster.inputs.get("location", "")))


def secrets_key_not_granted(cluster: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    if value(cluster.inputs, "databaseEncryption.state") != "ENCRYPTED":
        return False
    key = value(cluster.inputs, "databaseEncryption.keyName")
    return not _granted_first(cluster, before, key, "@container-engine-robot.iam.gserviceaccount.com")


def boot_disk_key_not_granted(resource: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    key = value(resource.inputs, "nodeConfig.bootDiskKmsKey")
    return bool(key) and not _granted_first(resource, before, key, "@compute-system.iam.gserviceaccount.com")


def nodes_outside_region(resource: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    region = _region(str(resource.inputs.get("location", "")))
    return any(_region(zone) != region for zone in resource.inputs.get("nodeLocations") or [])


def missing_secondary_range(cluster: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    subnets = [s for s in registered(before, SUBNETWORK) if s.id == cluster.inputs.get("subnetwork")]
    if not subnets:
        return False
    present = {r.get("rangeName") for r in subnets[0].inputs.get("secondaryIpRanges") or []}
    wanted = {
        value(cluster.inputs, f"ipAllocationPolicy.{field}")
        for field in ("clusterSecondaryRangeName", "servicesSecondaryRangeName")
    } - {None}
    return bool(wanted - present)


def calico_with_dataplane_v2(cluster: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    calico = value(cluster.inputs, "networkPolicy.enabled") is True or (
        value(cluster.inputs, "addonsConfig.networkPolicyConfig.disabled") is False
    )
    return cluster.inputs.get("datapathProvider") == "ADVANCED_DATAPATH" and calico


def metadata_server_without_workload_identity(resource: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    if value(resource.inputs, "nodeConfig.workloadMetadataConfig.mode") != "GKE_METADATA":
        return False
    cluster = resource if resource.type == CLUSTER else _cluster_of(resource, before)
    return cluster is not None and not value(cluster.inputs, "workloadIdentityConfig.workloadPool")


def foreign_workload_pool(cluster: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    pool = value(cluster.inputs, "workloadIdentityConfig.workloadPool")
    return bool(pool) and pool != f"{cluster.inputs.get('project')}.svc.id.goog"


def auto_upgrade_off_in_channel(pool: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    cluster = _cluster_of(pool, before)
    channel = value(cluster.inputs, "releaseChannel.channel") if cluster else None
    return channel not in (None, "UNSPECIFIED") and value(pool.inputs, "management.autoUpgrade") is False


def per_zone_and_total_limits(pool: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    limits = pool.inputs.get("autoscaling") or {}
    per_zone = {"minNodeCount", "maxNodeCount"} & set(limits)
    total = {"totalMinNodeCount", "totalMaxNodeCount"} & set(limits)
    return bool(per_zone and total)


def spot_and_preemptible(resource: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return (
        value(resource.inputs, "nodeConfig.spot") is True and value(resource.inputs, "nodeConfig.preemptible") is True
    )


def autoscaled_counts_managed(pool: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    counts = [field for field in ("initialNodeCount", "nodeCount") if field in pool.inputs]
    return "autoscaling" in pool.inputs and any(not ignores(pool, field) for field in counts)


def removed_default_pool_tracked(cluster: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    fields = [field for field in ("nodeConfig", "initialNodeCount") if field in cluster.inputs]
    return cluster.inputs.get("removeDefaultNodePool") is True and any(not ignores(cluster, f) for f in fields)


def zonal_cluster_lists_its_zone(cluster: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    location = str(cluster.inputs.get("location", ""))
    return location.count("-") >= 2 and location in (cluster.inputs.get("nodeLocations") or [])


def bad_account_id(account: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return not ACCOUNT_ID.match(str(account.inputs.get("accountId", "")))
