"""Each service's own Entra identity on Azure (security rule 36): one user-assigned identity per
ServiceAccount, federated with exactly that ServiceAccount, holding exactly the grants its access
list names: a bucket it does not name, another service's secret or the cache without ``cache: true``
stay out of reach, and no key exists for anything."""

from __future__ import annotations

from typing import Any

import pytest

from components.workloads import kubernetes_name
from providers.azure.object_store import container_name
from providers.azure.operations.custom_metrics import MONITORING_METRICS_PUBLISHER
from tests.azure.stacks import GRANT, STACKS, named
from tests.azure.workloads import (
    DEPLOYMENT,
    FEDERATION,
    KEY_VAULT_SECRETS_USER,
    REDIS_ACCESS,
    SERVICE_ACCOUNT,
    SERVICES,
    STORAGE_BLOB_DATA_CONTRIBUTOR,
    STORAGE_BLOB_DATA_READER,
    apps,
    apps_of_type,
    client_id,
    config,
    grants_of,
    issuer,
    plan,
    principal,
    role_of,
    service_identity,
    services_plan,
)
from tests.mocks import physical_name

ROLES = {"read": STORAGE_BLOB_DATA_READER, "readWrite": STORAGE_BLOB_DATA_CONTRIBUTOR}


def publishes_metrics(recording: Any, stack: str = "prod") -> tuple[str, str]:
    """Every service also publishes the custom metrics on the cluster (Operations grants it)."""
    return (MONITORING_METRICS_PUBLISHER, recording.named(f"bettafish-{stack}-k8s-cluster").id)


def expected_grants(stack: str, access: Any) -> set[tuple[str, str]]:
    found = {
        (ROLES[mode], named(stack, "store", f"{container_name(bucket)}-container").id)
        for bucket, mode in access.buckets.items()
    }
    if "databaseCredentials" in access.secrets:
        found.add((KEY_VAULT_SECRETS_USER, named(stack, "db", "admin-secret").id))
    return found | {publishes_metrics(plan(stack), stack)}


@pytest.mark.parametrize("stack", STACKS)
def test_rule_36_each_service_holds_exactly_the_grants_of_its_access_list(stack: str) -> None:
    for name, service in config(stack).services.items():
        identity = service_identity(stack, kubernetes_name(name))
        assert grants_of(identity, plan(stack)) == expected_grants(stack, service.access), name


@pytest.mark.parametrize("stack", STACKS)
def test_grants_are_on_one_container_or_one_secret_never_on_an_account_group_or_subscription(stack: str) -> None:
    identities = {principal(service_identity(stack, account)) for account in SERVICES}
    for grant in plan(stack).of_type(GRANT):
        if grant.inputs["principalId"] in identities:
            scope = grant.inputs["scope"]
            if role_of(grant) == MONITORING_METRICS_PUBLISHER:
                assert scope == publishes_metrics(plan(stack), stack)[1]
                continue
            assert "/blobServices/default/containers/" in scope or ("/vaults/" in scope and "/secrets/" in scope), scope
            assert grant.inputs["principalType"] == "ServicePrincipal"


def test_a_bucket_the_access_list_does_not_name_is_not_reachable() -> None:
    def only_reports(services: Any) -> Any:
        services["queryEngine"]["access"] = {"buckets": {"reports": "read"}}
        return services

    recording = services_plan(only_reports)
    identity = service_identity("prod", "query-engine", recording)
    reports = recording.named("bettafish-prod-store-reports-container").id
    assert grants_of(identity, recording) == {(STORAGE_BLOB_DATA_READER, reports), publishes_metrics(recording)}
    who = principal(identity)
    assert not [a for a in recording.of_type(REDIS_ACCESS) if a.inputs["user"]["objectId"] == who]


@pytest.mark.parametrize("stack", STACKS)
def test_each_identity_trusts_its_own_service_account_only(stack: str) -> None:
    federations = {f.inputs["federatedIdentityCredentialResourceName"]: f for f in apps_of_type(stack, FEDERATION)}
    for account in SERVICES:
        federation = federations[account]
        assert federation.inputs == {
            "resourceGroupName": federation.inputs["resourceGroupName"],
            "resourceName": physical_name(service_identity(stack, account)),
            "federatedIdentityCredentialResourceName": account,
            "issuer": issuer(stack),
            "subject": f"system:serviceaccount:bettafish:{account}",
            "audiences": ["api://AzureADTokenExchange"],
        }


@pytest.mark.parametrize("stack", STACKS)
def test_pods_use_their_service_accounts_identity(stack: str) -> None:
    accounts = {a.inputs["metadata"]["name"]: a for a in apps_of_type(stack, SERVICE_ACCOUNT)}
    for deployment in apps_of_type(stack, DEPLOYMENT):
        account = deployment.inputs["metadata"]["name"]
        template = deployment.inputs["spec"]["template"]
        assert template["metadata"]["labels"]["azure.workload.identity/use"] == "true"
        assert template["spec"]["serviceAccountName"] == account
        annotations = accounts[account].inputs["metadata"]["annotations"]
        assert annotations == {"azure.workload.identity/client-id": client_id(service_identity(stack, account))}


@pytest.mark.parametrize("stack", STACKS)
def test_the_cache_is_reached_with_entra_by_the_services_that_name_it(stack: str) -> None:
    assignments = apps_of_type(stack, REDIS_ACCESS)
    with_cache = [kubernetes_name(n) for n, s in config(stack).services.items() if s.access.cache]
    assert sorted(a.inputs["user"]["objectId"] for a in assignments) == sorted(
        principal(service_identity(stack, account)) for account in with_cache
    )
    database = named(stack, "cache", "database")
    for assignment in assignments:
        assert assignment.inputs["accessPolicyName"] == "default"
        assert assignment.inputs["clusterName"] == database.inputs["clusterName"]
        assert assignment.inputs["databaseName"] == "default"
    # Azure Managed Redis takes one assignment at a time: they form one chain, each waiting for another.
    urns = {a.urn for a in assignments}
    waits = {a.urn: set(a.options.get("dependsOn", [])) & urns for a in assignments}
    assert sorted(len(w) for w in waits.values()) == [0] + [1] * (len(assignments) - 1)
    assert len(set().union(*waits.values())) == len(assignments) - 1


@pytest.mark.parametrize("stack", STACKS)
def test_pods_start_once_their_identity_and_the_kubelets_pull_grant_exist(stack: str) -> None:
    pull = apps(stack, "kubelet-acr-pull").urn
    for deployment in apps_of_type(stack, DEPLOYMENT):
        account = deployment.inputs["metadata"]["name"]
        waited = set(deployment.options["dependsOn"])
        assert apps(stack, f"{account}-federation").urn in waited
        assert pull in waited
        who = principal(service_identity(stack, account))
        for grant in plan(stack).of_type(GRANT):
            # Publishing custom metrics is not needed to start (Operations grants it after the pods exist).
            if grant.inputs["principalId"] == who and role_of(grant) != MONITORING_METRICS_PUBLISHER:
                assert grant.urn in waited, grant.name
