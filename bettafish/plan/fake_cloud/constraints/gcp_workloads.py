"""GCP resources of the services and the public zone: what Cloud DNS, Artifact Registry, Compute
Engine SSL policies and IAM refuse that the SDK's types allow, and what a destroy then up of an
unprotected stack hits. The Kubernetes objects GKE's controllers read are in ``gke_workloads``."""

from __future__ import annotations

import re
from collections.abc import Sequence
from ipaddress import AddressValueError, IPv4Address
from typing import TYPE_CHECKING, Any

from bettafish.plan.fake_cloud.constraints import Constraint, registered, upstream, value
from bettafish.plan.fake_cloud.constraints.gcp import api_rows
from bettafish.plan.fake_cloud.constraints.gcp_cmek import Consumer, consumer_rows

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

ZONE = "gcp:dns/managedZone:ManagedZone"
RECORD = "gcp:dns/recordSet:RecordSet"
REPOSITORY = "gcp:artifactregistry/repository:Repository"
SSL_POLICY = "gcp:compute/sSLPolicy:SSLPolicy"
CLUSTER = "gcp:container/cluster:Cluster"
PROJECT_MEMBER = "gcp:projects/iAMMember:IAMMember"
WORKLOAD_MEMBERS = {
    "bucket": "gcp:storage/bucketIAMMember:BucketIAMMember",
    "secret": "gcp:secretmanager/secretIamMember:SecretIamMember",
    "project": PROJECT_MEMBER,
    "service-account": "gcp:serviceaccount/iAMMember:IAMMember",
}
"""IAM member resources that may name a Kubernetes workload (``<project>.svc.id.goog``)."""
_REPOSITORY_ID = r"^[a-z]([a-z0-9-]{0,61}[a-z0-9])?$"
_NOT_ACCOUNTS = ("principal://", "principalSet://", "group:", "domain:")
_DOC_DNS = "https://cloud.google.com/dns/docs/reference/rest/v1/managedZones"
_DOC_CLEANUP = "https://cloud.google.com/artifact-registry/docs/repositories/cleanup-policy-overview"
_DOC_SSL = "https://cloud.google.com/load-balancing/docs/ssl-policies-concepts"


def _repository_key(inputs: dict[str, Any]) -> list[tuple[str, str]]:
    key = inputs.get("kmsKeyName")
    return [(str(key), str(inputs.get("location", "")))] if key else []


def _bad_repository_id(repo: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return not re.match(_REPOSITORY_ID, str(repo.inputs.get("repositoryId", "")))


def _recent_versions_not_kept(repo: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return any(
        p.get("mostRecentVersions") and p.get("action") != "KEEP" for p in repo.inputs.get("cleanupPolicies", [])
    )


def _condition_and_recent(repo: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return any(p.get("mostRecentVersions") and p.get("condition") for p in repo.inputs.get("cleanupPolicies", []))


def _no_trailing_dot(zone: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return not str(zone.inputs.get("dnsName", "")).endswith(".")


def _private_dnssec(zone: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    signed = value(zone.inputs, "dnssecConfig.state", "off") != "off"
    return zone.inputs.get("visibility") == "private" and signed


def _zone_not_emptied(zone: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return not zone.protect and zone.inputs.get("forceDestroy") is not True


def _outside_zone(record: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    name = str(record.inputs.get("name", ""))
    zones = [z for z in registered(before, ZONE) if z.id.rsplit("/", 1)[-1] == record.inputs.get("managedZone")]
    suffix = str(zones[0].inputs.get("dnsName", "")) if zones else ""
    return not name.endswith(".") or (bool(suffix) and not (name == suffix or name.endswith(f".{suffix}")))


def _not_addresses(record: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    if record.inputs.get("type") != "A":
        return False
    try:
        [IPv4Address(str(rrdata)) for rrdata in record.inputs.get("rrdatas", [])]
    except AddressValueError:
        return True
    return False


def _tls13_not_restricted(policy: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return policy.inputs.get("minTlsVersion") == "TLS_1_3" and policy.inputs.get("profile") != "RESTRICTED"


def _custom_features_mismatch(policy: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return (policy.inputs.get("profile") == "CUSTOM") != bool(policy.inputs.get("customFeatures"))


def _pool_missing(member: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    """The member names a workload pool (``<pool>[ns/sa]`` or ``.../workloadIdentityPools/<pool>/...``)
    that no cluster it waits for enables."""
    text = str(member.inputs.get("member", ""))
    if ".svc.id.goog" not in text:
        return False
    pools = {
        value(c.inputs, "workloadIdentityConfig.workloadPool") for c in upstream(member, before) if c.type == CLUSTER
    }
    return not any(pool and str(pool) in text for pool in pools)


def _connection_user_not_account(member: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return member.inputs.get("role") == "roles/redis.dbConnectionUser" and str(
        member.inputs.get("member", "")
    ).startswith(_NOT_ACCOUNTS)


CONSTRAINTS: tuple[Constraint, ...] = (
    *api_rows({ZONE: "dns.googleapis.com", REPOSITORY: "artifactregistry.googleapis.com"}),
    *consumer_rows(
        Consumer(
            "artifact-registry", REPOSITORY, _repository_key, "https://cloud.google.com/artifact-registry/docs/cmek"
        )
    ),
    Constraint(
        id="gcp-artifact-registry-repository-id",
        type=REPOSITORY,
        refuses=_bad_repository_id,
        error="repository_id: lowercase letters, numbers and hyphens, starting with a letter and ending with a"
        " letter or number, at most 63 characters",
        doc="https://cloud.google.com/artifact-registry/docs/repositories/create-repos",
    ),
    Constraint(
        id="gcp-artifact-registry-recent-versions-keep",
        type=REPOSITORY,
        refuses=_recent_versions_not_kept,
        error="mostRecentVersions may only be specified with a Keep action",
        doc=_DOC_CLEANUP,
    ),
    Constraint(
        id="gcp-artifact-registry-keep-kinds",
        type=REPOSITORY,
        refuses=_condition_and_recent,
        error="you can't use Conditional keep and Keep most recent versions criteria in the same cleanup policy",
        doc=_DOC_CLEANUP,
    ),
    Constraint(
        id="gcp-dns-name-trailing-dot",
        type=ZONE,
        refuses=_no_trailing_dot,
        error="Invalid value for 'entity.managedZone.dnsName': a fully qualified name ending with a dot",
        doc=_DOC_DNS,
    ),
    Constraint(
        id="gcp-dns-dnssec-public-only",
        type=ZONE,
        refuses=_private_dnssec,
        error="DNSSEC is supported for public zones only: a private zone takes no dnssecConfig state but off",
        doc="https://cloud.google.com/dns/docs/dnssec-config",
    ),
    Constraint(
        id="gcp-dns-zone-destroyable",
        type=ZONE,
        refuses=_zone_not_emptied,
        error="The resource 'entity.managedZone' cannot be deleted because it is not empty (a zone holding"
        " records made outside the stack: an unprotected zone needs force_destroy for a destroy to go through)",
        doc="https://registry.terraform.io/providers/hashicorp/google/latest/docs/resources/dns_managed_zone#force_destroy",
    ),
    Constraint(
        id="gcp-dns-record-in-zone",
        type=RECORD,
        refuses=_outside_zone,
        error="Invalid value for 'entity.change.additions[0].name': a record's name is fully qualified (a final"
        " dot) and inside its zone's DNS name",
        doc="https://cloud.google.com/dns/docs/reference/rest/v1/resourceRecordSets",
    ),
    Constraint(
        id="gcp-dns-a-record-addresses",
        type=RECORD,
        refuses=_not_addresses,
        error="Invalid value for 'entity.change.additions[0].rrdata[0]': an A record holds IPv4 addresses",
        doc="https://cloud.google.com/dns/docs/records-overview",
    ),
    Constraint(
        id="gcp-ssl-policy-tls13-restricted",
        type=SSL_POLICY,
        refuses=_tls13_not_restricted,
        error="min_tls_version TLS_1_3 requires the RESTRICTED profile",
        doc=_DOC_SSL,
    ),
    Constraint(
        id="gcp-ssl-policy-custom-features",
        type=SSL_POLICY,
        refuses=_custom_features_mismatch,
        error="customFeatures must be given with profile CUSTOM, and only with it",
        doc=_DOC_SSL,
    ),
    *(
        Constraint(
            id=f"gcp-workload-pool-exists-{short}",
            type=type_token,
            refuses=_pool_missing,
            error="Error 400: Identity Pool does not exist (<project>.svc.id.goog): the pool exists once a GKE"
            " cluster with Workload Identity does, so the grant must wait for the cluster",
            doc="https://github.com/terraform-google-modules/terraform-google-kubernetes-engine/issues/916",
        )
        for short, type_token in WORKLOAD_MEMBERS.items()
    ),
    Constraint(
        id="gcp-redis-connection-user-accounts",
        type=PROJECT_MEMBER,
        refuses=_connection_user_not_account,
        error="Memorystore IAM authentication accepts user and service accounts only (not groups, domains or"
        " federated principals): such a member is granted but can never authenticate",
        doc="https://cloud.google.com/memorystore/docs/cluster/about-iam-auth",
    ),
)
