"""GCP Workloads, the network side: GKE Ingress and its BackendConfig, FrontendConfig, SSL policy and
managed certificate, the origin record, the network policies' GCP addresses and the private
internal zone, as recorded from the real program run offline on GCP."""

from __future__ import annotations

import json
from functools import cache
from ipaddress import IPv4Address, IPv4Network
from typing import Any

import jsonschema
import pytest

from bettafish.plan import RecordedResource, Recording
from tests.kubernetes_objects import validate
from tests.mocks import edited, load, physical_name, run_program, run_stack, stack_values

STACKS = ("prod", "staging")
INGRESS = "kubernetes:networking.k8s.io/v1:Ingress"
SERVICE = "kubernetes:core/v1:Service"
RECORD = "gcp:dns/recordSet:RecordSet"
ZONE = "gcp:dns/managedZone:ManagedZone"
POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
ANYCAST = IPv4Network("34.149.0.0/16")


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "gcp")


def zone_name(stack: str) -> str:
    return load(stack_values(stack, "gcp"), stack).edge.dns.zone_name


def custom(stack: str, kind: str) -> RecordedResource:
    (found,) = [r for r in plan(stack).resources if r.type.endswith(f":{kind}")]
    return found


def address(stack: str) -> RecordedResource:
    return plan(stack).named(f"bettafish-{stack}-apps-origin-ip")


@pytest.mark.parametrize("stack", STACKS)
def test_the_ingress_is_gke_s_external_load_balancer_on_the_reserved_address(stack: str) -> None:
    ingress = plan(stack).one(INGRESS)
    annotations = ingress.inputs["metadata"]["annotations"]
    # GKE reads the class from the annotation; with spec.ingressClassName alone it builds nothing.
    assert annotations["kubernetes.io/ingress.class"] == "gce"
    assert "ingressClassName" not in ingress.inputs["spec"]
    assert annotations["kubernetes.io/ingress.global-static-ip-name"] == physical_name(address(stack))
    assert annotations["kubernetes.io/ingress.allow-http"] == "true"  # serves the redirect
    assert annotations["networking.gke.io/managed-certificates"] == "origin"
    assert annotations["networking.gke.io/v1beta1.FrontendConfig"] == "api-gateway"
    assert ingress.inputs["spec"] == {"defaultBackend": {"service": {"name": "api-gateway", "port": {"number": 80}}}}
    assert address(stack).inputs["addressType"] == "EXTERNAL"
    assert address(stack).protect is (stack == "prod")


@pytest.mark.parametrize("stack", STACKS)
def test_the_ingress_waits_for_what_it_names(stack: str) -> None:
    ingress = plan(stack).one(INGRESS)
    named = [address(stack), *(custom(stack, k) for k in ("BackendConfig", "FrontendConfig", "ManagedCertificate"))]
    assert {r.urn for r in named} <= set(ingress.dependencies)
    assert ingress.options["customTimeouts"] == {"create": "20m"}


@pytest.mark.parametrize("stack", STACKS)
def test_only_the_gateway_service_has_network_endpoint_groups_and_the_backend_config(stack: str) -> None:
    annotated = {
        s.inputs["metadata"]["name"]: s.inputs["metadata"].get("annotations") or {}
        for s in plan(stack).of_type(SERVICE)
    }
    gateway = annotated.pop("api-gateway")
    assert json.loads(gateway["cloud.google.com/neg"]) == {"ingress": True}
    assert json.loads(gateway["cloud.google.com/backend-config"]) == {"default": "api-gateway"}
    assert all(not annotations for annotations in annotated.values())


@pytest.mark.parametrize("stack", STACKS)
def test_the_load_balancer_health_check_is_the_gateway_s(stack: str) -> None:
    gateway = load(stack_values(stack, "gcp"), stack).services.api_gateway
    check = gateway.health_check
    assert custom(stack, "BackendConfig").inputs["spec"] == {
        "healthCheck": {
            "type": "HTTP",
            "requestPath": check.path,
            "port": gateway.port,
            "checkIntervalSec": check.interval_seconds,
            "timeoutSec": check.timeout_seconds,
            "healthyThreshold": check.healthy_threshold,
            "unhealthyThreshold": check.unhealthy_threshold,
        }
    }


@pytest.mark.parametrize("stack", STACKS)
def test_http_redirects_to_https_under_a_tls_1_2_restricted_policy(stack: str) -> None:
    policy = plan(stack).named(f"bettafish-{stack}-apps-tls-policy")
    assert policy.inputs["profile"] == "RESTRICTED"
    assert policy.inputs["minTlsVersion"] == "TLS_1_2"
    assert custom(stack, "FrontendConfig").inputs["spec"] == {
        "sslPolicy": physical_name(policy),
        "redirectToHttps": {"enabled": True, "responseCodeName": "MOVED_PERMANENTLY_DEFAULT"},
    }


def test_the_minimum_tls_version_follows_the_config() -> None:
    def change(edge: dict[str, Any]) -> dict[str, Any]:
        edge["tls"]["minVersion"] = "1.3"
        return edge

    recording = run_program(edited(stack_values("prod", "gcp"), "bettafish:edge", change))
    assert recording.named("bettafish-prod-apps-tls-policy").inputs["minTlsVersion"] == "TLS_1_3"


@pytest.mark.parametrize("stack", STACKS)
def test_the_certificate_and_the_origin_record_name_origin_in_the_public_zone(stack: str) -> None:
    origin = f"origin.{zone_name(stack)}"
    assert custom(stack, "ManagedCertificate").inputs["spec"] == {"domains": [origin]}
    (record,) = [r for r in plan(stack).of_type(RECORD) if r.inputs["name"] == f"{origin}."]
    public = plan(stack).named(f"bettafish-{stack}-dns-zone")
    assert record.inputs["managedZone"] == physical_name(public)
    assert record.inputs["type"] == "A"
    assert record.inputs["ttl"] == load(stack_values(stack, "gcp"), stack).edge.dns.record_ttl_seconds
    (ip,) = record.inputs["rrdatas"]
    assert IPv4Address(ip) in ANYCAST
    assert record.input_dependencies["rrdatas"] == [address(stack).urn]
    assert plan(stack).outputs["originHost"] == origin


def test_gke_s_custom_resources_are_checked_strictly() -> None:
    config = custom("prod", "BackendConfig")
    validate(config, "1.35")
    misspelt = {**config.inputs, "spec": {"healthcheck": config.inputs["spec"]["healthCheck"]}}
    with pytest.raises(jsonschema.ValidationError):
        validate(RecordedResource(**{**config.__dict__, "inputs": misspelt}), "1.35")


def policy(stack: str, name: str) -> dict[str, Any]:
    (found,) = [p.inputs["spec"] for p in plan(stack).of_type(POLICY) if p.inputs["metadata"]["name"] == name]
    spec: dict[str, Any] = found
    return spec


def egress_to(spec: dict[str, Any], cidr: str) -> list[list[dict[str, Any]]]:
    return [r["ports"] for r in spec["egress"] for peer in r["to"] if peer.get("ipBlock", {}).get("cidr") == cidr]


@pytest.mark.parametrize("stack", STACKS)
def test_google_front_ends_and_health_checks_reach_the_gateway_pods_only(stack: str) -> None:
    front_ends = [{"ipBlock": {"cidr": "130.211.0.0/22"}}, {"ipBlock": {"cidr": "35.191.0.0/16"}}]
    assert policy(stack, "api-gateway")["ingress"] == [
        {"from": front_ends, "ports": [{"protocol": "TCP", "port": 8000}]}
    ]
    for engine in ("insight-engine", "media-engine", "query-engine", "report-engine"):
        sources = [peer for rule in policy(stack, engine)["ingress"] for peer in rule["from"]]
        assert not [peer for peer in sources if "ipBlock" in peer], engine


@pytest.mark.parametrize("stack", STACKS)
def test_the_data_services_are_reached_at_their_gcp_ranges_by_the_services_that_may(stack: str) -> None:
    """The database tier's halves: private services access (Cloud SQL), the cache's PSC subnetwork."""
    net = {"prod": "10.0", "staging": "10.1"}[stack]
    database, cache_range = f"{net}.20.0/23", f"{net}.22.0/23"
    for name in ("api-gateway", "insight-engine", "media-engine", "query-engine", "report-engine"):
        spec = policy(stack, name)
        assert egress_to(spec, database) == [[{"protocol": "TCP", "port": 5432}]]
        cache_ports = [{"protocol": "TCP", "port": 6379}, {"protocol": "TCP", "port": 11000, "endPort": 13047}]
        assert egress_to(spec, cache_range) == ([] if name == "report-engine" else [cache_ports])


@pytest.mark.parametrize("stack", STACKS)
def test_every_pod_may_ask_the_gke_metadata_server_for_its_token(stack: str) -> None:
    for p in plan(stack).of_type(POLICY):
        name = p.inputs["metadata"]["name"]
        if name in ("default-deny", "allow-dns"):
            continue
        ports = [{"protocol": "TCP", "port": 80}, {"protocol": "TCP", "port": 8080}]
        assert egress_to(p.inputs["spec"], "169.254.169.254/32") == [ports], name


@pytest.mark.parametrize("stack", STACKS)
def test_the_internal_names_live_in_a_private_zone_of_the_network(stack: str) -> None:
    recording = plan(stack)
    (private,) = [z for z in recording.of_type(ZONE) if z.inputs["visibility"] == "private"]
    network = recording.one("gcp:compute/network:Network")
    assert private.inputs["dnsName"] == f"internal.{zone_name(stack)}."
    assert private.inputs["privateVisibilityConfig"] == {"networks": [{"networkUrl": network.id}]}
    assert "dnssecConfig" not in private.inputs
    records = {
        r.inputs["name"]: r for r in recording.of_type(RECORD) if r.inputs["managedZone"] == physical_name(private)
    }
    settings = recording.one("kubernetes:core/v1:ConfigMap").inputs["data"]
    db, redis = records.pop(f"db.internal.{zone_name(stack)}."), records.pop(f"redis.internal.{zone_name(stack)}.")
    assert not records
    assert (db.inputs["type"], db.inputs["ttl"], db.inputs["rrdatas"]) == ("A", 60, [settings["DATABASE_HOST"]])
    assert (redis.inputs["type"], redis.inputs["ttl"]) == ("A", 60)
    assert redis.inputs["rrdatas"] == [settings["CACHE_HOSTS"].split(",")[0]]
    assert recording.outputs["internalZone"] == f"internal.{zone_name(stack)}"
