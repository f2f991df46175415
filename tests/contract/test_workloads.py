"""Contract of the services on every cloud's cluster and of the public DNS zone: restricted pods,
one identity per service, default-deny network policies with only the configured flows, the
autoscaler and disruption budget of every service, every object valid for the cluster version."""

from __future__ import annotations

import json

import pytest

from bettafish.config import StackConfig
from bettafish.plan import RecordedResource, Recording
from components import (
    DeployContext,
    Dns,
    DnsArgs,
    Workloads,
    WorkloadsArgs,
)
from components.workloads import NAMESPACE, kubernetes_name
from providers import implementation
from tests.config.test_loader import set_path
from tests.contract.platform import platform, workloads_args
from tests.contract.suite import ComponentContract
from tests.kubernetes_objects import kubernetes_objects, validate
from tests.mocks import CLOUDS, edited, load, run_program, stack_values
from tests.workloads.pod_security import violations

DEPLOYMENT = "kubernetes:apps/v1:Deployment"


def dns(config: StackConfig, context: DeployContext) -> Dns:
    return implementation(config.cloud, Dns)(
        "dep-dns",
        DnsArgs(
            dns=config.edge.dns, key_deletion_window_days=config.encryption.key_deletion_window_days, context=context
        ),
    )


class TestDnsContract(ComponentContract):
    component = Dns

    @staticmethod
    def make_args(config: StackConfig, context: DeployContext) -> DnsArgs:
        return DnsArgs(
            dns=config.edge.dns, key_deletion_window_days=config.encryption.key_deletion_window_days, context=context
        )

    def test_the_zone_is_the_configured_domain(self, built: Recording, cloud: str, stack: str) -> None:
        assert built.outputs["zone_name"].rstrip(".") == load(stack_values(stack, cloud), stack).edge.dns.zone_name
        assert len(built.outputs["name_servers"]) >= 2


class TestWorkloadsContract(ComponentContract):
    component = Workloads

    @staticmethod
    def make_args(config: StackConfig, context: DeployContext) -> WorkloadsArgs:
        """The services on the whole platform they run on."""
        return workloads_args(config, context, platform(config, context))

    def test_pod_security_restricted_is_enforced_and_every_pod_meets_it(self, built: Recording) -> None:
        (namespace,) = built.of_type("kubernetes:core/v1:Namespace")
        labels = namespace.inputs["metadata"]["labels"]
        assert labels["pod-security.kubernetes.io/enforce"] == "restricted"
        for deployment in built.of_type(DEPLOYMENT):
            assert violations(deployment.inputs["spec"]["template"]["spec"]) == [], deployment.name

    def test_every_service_has_its_objects(self, built: Recording, cloud: str, stack: str) -> None:
        config = load(stack_values(stack, cloud), stack)
        names = sorted(kubernetes_name(name) for name, _ in config.services.items())
        for kind in ("core/v1:ServiceAccount", "apps/v1:Deployment", "core/v1:Service",
                     "autoscaling/v2:HorizontalPodAutoscaler", "policy/v1:PodDisruptionBudget"):  # fmt: skip
            found = sorted(r.inputs["metadata"]["name"] for r in built.of_type(f"kubernetes:{kind}"))
            assert found == names, kind

    def test_deployments_leave_replicas_to_their_autoscaler(self, built: Recording, cloud: str, stack: str) -> None:
        config = load(stack_values(stack, cloud), stack)
        bounds = {kubernetes_name(n): (s.min_replicas, s.max_replicas) for n, s in config.services.items()}
        for deployment in built.of_type(DEPLOYMENT):
            assert "replicas" not in deployment.inputs["spec"]
        for hpa in built.of_type("kubernetes:autoscaling/v2:HorizontalPodAutoscaler"):
            spec = hpa.inputs["spec"]
            assert (spec["minReplicas"], spec["maxReplicas"]) == bounds[hpa.inputs["metadata"]["name"]]

    def test_images_are_pinned_in_the_stacks_registry(self, built: Recording) -> None:
        registry = built.outputs["registry_url"]
        for deployment in built.of_type(DEPLOYMENT):
            (container,) = deployment.inputs["spec"]["template"]["spec"]["containers"]
            image = container["image"]
            assert image.startswith(f"{registry}/bettafish/"), image
            assert not image.endswith(":latest")

    def test_the_namespace_denies_everything_but_dns_and_the_policies(self, built: Recording) -> None:
        policies = {p.inputs["metadata"]["name"]: p.inputs["spec"] for p in built.of_type(NETWORK_POLICY)}
        assert policies["default-deny"] == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}
        assert {"default-deny", "allow-dns"} <= set(policies)
        gateway = policies["api-gateway"]
        assert gateway["ingress"], "the load balancer must reach the gateway"
        for name, spec in policies.items():
            if name in ("default-deny", "allow-dns"):
                continue
            # No policy opens all sources or all ports of anything inside the network.
            for rule in spec.get("ingress", []):
                assert rule.get("from"), name
                assert rule.get("ports"), name
            for rule in spec.get("egress", []):
                assert rule.get("to"), name
                assert rule.get("ports"), name

    def test_engines_are_reached_only_from_the_services_that_call_them(
        self, built: Recording, cloud: str, stack: str
    ) -> None:
        config = load(stack_values(stack, cloud), stack)
        policies = {p.inputs["metadata"]["name"]: p.inputs["spec"] for p in built.of_type(NETWORK_POLICY)}
        for name, _ in config.services.items():
            if name == "apiGateway":
                continue
            callers = {kubernetes_name(n) for n, s in config.services.items() if name in s.calls}
            spec = policies[kubernetes_name(name)]
            sources = [peer for rule in spec["ingress"] for peer in rule["from"]]
            assert {json.dumps(s) for s in sources} == {
                json.dumps({"podSelector": {"matchLabels": {"app.kubernetes.io/name": c}}}) for c in callers
            }

    def test_every_object_lives_in_the_namespace_and_is_valid_for_the_cluster_version(
        self, built: Recording, cloud: str, stack: str
    ) -> None:
        version = load(stack_values(stack, cloud), stack).kubernetes.version
        mine = [r for r in kubernetes_objects(built) if _namespaced_here(r)]
        assert mine
        for resource in mine:
            validate(resource, version)


NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"


def _namespaced_here(resource: RecordedResource) -> bool:
    metadata = resource.inputs.get("metadata", {})
    return NAMESPACE in (metadata.get("namespace"), resource.type.endswith(":Namespace") and metadata.get("name"))


ZONE_RECORD_TTL = 120
"""An ``edge.dns.recordTtlSeconds`` no record hardcodes: every record the zone carries on its own takes it."""


def zones_own_records(recording: Recording, cloud: str, zone: str) -> dict[str, RecordedResource]:
    """The apex CAA record, the origin's record (``origin.<zone>``) and, on AWS, ACM's validation
    record of the public zone, by role."""
    if cloud == "aws":
        aws_records = recording.of_type("aws:route53/record:Record")
        (caa,) = [r for r in aws_records if r.inputs["type"] == "CAA"]
        (origin,) = [r for r in aws_records if r.inputs["name"] == f"origin.{zone}" and r.inputs["type"] == "A"]
        (validation,) = [r for r in aws_records if r.name.endswith("-origin-validation")]
        return {"caa": caa, "origin": origin, "validation": validation}
    if cloud == "gcp":
        gcp_records = recording.of_type("gcp:dns/recordSet:RecordSet")
        (caa,) = [r for r in gcp_records if r.inputs["type"] == "CAA"]
        (origin,) = [r for r in gcp_records if r.inputs["name"] == f"origin.{zone}."]
        return {"caa": caa, "origin": origin}
    azure_records = recording.of_type("azure-native:dns:RecordSet")
    (caa,) = [r for r in azure_records if r.inputs["recordType"] == "CAA"]
    (origin,) = [r for r in azure_records if r.inputs["relativeRecordSetName"] == "origin"]
    return {"caa": caa, "origin": origin}


@pytest.mark.parametrize("cloud", CLOUDS)
def test_the_zones_own_records_take_the_configured_ttl(cloud: str) -> None:
    values = edited(
        stack_values("prod", cloud), "bettafish:edge", set_path(["dns", "recordTtlSeconds"], ZONE_RECORD_TTL)
    )
    zone = load(values).edge.dns.zone_name
    records = zones_own_records(run_program(values), cloud, zone)
    aliased = {"origin"} if cloud == "aws" else set()  # an alias to the ALB follows the ALB's own TTL
    assert {role: r.inputs.get("ttl") for role, r in records.items()} == {
        role: None if role in aliased else ZONE_RECORD_TTL for role in records
    }
    if cloud == "aws":
        assert records["origin"].inputs["aliases"]
