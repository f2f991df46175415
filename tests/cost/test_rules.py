"""Price rules on resources the plans do not create yet (the edge) or in variants they do not use,
through the real price files: what each becomes, what counts as free, what is left unpriced."""

from __future__ import annotations

import pytest

from bettafish.cost.prices import Rule, price_book
from bettafish.cost.rules import PricingError
from bettafish.cost.traffic import traffic_figures
from tests.cost.synthetic import Child, line, priced, recording
from tests.mocks import load, stack_values

HOURS = 730
REQUESTS = 500 * 0.5 * HOURS * 3600
"""The spec's 500 requests per second at the assumed 50% average load, over a month."""


def test_traffic_follows_the_throughput_targets() -> None:
    figures = traffic_figures(load(stack_values("prod", "aws")), HOURS)
    assert figures["requestsPerMonth"] == REQUESTS == 657_000_000
    assert figures["egressGb"] == pytest.approx(REQUESTS * 8 * 1024 / 1e9)
    assert figures["cdnOriginGb"] == pytest.approx(figures["egressGb"] * 0.8)
    assert figures["buckets"]["reports"] == {
        "storedGb": 200,
        "newGbPerMonth": 10,
        "standardGb": 10,
        "transitionedGb": 190,
        "transitionedClass": "infrequentAccess",
    }


@pytest.mark.parametrize(
    ("support", "version", "hourly"),
    [("EXTENDED", "1.32", 0.60), ("STANDARD", "1.32", 0.10), ("EXTENDED", "1.35", 0.10)],
)
def test_eks_bills_extended_support_only_past_standard_support(support: str, version: str, hourly: float) -> None:
    # 1.32 left standard support on 2026-03-23, before the prices' date; 1.35 keeps it into 2027.
    cluster = (
        "aws:eks/cluster:Cluster",
        "prod-k8s-eks",
        {"version": version, "upgradePolicy": {"supportType": support}},
    )
    cost = priced("aws", recording("bettafish:kubernetes:KubeCluster", "prod-k8s", cluster))
    assert line(cost, "KubeCluster", "control plane").monthly == round(HOURS * hourly, 2)


def test_aws_edge_cloudfront_waf_and_the_alb_of_an_ingress() -> None:
    edge = recording(
        "bettafish:edge:Cdn",
        "prod-edge",
        ("aws:cloudfront/distribution:Distribution", "prod-edge-cdn", {}),
        ("aws:wafv2/webAcl:WebAcl", "prod-edge-waf", {"rules": [{"name": "a"}, {"name": "b"}, {"name": "c"}]}),
        ("kubernetes:networking.k8s.io/v1:Ingress", "prod-edge-api", {"spec": {"ingressClassName": "alb"}}),
    )
    cost = priced("aws", edge)
    assert line(cost, "Cdn", "WAF base fee").monthly == 5.00 + 3 * 1.00
    assert line(cost, "Cdn", "WAF requests").monthly == round(REQUESTS / 1e6 * 0.60, 2) == 394.20
    assert line(cost, "Cdn", "CDN requests").monthly == round(REQUESTS / 10_000 * 0.01, 2) == 657.00
    egress = REQUESTS * 8 * 1024 / 1e9
    assert line(cost, "Cdn", "CDN data transfer").monthly == round(egress * 0.085, 2)
    assert line(cost, "Cdn", "load balancer").monthly == round(HOURS * 0.0225, 2)
    assert cost.unpriced == []


def test_an_ingress_of_a_class_no_rule_knows_is_unpriced() -> None:
    ingress = ("kubernetes:networking.k8s.io/v1:Ingress", "prod-apps-api", {"spec": {"ingressClassName": "nginx"}})
    service = ("kubernetes:core/v1:Service", "prod-apps-gateway", {"spec": {"type": "ClusterIP"}})
    config_map: Child = ("kubernetes:core/v1:ConfigMap", "prod-apps-settings", {})
    cost = priced("aws", recording("bettafish:kubernetes:Workloads", "prod-apps", ingress, service, config_map))
    assert cost.unpriced == ["kubernetes:networking.k8s.io/v1:Ingress"]
    assert cost.items == []


def test_gcp_edge_cloud_cdn_and_cloud_armor() -> None:
    edge = recording(
        "bettafish:edge:Cdn",
        "prod-edge",
        ("gcp:compute/backendService:BackendService", "prod-edge-api", {"enableCdn": True}),
        ("gcp:compute/securityPolicy:SecurityPolicy", "prod-edge-armor", {"rules": [{}, {}]}),
        ("gcp:compute/globalForwardingRule:GlobalForwardingRule", "prod-edge-https", {}),
    )
    cost = priced("gcp", edge)
    assert line(cost, "Cdn", "WAF base fee").monthly == 5.00 + 2 * 1.00
    assert line(cost, "Cdn", "CDN requests").monthly == round(REQUESTS / 10_000 * 0.0075, 2)
    assert line(cost, "Cdn", "load balancer").monthly == round(HOURS * 0.025, 2)


def test_azure_front_door_premium_base_fee_includes_its_waf() -> None:
    edge = recording(
        "bettafish:edge:Cdn",
        "prod-edge",
        ("azure-native:cdn:Profile", "prod-edge-fd", {"sku": {"name": "Premium_AzureFrontDoor"}}),
        ("azure-native:network:WebApplicationFirewallPolicy", "prod-edge-waf", {}),
    )
    cost = priced("azure", edge)
    assert line(cost, "Cdn", "CDN base fee").monthly == 330.00
    assert line(cost, "Cdn", "WAF base fee").monthly == 0
    assert line(cost, "Cdn", "CDN requests").monthly == round(REQUESTS / 10_000 * 0.015, 2)


def test_free_rules_price_nothing_and_shared_volumes_add_up() -> None:
    net = recording(
        "bettafish:network:Vpc",
        "prod-net",
        ("aws:ec2/vpcEndpoint:VpcEndpoint", "prod-net-s3", {"vpcEndpointType": "Gateway"}),
        ("aws:ec2/vpcEndpoint:VpcEndpoint", "prod-net-ecr", {"vpcEndpointType": "Interface", "subnetIds": ["a", "b"]}),
        *(("aws:ec2/natGateway:NatGateway", f"prod-net-nat-{zone}", {}) for zone in "ab"),
    )
    cost = priced("aws", net)
    assert line(cost, "Vpc", "private endpoints").quantity == 2 * HOURS
    assert line(cost, "Vpc", "NAT data processed").quantity == pytest.approx(100 * 60 * HOURS * 1024 * 1024 / 1e9)
    assert line(cost, "Vpc", "NAT gateways").quantity == 2 * HOURS
    assert cost.unpriced == []


def test_a_failing_rule_names_the_rule_and_the_resource(monkeypatch: pytest.MonkeyPatch) -> None:
    book = price_book("aws")
    broken = Rule.model_validate(
        {"type": "aws:ec2/eip:Eip", "item": "x", "quantity": "inputs.missing * 2", "unit": "h", "unitPrice": "1"}
    )
    monkeypatch.setattr("bettafish.cost.estimate.price_book", lambda cloud: book.model_copy(update={"rules": [broken]}))
    address: Child = ("aws:ec2/eip:Eip", "prod-net-nat-a", {})
    with pytest.raises(
        PricingError, match=r"price rule for aws:ec2/eip:Eip \(quantity\) on prod-net-nat-a: .*TypeError"
    ):
        priced("aws", recording("bettafish:network:Vpc", "prod-net", address))


def test_a_rule_either_prices_or_is_free() -> None:
    with pytest.raises(ValueError, match="needs item, quantity, unit and unitPrice"):
        Rule.model_validate({"type": "aws:ec2/eip:Eip", "item": "x"})
    with pytest.raises(ValueError, match="a free rule has no item"):
        Rule.model_validate({"type": "aws:ec2/eip:Eip", "free": True, "item": "x"})
