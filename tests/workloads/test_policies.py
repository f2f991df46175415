"""Network policies as data (security rule 34): deny all, DNS to the cluster's resolver, and per
service only its callers in, only its callees, data services and HTTPS out."""

from __future__ import annotations

from components.workloads import policies
from components.workloads.policies import Destination


def test_default_deny_selects_every_pod_in_both_directions() -> None:
    assert policies.default_deny() == {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def test_dns_goes_to_the_cluster_resolver_only() -> None:
    (rule,) = policies.allow_dns()["egress"]
    (peer,) = rule["to"]
    assert peer["namespaceSelector"] == {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}}
    assert peer["podSelector"] == {"matchLabels": {"k8s-app": "kube-dns"}}
    assert rule["ports"] == [{"protocol": "UDP", "port": 53}, {"protocol": "TCP", "port": 53}]


def test_a_service_receives_from_its_callers_and_sends_to_its_callees_and_destinations() -> None:
    spec = policies.service_policy(
        "query-engine",
        8000,
        callers=["api-gateway"],
        callees=[("report-engine", 8000)],
        destinations=[Destination(["10.0.20.0/23"], [6379, (11000, 13047)])],
        ingress_from=[],
    )
    assert spec["podSelector"] == {"matchLabels": {"app.kubernetes.io/name": "query-engine"}}
    assert spec["ingress"] == [
        {
            "from": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "api-gateway"}}}],
            "ports": [{"protocol": "TCP", "port": 8000}],
        }
    ]
    assert spec["egress"] == [
        {
            "to": [{"podSelector": {"matchLabels": {"app.kubernetes.io/name": "report-engine"}}}],
            "ports": [{"protocol": "TCP", "port": 8000}],
        },
        {
            "to": [{"ipBlock": {"cidr": "10.0.20.0/23"}}],
            "ports": [{"protocol": "TCP", "port": 6379}, {"protocol": "TCP", "port": 11000, "endPort": 13047}],
        },
    ]


def test_a_service_nobody_calls_receives_nothing() -> None:
    spec = policies.service_policy("report-engine", 8000, [], [], [], [])
    assert spec["ingress"] == []
    assert spec["policyTypes"] == ["Ingress", "Egress"]
