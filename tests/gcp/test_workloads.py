"""GCP Workloads: each service's own identity with exactly its access list's grants (security rule
36), and the Artifact Registry repository, as recorded from the real program run offline on GCP."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from bettafish.plan import RecordedResource, Recording
from tests.mocks import edited, physical_name, run_program, run_stack, stack_values

STACKS = ("prod", "staging")
NUMBER = "409871234567"
VIEWER, USER = "roles/storage.objectViewer", "roles/storage.objectUser"
ACCESSOR, CACHE = "roles/secretmanager.secretAccessor", "roles/redis.dbConnectionUser"
SECRET, CONNECT = ("secret", "credentials", ACCESSOR), ("project", "project", CACHE)
METRICS = ("project", "project", "roles/monitoring.metricWriter")
"""Every service also writes the custom metrics to the project (Operations grants it)."""
ACCOUNT = "gcp:serviceaccount/account:Account"
SA_MEMBER = "gcp:serviceaccount/iAMMember:IAMMember"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
KSA = "kubernetes:core/v1:ServiceAccount"
MEMBER_TYPES = {
    "gcp:storage/bucketIAMMember:BucketIAMMember": ("bucket", "bucket"),
    "gcp:secretmanager/secretIamMember:SecretIamMember": ("secret", "secretId"),
    "gcp:projects/iAMMember:IAMMember": ("project", "project"),
    "gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember": ("key", "cryptoKeyId"),
    SA_MEMBER: ("service-account", "serviceAccountId"),
}
"""Every kind of IAM grant in the plan: (kind, the input naming what is granted)."""

PROD_GRANTS: dict[str, set[tuple[str, str, str]]] = {
    "api-gateway": {("bucket", "media-content", VIEWER), ("bucket", "reports", VIEWER), SECRET, CONNECT, METRICS},
    "insight-engine": {("bucket", "media-content", VIEWER), SECRET, CONNECT, METRICS},
    "media-engine": {("bucket", "media-content", USER), SECRET, CONNECT, METRICS},
    "query-engine": {SECRET, CONNECT, METRICS},
    "report-engine": {("bucket", "media-content", VIEWER), ("bucket", "reports", USER), SECRET, METRICS},
}
"""The stack file's access lists as grants, with buckets and the secret by their short names, and
the custom metrics' writer role."""


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "gcp")


def principal(stack: str, ksa: str) -> str:
    return (
        f"principal://iam.googleapis.com/projects/{NUMBER}/locations/global/workloadIdentityPools/"
        f"bettafish-{stack}.svc.id.goog/subject/ns/bettafish/sa/{ksa}"
    )


def google_account(recording: Recording, stack: str, ksa: str) -> RecordedResource | None:
    found = [a for a in recording.of_type(ACCOUNT) if a.name == f"bettafish-{stack}-apps-{ksa}"]
    return found[0] if found else None


def identity_member(recording: Recording, stack: str, ksa: str) -> str:
    account = google_account(recording, stack, ksa)
    if account is None:
        return principal(stack, ksa)
    return f"serviceAccount:{account.inputs['accountId']}@bettafish-{stack}.iam.gserviceaccount.com"


def short_names(recording: Recording, stack: str) -> dict[str, str]:
    """Physical bucket names, the credentials secret and the project -> the names of ``PROD_GRANTS``."""
    names = {
        f"bettafish-{stack}": "project",
        f"projects/bettafish-{stack}/secrets/bettafish-{stack}-db-credentials": "credentials",
    }
    for bucket in recording.of_type("gcp:storage/bucket:Bucket"):
        names[physical_name(bucket)] = bucket.name.removeprefix(f"bettafish-{stack}-store-")
    return names


def grants_of(recording: Recording, stack: str, member: str) -> set[tuple[str, str, str]]:
    """Every grant in the plan to ``member``, whatever it is on."""
    names = short_names(recording, stack)
    found = set()
    for resource in recording.resources:
        if resource.type in MEMBER_TYPES and resource.inputs.get("member") == member:
            kind, target = MEMBER_TYPES[resource.type]
            value = str(resource.inputs[target])
            found.add((kind, names.get(value, value), resource.inputs["role"]))
    return found


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("ksa", sorted(PROD_GRANTS))
def test_each_identity_holds_exactly_its_access_list(stack: str, ksa: str) -> None:
    """No bucket, secret, key or project role the access list does not name is reachable."""
    recording = plan(stack)
    assert grants_of(recording, stack, identity_member(recording, stack, ksa)) == PROD_GRANTS[ksa]


def test_an_access_entry_becomes_a_grant_and_its_removal_takes_it_away() -> None:
    def change(services: dict[str, Any]) -> dict[str, Any]:
        services["queryEngine"]["access"]["buckets"] = {"logs": "read"}
        services["reportEngine"]["access"]["buckets"] = {"reports": "read"}
        return services

    recording = run_program(edited(stack_values("prod", "gcp"), "bettafish:services", change))
    assert grants_of(recording, "prod", identity_member(recording, "prod", "query-engine")) == {
        ("bucket", "logs", VIEWER),
        SECRET,
        CONNECT,
        METRICS,
    }
    assert grants_of(recording, "prod", principal("prod", "report-engine")) == {
        ("bucket", "reports", VIEWER),
        SECRET,
        METRICS,
    }


@pytest.mark.parametrize("stack", STACKS)
def test_only_services_with_cache_access_get_a_google_service_account(stack: str) -> None:
    """Memorystore's IAM authentication takes service accounts, not federated principals."""
    recording = plan(stack)
    accounts = {a.name.removeprefix(f"bettafish-{stack}-apps-") for a in recording.of_type(ACCOUNT)}
    accounts.remove(f"bettafish-{stack}-k8s-nodes")
    assert accounts == {"api-gateway", "insight-engine", "media-engine", "query-engine"}
    ksas = {k.inputs["metadata"]["name"]: k.inputs["metadata"].get("annotations") or {} for k in recording.of_type(KSA)}
    for ksa, notes in ksas.items():
        account = google_account(recording, stack, ksa)
        if account is None:
            assert "iam.gke.io/gcp-service-account" not in notes
        else:
            email = f"{account.inputs['accountId']}@bettafish-{stack}.iam.gserviceaccount.com"
            assert notes["iam.gke.io/gcp-service-account"] == email


def test_dropping_cache_access_drops_the_google_service_account() -> None:
    def change(services: dict[str, Any]) -> dict[str, Any]:
        services["mediaEngine"]["access"]["cache"] = False
        return services

    recording = run_program(edited(stack_values("prod", "gcp"), "bettafish:services", change))
    assert google_account(recording, "prod", "media-engine") is None
    assert grants_of(recording, "prod", principal("prod", "media-engine")) == {
        ("bucket", "media-content", USER),
        SECRET,
        METRICS,
    }


@pytest.mark.parametrize("stack", STACKS)
def test_a_google_service_account_is_impersonated_by_its_own_kubernetes_account_only(stack: str) -> None:
    recording = plan(stack)
    bindings = recording.of_type(SA_MEMBER)
    for account in recording.of_type(ACCOUNT):
        ksa = account.name.removeprefix(f"bettafish-{stack}-apps-")
        if ksa == account.name or ksa not in PROD_GRANTS:
            continue
        name = f"projects/bettafish-{stack}/serviceAccounts/{account.inputs['accountId']}@bettafish-{stack}.iam.gserviceaccount.com"
        mine = [b.inputs for b in bindings if b.inputs["serviceAccountId"] == name]
        assert mine == [
            {
                "serviceAccountId": name,
                "role": "roles/iam.workloadIdentityUser",
                "member": f"serviceAccount:bettafish-{stack}.svc.id.goog[bettafish/{ksa}]",
            }
        ]


def test_no_static_keys_exist() -> None:
    assert not [r for r in plan("prod").resources if r.type.startswith("gcp:serviceaccount/key")]


@pytest.mark.parametrize("stack", STACKS)
def test_grants_to_the_workload_pool_wait_for_the_cluster_and_pods_for_their_grants(stack: str) -> None:
    """IAM refuses members of a pool that does not exist yet; a pod started before its grants fails."""
    recording = plan(stack)
    cluster = recording.one("gcp:container/cluster:Cluster").urn
    pooled = [
        r for r in recording.resources if r.type in MEMBER_TYPES and ".svc.id.goog" in str(r.inputs.get("member"))
    ]
    assert len(pooled) == 4 + len(PROD_GRANTS["report-engine"])
    assert all(cluster in r.dependencies for r in pooled)
    for deployment in recording.of_type(DEPLOYMENT):
        ksa = deployment.inputs["metadata"]["name"]
        member = identity_member(recording, stack, ksa)
        # Operations' metric-writing grant comes after the pods: the app's writes are refused until it exists.
        grants = {
            r.urn
            for r in recording.resources
            if r.type in MEMBER_TYPES and r.inputs.get("member") == member and r.inputs["role"] != METRICS[2]
        }
        binding = {b.urn for b in recording.of_type(SA_MEMBER) if b.inputs["member"].endswith(f"[bettafish/{ksa}]")}
        assert grants | binding <= set(deployment.dependencies), ksa


REPOSITORY = "gcp:artifactregistry/repository:Repository"


@pytest.mark.parametrize("stack", STACKS)
def test_the_registry_is_a_docker_repository_with_immutable_tags_under_the_kubernetes_key(stack: str) -> None:
    recording = plan(stack)
    repo = recording.one(REPOSITORY)
    key = recording.named(f"bettafish-{stack}-keys-kubernetes")
    assert repo.inputs["format"] == "DOCKER"
    assert repo.inputs["location"] == "us-east1"
    assert repo.inputs["dockerConfig"] == {"immutableTags": True}
    assert repo.inputs["kmsKeyName"] == key.id
    assert repo.inputs["vulnerabilityScanningConfig"] == {"enablementConfig": "INHERITED"}
    assert repo.protect is (stack == "prod")
    agent = f"serviceAccount:service-{NUMBER}@gcp-sa-artifactregistry.iam.gserviceaccount.com"
    (grant,) = [
        g for g in recording.of_type("gcp:kms/cryptoKeyIAMMember:CryptoKeyIAMMember") if g.inputs["member"] == agent
    ]
    assert grant.inputs["cryptoKeyId"] == key.id
    assert grant.urn in repo.dependencies


UNTAGGED_EXPIRY_DAYS = {"prod": 14, "staging": 7}
"""``bettafish:registry.untaggedExpiryDays`` of the stack files, the one setting of every cloud's registry."""


@pytest.mark.parametrize("stack", STACKS)
def test_cleanup_deletes_only_untagged_versions_and_keeps_every_release(stack: str) -> None:
    policies = {p["id"]: p for p in plan(stack).one(REPOSITORY).inputs["cleanupPolicies"]}
    assert policies == {
        "delete-untagged": {
            "id": "delete-untagged",
            "action": "DELETE",
            "condition": {"tagState": "UNTAGGED", "olderThan": f"{UNTAGGED_EXPIRY_DAYS[stack] * 86400}s"},
        },
        "keep-tagged": {"id": "keep-tagged", "action": "KEEP", "condition": {"tagState": "TAGGED"}},
    }
    assert plan(stack).one(REPOSITORY).inputs["cleanupPolicyDryRun"] is False


def test_untagged_versions_expire_after_the_registry_setting() -> None:
    recording = run_program({**stack_values("prod", "gcp"), "bettafish:registry": '{"untaggedExpiryDays": 3}'})
    (delete,) = [p for p in recording.one(REPOSITORY).inputs["cleanupPolicies"] if p["action"] == "DELETE"]
    assert delete["condition"]["olderThan"] == f"{3 * 86400}s"


def test_a_service_pinned_by_digest_keeps_its_image() -> None:
    digest = "sha256:" + "ab" * 32

    def change(services: dict[str, Any]) -> dict[str, Any]:
        services["queryEngine"]["image"] = {"repository": "bettafish/query-engine", "digest": digest}
        return services

    recording = run_program(edited(stack_values("prod", "gcp"), "bettafish:services", change))
    policies = {p["id"]: p for p in recording.one(REPOSITORY).inputs["cleanupPolicies"]}
    assert policies["keep-deployed"] == {
        "id": "keep-deployed",
        "action": "KEEP",
        "condition": {"versionNamePrefixes": [digest]},
    }


@pytest.mark.parametrize("stack", STACKS)
def test_images_come_from_the_repository_as_artifact_registry_names_it(stack: str) -> None:
    recording = plan(stack)
    url = recording.outputs["registryUrl"]
    assert url == f"us-east1-docker.pkg.dev/bettafish-{stack}/bettafish-{stack}"
    images = sorted(
        d.inputs["spec"]["template"]["spec"]["containers"][0]["image"] for d in recording.of_type(DEPLOYMENT)
    )
    assert images[0] == f"{url}/bettafish/api-gateway:1.0.0"


def test_nodes_may_pull_the_images() -> None:
    members = plan("prod").of_type("gcp:projects/iAMMember:IAMMember")
    readers = [m for m in members if m.inputs["role"] == "roles/artifactregistry.reader"]
    assert [m.inputs["member"].split("@")[0] for m in readers] == ["serviceAccount:bettafish-prod-k8s-nodes"]
