"""The Workloads and Dns lines of prod on each cloud against figures worked out by hand: the load
balancer (an ALB, GKE's ingress load balancer, Application Gateway for Containers) with its
capacity from the spec's traffic, the registry, the private and public zones, DNSSEC; and the
variants the plans do not use (an HTTPS-only GKE ingress, billed certificates and signing keys)."""

from __future__ import annotations

import pytest

from bettafish.cost.estimate import estimate
from bettafish.cost.lines import Estimate
from tests.cost.synthetic import Child, line, priced, recording
from tests.mocks import load, run_stack, stack_values

HOURS = 730
REQUESTS = 500 * 0.5 * HOURS * 3600
"""The spec's 500 requests per second at the assumed 50% average load, over a month."""
THROUGH_ORIGIN_GB = REQUESTS * 8 * 1024 * 0.8 / 1e9 + REQUESTS * 2 * 1024 / 1e9
"""What the origin's load balancer carries: the CDN's misses (80% of 8 KiB responses) and the
2 KiB requests."""


def prod(cloud: str) -> Estimate:
    return estimate(run_stack("prod", cloud), load(stack_values("prod", cloud)))


def test_aws_alb_registry_zones_and_the_dnssec_key() -> None:
    aws = prod("aws")
    assert line(aws, "Workloads", "load balancer").monthly == round(HOURS * 0.0225, 2) == 16.43
    capacity = line(aws, "Workloads", "load balancer capacity")
    assert capacity.quantity == pytest.approx(THROUGH_ORIGIN_GB)
    assert capacity.monthly == round(THROUGH_ORIGIN_GB * 0.008, 2) == 45.21
    # Five repositories share the 10 GB of images; the internal zone is a private hosted zone.
    registry = line(aws, "Workloads", "registry")
    assert (registry.quantity, registry.monthly) == (10, 1.00)
    assert line(aws, "Workloads", "private zone").monthly == 0.50
    assert line(aws, "Dns", "public zone").monthly == 0.50
    assert line(aws, "Dns", "DNS queries").monthly == 10 * 0.40
    # The DNSSEC key is an asymmetric KMS key: a key-month, no rotations, not among the data keys.
    dnssec = line(aws, "Dns", "DNSSEC signing key")
    assert (dnssec.quantity, dnssec.monthly) == (1, 1.00)
    assert {item.item for item in aws.items if item.component == "Dns"} == {
        "public zone",
        "DNS queries",
        "DNSSEC signing key",
    }
    assert aws.by_component()["Workloads"] == round(16.43 + 45.21 + 0.50 + 1.00, 2)


def test_gcp_ingress_load_balancer_pays_one_price_for_its_forwarding_rules() -> None:
    gcp = prod("gcp")
    balancer = line(gcp, "Workloads", "load balancer")
    # The ingress's HTTP and HTTPS forwarding rules and the Cdn's two are within the project's
    # first five: 0.025 an hour for the four together, paid once (on the Cdn's line).
    assert (balancer.quantity, balancer.monthly) == (HOURS, 0)
    assert balancer.assumption is not None
    assert "2 forwarding rule(s)" in balancer.assumption
    assert "whose one hourly price the Cdn line pays" in balancer.assumption
    balancers = [item.monthly for item in gcp.items if item.item == "load balancer"]
    assert sorted(balancers) == [0, round(HOURS * 0.025, 2)] == [0, 18.25]
    assert line(gcp, "Cdn", "load balancer").monthly == 18.25
    assert line(gcp, "Workloads", "load balancer capacity").monthly == round(THROUGH_ORIGIN_GB * 0.008, 2)
    assert line(gcp, "Workloads", "private zone").monthly == 0.20
    assert line(gcp, "Workloads", "registry").monthly == 10 * 0.10
    assert line(gcp, "Dns", "public zone").monthly == 0.20
    assert "DNSSEC signing key" not in {item.item for item in gcp.items}


def test_azure_application_gateway_for_containers_and_the_premium_registry() -> None:
    azure = prod("azure")
    # Microsoft's own example 1: gateway 12.41, one frontend 7.30, one association 87.60.
    fixed = [item for item in azure.items if (item.component, item.item) == ("Workloads", "load balancer")]
    assert sorted(item.monthly for item in fixed) == [7.30, 12.41, 87.60]
    # Capacity units: the month's gigabytes as megabits over the hours, 2.22 Mbps each.
    capacity_units = THROUGH_ORIGIN_GB * 8000 / 2.22 / 3600
    capacity = line(azure, "Workloads", "load balancer capacity")
    assert capacity.quantity == pytest.approx(capacity_units)
    assert capacity.monthly == round(capacity_units * 0.008, 2)
    # Premium is billed per day, storage included; the registry's private endpoint and its
    # privatelink zone beside the internal zone.
    assert line(azure, "Workloads", "registry").monthly == round(HOURS / 24 * 1.667, 2) == 50.70
    assert line(azure, "Workloads", "private endpoints").monthly == round(HOURS * 0.01, 2)
    zones = [item for item in azure.items if (item.component, item.item) == ("Workloads", "private zone")]
    assert [item.monthly for item in zones] == [0.50, 0.50]
    assert line(azure, "Dns", "public zone").monthly == 0.50


def test_an_https_only_gke_ingress_has_one_forwarding_rule_at_the_same_price() -> None:
    ingress = (
        "kubernetes:networking.k8s.io/v1:Ingress",
        "prod-apps-ingress",
        {
            "metadata": {
                "annotations": {"kubernetes.io/ingress.class": "gce", "kubernetes.io/ingress.allow-http": "false"}
            },
            "spec": {},
        },
    )
    # Without a CDN in front, the ingress's forwarding rule pays the project's first-five price.
    config = load(stack_values("prod", "gcp"))
    edge = config.edge.model_copy(update={"cdn": config.edge.cdn.model_copy(update={"enabled": False})})
    no_cdn = config.model_copy(update={"edge": edge})
    cost = priced("gcp", recording("bettafish:kubernetes:Workloads", "prod-apps", ingress), no_cdn)
    balancer = line(cost, "Workloads", "load balancer")
    assert balancer.monthly == round(HOURS * 0.025, 2)
    assert balancer.assumption is not None
    assert "1 forwarding rule(s)" in balancer.assumption


@pytest.mark.parametrize(
    ("child", "unpriced"),
    [
        (
            ("aws:acm/certificate:Certificate", "prod-apps-origin", {"options": {"export": "ENABLED"}}),
            "aws:acm/certificate:Certificate",
        ),
        (
            ("aws:acm/certificate:Certificate", "prod-apps-origin", {"certificateAuthorityArn": "arn:aws:acm-pca:x"}),
            "aws:acm/certificate:Certificate",
        ),
        (("aws:kms/key:Key", "prod-apps-signer", {"keyUsage": "SIGN_VERIFY"}), "aws:kms/key:Key"),
    ],
)
def test_billed_certificates_and_signing_keys_outside_dns_are_reported_unpriced(child: Child, unpriced: str) -> None:
    cost = priced("aws", recording("bettafish:kubernetes:Workloads", "prod-apps", child))
    assert cost.unpriced == [unpriced]
    assert cost.items == []


def test_a_public_acm_certificate_is_free() -> None:
    certificate: Child = ("aws:acm/certificate:Certificate", "prod-apps-origin", {"options": {}})
    cost = priced("aws", recording("bettafish:kubernetes:Workloads", "prod-apps", certificate))
    assert (cost.unpriced, cost.items) == ([], [])
