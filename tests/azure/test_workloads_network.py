"""The Azure addresses in the services' network policies (security rules 34 and 37), the spot taint
AKS adds, the private zone ``internal.<zone>``, and the config checks of the Azure workloads."""

from __future__ import annotations

from ipaddress import ip_address, ip_network
from typing import Any

import pytest

from components.workloads import kubernetes_name
from providers.azure.layout import role_cidrs
from tests.azure.stacks import STACKS, ZONE, ZONE_LINK, computed, named
from tests.azure.workloads import DEPLOYMENT, NETWORK_POLICY, PRIVATE_RECORD, apps, apps_of_type, config
from tests.config.test_loader import problems, set_path
from tests.mocks import edited, stack_values

AKS_SPOT = {
    "key": "kubernetes.azure.com/scalesetpriority",
    "operator": "Equal",
    "value": "spot",
    "effect": "NoSchedule",
}


def policies(stack: str) -> dict[str, dict[str, Any]]:
    return {p.inputs["metadata"]["name"]: p.inputs["spec"] for p in apps_of_type(stack, NETWORK_POLICY)}


def egress_to(spec: dict[str, Any], cidr: str) -> list[Any]:
    """The ports a policy opens to ``cidr`` (one entry per egress rule naming it)."""
    return [
        rule["ports"] for rule in spec["egress"] for peer in rule["to"] if peer.get("ipBlock", {}).get("cidr") == cidr
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_services_reach_postgres_and_redis_at_their_azure_addresses_only_if_their_access_says_so(stack: str) -> None:
    cfg = config(stack)
    (database,) = role_cidrs("database", cfg.network)
    (endpoints,) = role_cidrs("cache", cfg.network)
    redis = [{"protocol": "TCP", "port": cfg.cache.port}, {"protocol": "TCP", "port": 8500, "endPort": 8599}]
    for name, service in cfg.services.items():
        spec = policies(stack)[kubernetes_name(name)]
        assert egress_to(spec, database) == ([[{"protocol": "TCP", "port": 5432}]] if service.access.database else [])
        # The endpoint subnet: Redis (cache, its shard ports) and the HTTPS private endpoints.
        expected = ([redis] if service.access.cache else []) + [[{"protocol": "TCP", "port": 443}]]
        assert egress_to(spec, endpoints) == expected, name


@pytest.mark.parametrize("stack", STACKS)
def test_nothing_else_inside_the_vnet_is_reachable_on_443(stack: str) -> None:
    cidr = str(config(stack).network.cidr)
    for name, spec in policies(stack).items():
        for rule in spec.get("egress", []):
            for peer in rule["to"]:
                block = peer.get("ipBlock")
                if block and block["cidr"] == "0.0.0.0/0":
                    assert block["except"] == [cidr], name


@pytest.mark.parametrize("stack", STACKS)
def test_interruptible_services_tolerate_the_spot_taint_aks_adds(stack: str) -> None:
    interruptible = {kubernetes_name(n) for n, s in config(stack).services.items() if s.interruptible}
    assert interruptible, "the stacks run some services on spot nodes"
    for deployment in apps_of_type(stack, DEPLOYMENT):
        tolerations = deployment.inputs["spec"]["template"]["spec"]["tolerations"]
        assert (AKS_SPOT in tolerations) == (deployment.inputs["metadata"]["name"] in interruptible)


@pytest.mark.parametrize("stack", STACKS)
def test_the_internal_zone_names_the_data_services_in_the_vnet(stack: str) -> None:
    cfg = config(stack)
    zone = apps(stack, "internal-dns")
    assert zone.type == ZONE
    assert zone.inputs["privateZoneName"] == f"internal.{cfg.edge.dns.zone_name}"
    link = apps(stack, "internal-dns-link")
    assert link.type == ZONE_LINK
    assert link.inputs["virtualNetwork"] == {"id": named(stack, "net", "vnet").id}
    assert link.inputs["registrationEnabled"] is False
    ttls = {
        r.name.removesuffix(".internal"): r.ttl_seconds
        for r in cfg.edge.dns.records
        if r.target in ("database", "cache")
    }
    records = {r.inputs["relativeRecordSetName"]: r.inputs for r in apps_of_type(stack, PRIVATE_RECORD)}
    assert records == {
        "db": {
            "resourceGroupName": zone.inputs["resourceGroupName"],
            "privateZoneName": zone.inputs["privateZoneName"],
            "relativeRecordSetName": "db",
            "recordType": "CNAME",
            "ttl": ttls["db"],
            "cnameRecord": {"cname": computed(named(stack, "db", "primary"))["fullyQualifiedDomainName"]},
        },
        "redis": {
            "resourceGroupName": zone.inputs["resourceGroupName"],
            "privateZoneName": zone.inputs["privateZoneName"],
            "relativeRecordSetName": "redis",
            "recordType": "CNAME",
            "ttl": ttls["redis"],
            "cnameRecord": {"cname": computed(named(stack, "cache", "redis"))["hostName"]},
        },
    }


def test_an_internal_record_without_a_ttl_is_rejected_on_azure() -> None:
    def untimed(edge: Any) -> Any:
        for record in edge["dns"]["records"]:
            if record["target"] == "cache":
                del record["ttlSeconds"]
        return edge

    values = edited(stack_values("prod", "azure"), "bettafish:edge", untimed)
    assert any(
        p.startswith("bettafish:edge.dns.records[2].ttlSeconds: azure: the internal records are CNAMEs")
        for p in problems(values)
    )


@pytest.mark.parametrize(
    ("cidr", "expected"),
    [
        ("10.9.31.0/24", "10.9.31.0/24 is outside network.cidr"),
        ("10.0.30.0/23", "azure: Application Gateway for Containers with Azure CNI Overlay needs exactly a /24"),
        ("10.0.31.0/25", "azure: Application Gateway for Containers with Azure CNI Overlay needs exactly a /24"),
        ("10.0.11.0/24", "10.0.11.0/24 overlaps the private subnets"),
        ("10.0.30.0/24", "10.0.30.0/24 overlaps kubernetes.azure.apiServerSubnet"),
    ],
)
def test_an_ingress_subnet_agc_cannot_use_is_rejected(cidr: str, expected: str) -> None:
    values = edited(stack_values("prod", "azure"), "bettafish:kubernetes", set_path(["azure", "ingressSubnet"], cidr))
    found = problems(values)
    assert any(p.startswith(f"bettafish:kubernetes.azure.ingressSubnet: {expected}") for p in found), found


@pytest.mark.parametrize("stack", STACKS)
def test_pods_cannot_reach_the_instance_metadata_endpoint_and_so_no_node_identity(stack: str) -> None:
    """The kubelet identity (AcrPull) answers at 169.254.169.254:80 and the wire server at
    168.63.129.16: no policy lets a pod open those ports there (rule 36, no node-role access)."""
    metadata = (ip_address("169.254.169.254"), ip_address("168.63.129.16"))
    for name, spec in policies(stack).items():
        for rule in spec.get("egress", []):
            blocks = [peer["ipBlock"] for peer in rule["to"] if "ipBlock" in peer]
            for block in blocks:
                if any(ip in ip_network(block["cidr"]) for ip in metadata):
                    assert [p["port"] for p in rule["ports"]] == [443], name
