"""AWS Workloads: a Pod Identity role per service holding exactly its access list (security rule 36),
credentials read from Secrets Manager rather than Kubernetes Secrets, the ECR registry, and the AWS
addresses the network policies open (rule 34)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from bettafish.config.services import Access
from bettafish.plan.fake_cloud import ACCOUNT_ID
from components.workloads import NAMESPACE, kubernetes_name
from providers.aws.kubernetes.identity import pod_identity_trust
from providers.aws.workloads.grants import Bucket, GrantTargets, Secret, access_policy
from tests.aws.apps import (
    ASSOCIATION,
    DEPLOYMENT,
    NETWORK_POLICY,
    REPOSITORY,
    ROLE,
    ROLE_POLICY,
    STACKS,
    apps,
    config,
    document,
    named,
    plan,
)
from tests.mocks import edited, run_program, stack_values

REGION = "us-east-1"
SERVICES = ["api-gateway", "insight-engine", "media-engine", "query-engine", "report-engine"]


def secret_arn(stack: str, name: str) -> str:
    (secret,) = [s for s in plan(stack).of_type("aws:secretsmanager/secret:Secret") if s.name == name]
    return secret.id


def key_arn(stack: str, purpose: str) -> str:
    return str(plan(stack).outputs["keyIds"][purpose])


def bucket_arn(stack: str, logical: str) -> str:
    return f"arn:aws:s3:::{plan(stack).outputs['bucketNames'][logical]}"


def grants(stack: str, service: str) -> list[dict[str, Any]]:
    found = [p for p in plan(stack).of_type(ROLE_POLICY) if p.name == f"{apps(stack)}-{service}"]
    return [s for p in found for s in document(p)["Statement"]]


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize("service", SERVICES)
def test_each_service_has_its_own_role_trusted_for_its_service_account_only(stack: str, service: str) -> None:
    role = named(plan(stack), f"{apps(stack)}-{service}", ROLE)
    assert document(role, "assumeRolePolicy") == pod_identity_trust(f"bettafish-{stack}-k8s", NAMESPACE, service)
    association = named(plan(stack), f"{apps(stack)}-{service}", ASSOCIATION)
    assert {k: association.inputs[k] for k in ("clusterName", "namespace", "serviceAccount", "roleArn")} == {
        "clusterName": f"bettafish-{stack}-k8s",
        "namespace": NAMESPACE,
        "serviceAccount": service,
        "roleArn": f"arn:aws:iam::{ACCOUNT_ID}:role/{role.id}",
    }
    # The pods start only once the association and the role's grants exist (Pod Identity injects
    # credentials when a pod is created; IAM is eventually consistent).
    deployment = named(plan(stack), f"{apps(stack)}-{service}", DEPLOYMENT)
    assert association.urn in deployment.dependencies
    assert named(plan(stack), f"{apps(stack)}-{service}", ROLE_POLICY).urn in deployment.dependencies


def test_the_api_gateway_gets_exactly_its_access_list() -> None:
    """apiGateway: database, cache, databaseCredentials, mediaContent read, reports read (reports is
    encrypted with the storage key)."""
    reports, media = bucket_arn("prod", "reports"), bucket_arn("prod", "mediaContent")
    credentials = secret_arn("prod", "bettafish-prod-db-credentials")
    token = secret_arn("prod", "bettafish-prod-cache-auth-token")
    assert grants("prod", "api-gateway") == [
        {"Sid": "MediaContentObjectsRead", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [f"{media}/*"]},
        {"Sid": "ReportsObjectsRead", "Effect": "Allow", "Action": ["s3:GetObject"], "Resource": [f"{reports}/*"]},
        {
            "Sid": "ReportsKeyRead",
            "Effect": "Allow",
            "Action": ["kms:Decrypt"],
            "Resource": [key_arn("prod", "storage")],
            "Condition": {
                "StringEquals": {"kms:ViaService": f"s3.{REGION}.amazonaws.com"},
                "StringLike": {"kms:EncryptionContext:aws:s3:arn": [reports, f"{reports}/*"]},
            },
        },
        *secret_statements("DatabaseCredentials", credentials, key_arn("prod", "database")),
        *secret_statements("CacheAuthToken", token, key_arn("prod", "cache")),
    ]


def secret_statements(sid: str, secret: str, key: str) -> list[dict[str, Any]]:
    return [
        {"Sid": f"{sid}Read", "Effect": "Allow", "Action": ["secretsmanager:GetSecretValue"], "Resource": [secret]},
        {
            "Sid": f"{sid}Decrypt",
            "Effect": "Allow",
            "Action": ["kms:Decrypt"],
            "Resource": [key],
            "Condition": {
                "StringEquals": {
                    "kms:ViaService": f"secretsmanager.{REGION}.amazonaws.com",
                    "kms:EncryptionContext:SecretARN": secret,
                }
            },
        },
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_a_bucket_the_access_list_does_not_name_is_not_reachable(stack: str) -> None:
    """Every service's S3 and KMS grants name exactly its buckets; the logs bucket, which no service
    names, appears in no policy; the storage key only where a named bucket uses it."""
    for name, service in config(stack).services.items():
        statements = grants(stack, kubernetes_name(name))
        objects = {r for s in statements if s["Action"][0].startswith("s3:") for r in s["Resource"]}
        assert objects == {f"{bucket_arn(stack, b)}/*" for b in service.access.buckets}, name
        writes = {r for s in statements if "s3:PutObject" in s["Action"] for r in s["Resource"]}
        assert writes == {f"{bucket_arn(stack, b)}/*" for b, m in service.access.buckets.items() if m == "readWrite"}
        storage_key = [s for s in statements if s["Resource"] == [key_arn(stack, "storage")]]
        assert bool(storage_key) is ("reports" in service.access.buckets), name
        assert bucket_arn(stack, "logs") not in json.dumps(statements)


@pytest.mark.parametrize("stack", STACKS)
def test_no_grant_is_on_everything_and_no_key_is_used_outside_its_service(stack: str) -> None:
    for service in SERVICES:
        for statement in grants(stack, service):
            assert statement["Effect"] == "Allow"
            assert "*" not in statement["Resource"], service
            assert all("*" not in action for action in statement["Action"]), service
            if statement["Action"][0].startswith("kms:"):
                assert statement["Condition"]["StringEquals"]["kms:ViaService"].endswith(f".{REGION}.amazonaws.com")


@pytest.mark.parametrize("stack", STACKS)
def test_only_services_that_name_the_cache_may_read_its_token(stack: str) -> None:
    token = secret_arn(stack, f"bettafish-{stack}-cache-auth-token")
    for name, service in config(stack).services.items():
        readable = token in json.dumps(grants(stack, kubernetes_name(name)))
        assert readable is service.access.cache, name


TARGETS = GrantTargets(
    region=REGION,
    buckets={"mediaContent": Bucket("arn:aws:s3:::m", None), "reports": Bucket("arn:aws:s3:::r", "arn:k")},
    secrets={"databaseCredentials": Secret("arn:db", "arn:dbkey")},
    cache_token=Secret("arn:tok", "arn:cachekey"),
)


def test_read_only_buckets_get_no_write_and_no_data_keys() -> None:
    policy = access_policy(Access(buckets={"reports": "read"}), TARGETS)
    assert policy is not None
    actions = [a for s in policy["Statement"] for a in s["Action"]]
    assert actions == ["s3:GetObject", "kms:Decrypt"]


def test_database_alone_grants_nothing_in_iam() -> None:
    """The database is reached on the network and opened with the credentials secret's password."""
    assert access_policy(Access(database=True), TARGETS) is None
    assert access_policy(Access(), TARGETS) is None


def test_a_service_that_names_nothing_iam_grants_has_a_role_with_the_metrics_policy_only() -> None:
    """Operations' policy to publish the custom metrics is every role's (``test_operations``)."""

    def bare(services: dict[str, Any]) -> dict[str, Any]:
        services["queryEngine"]["access"] = {"database": True}
        return services

    recording = run_program(edited(stack_values("staging", "aws"), "bettafish:services", bare), "staging")
    role = named(recording, f"{apps('staging')}-query-engine", ROLE)
    policies = [p.name for p in recording.of_type(ROLE_POLICY) if p.inputs["role"] == role.id]
    assert policies == ["bettafish-staging-ops-query-engine-metrics"]
    assert named(recording, f"{apps('staging')}-query-engine", ASSOCIATION).inputs["roleArn"].endswith(role.id)


@pytest.mark.parametrize("stack", STACKS)
def test_credentials_reach_pods_by_reference_never_as_kubernetes_secrets(stack: str) -> None:
    assert not plan(stack).of_type("kubernetes:core/v1:Secret")
    (settings,) = plan(stack).of_type("kubernetes:core/v1:ConfigMap")
    data = settings.inputs["data"]
    assert data["DATABASE_CREDENTIALS_REF"] == secret_arn(stack, f"bettafish-{stack}-db-credentials")
    assert data["CACHE_CREDENTIALS_REF"] == secret_arn(stack, f"bettafish-{stack}-cache-auth-token")
    assert "[secret]" not in json.dumps(data)


@pytest.mark.parametrize("stack", STACKS)
def test_one_immutable_scanned_encrypted_repository_per_image(stack: str) -> None:
    repositories = {r.inputs["name"]: r for r in plan(stack).of_type(REPOSITORY)}
    images = {service.image.repository for _, service in config(stack).services.items()}
    assert set(repositories) == {f"bettafish-{stack}/{image}" for image in images}
    for repository in repositories.values():
        assert repository.inputs["imageTagMutability"] == "IMMUTABLE"
        assert repository.inputs["imageScanningConfiguration"] == {"scanOnPush": True}
        assert repository.inputs["encryptionConfigurations"] == [
            {"encryptionType": "KMS", "kmsKey": key_arn(stack, "kubernetes")}
        ]
        # Images are kept in prod; staging's repositories go with their images on destroy.
        assert repository.protect is (stack == "prod")
        assert repository.inputs["forceDelete"] is (stack == "staging")


@pytest.mark.parametrize("stack", STACKS)
def test_untagged_images_expire_after_the_configured_days(stack: str) -> None:
    days = config(stack).registry.untagged_expiry_days
    policies = plan(stack).of_type("aws:ecr/lifecyclePolicy:LifecyclePolicy")
    assert sorted(p.inputs["repository"] for p in policies) == sorted(
        r.inputs["name"] for r in plan(stack).of_type(REPOSITORY)
    )
    for policy in policies:
        (rule,) = document(policy)["rules"]
        assert rule["selection"] == {
            "tagStatus": "untagged",
            "countType": "sinceImagePushed",
            "countUnit": "days",
            "countNumber": days,
        }
        assert rule["action"] == {"type": "expire"}
    assert days == {"prod": 14, "staging": 7}[stack]


@pytest.mark.parametrize("stack", STACKS)
def test_images_are_pulled_from_the_stacks_registry(stack: str) -> None:
    registry = plan(stack).outputs["registryUrl"]
    assert registry == f"{ACCOUNT_ID}.dkr.ecr.{REGION}.amazonaws.com/bettafish-{stack}"
    for name, service in config(stack).services.items():
        deployment = named(plan(stack), f"{apps(stack)}-{kubernetes_name(name)}", DEPLOYMENT)
        (container,) = deployment.inputs["spec"]["template"]["spec"]["containers"]
        assert container["image"] == f"{registry}/{service.image.repository}:{service.image.tag}"


def test_nodes_may_decrypt_the_images_through_ecr_only() -> None:
    pull = named(plan("prod"), f"{apps('prod')}-node-pull", ROLE_POLICY)
    (node_group, *_) = plan("prod").of_type("aws:eks/nodeGroup:NodeGroup")
    assert node_group.inputs["nodeRoleArn"].endswith(f"/{pull.inputs['role']}")
    (statement,) = document(pull)["Statement"]
    assert (statement["Action"], statement["Resource"]) == (["kms:Decrypt"], [key_arn("prod", "kubernetes")])
    repositories = sorted(
        f"arn:aws:ecr:{REGION}:{ACCOUNT_ID}:repository/{r.inputs['name']}" for r in plan("prod").of_type(REPOSITORY)
    )
    assert statement["Condition"] == {
        "StringEquals": {
            "kms:ViaService": f"ecr.{REGION}.amazonaws.com",
            "kms:EncryptionContext:aws:ecr:arn": repositories,
        }
    }


def policy(stack: str, service: str) -> dict[str, Any]:
    spec: dict[str, Any] = named(plan(stack), f"{apps(stack)}-{service}", NETWORK_POLICY).inputs["spec"]
    return spec


def egress_to(spec: dict[str, Any], cidr: str) -> list[list[dict[str, Any]]]:
    return [
        rule["ports"] for rule in spec["egress"] for peer in rule["to"] if peer.get("ipBlock", {}).get("cidr") == cidr
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_policies_open_the_database_tier_on_the_flows_ports_to_the_services_that_use_it(stack: str) -> None:
    cfg = config(stack)
    for name, service in cfg.services.items():
        spec = policy(stack, kubernetes_name(name))
        for cidr in cfg.network.subnets.database:
            ports = [p["port"] for rule in egress_to(spec, str(cidr)) for p in rule]
            expected = ([5432] if service.access.database else []) + ([6379] if service.access.cache else [])
            assert ports == expected, name


@pytest.mark.parametrize("stack", STACKS)
def test_every_pod_may_reach_the_pod_identity_agent(stack: str) -> None:
    for service in SERVICES:
        spec = policy(stack, service)
        for cidr in ("169.254.170.23/32", "fd00:ec2::23/128"):
            assert egress_to(spec, cidr) == [[{"protocol": "TCP", "port": 80}]], service


@pytest.mark.parametrize("stack", STACKS)
def test_only_the_gateway_is_reached_from_the_public_subnets_on_its_port(stack: str) -> None:
    cfg = config(stack)
    public = [{"ipBlock": {"cidr": str(cidr)}} for cidr in cfg.network.subnets.public]
    for service in SERVICES:
        sources = [peer for rule in policy(stack, service)["ingress"] for peer in rule["from"]]
        assert all(peer in sources for peer in public) is (service == "api-gateway"), service
        assert not [p for p in sources if p in public and service != "api-gateway"]
    (from_lb,) = [r for r in policy(stack, "api-gateway")["ingress"] if public[0] in r["from"]]
    assert from_lb["ports"] == [{"protocol": "TCP", "port": cfg.services.api_gateway.port}]
