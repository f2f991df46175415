"""Network policies of the namespace (security rule 34): deny everything, then allow DNS, the calls
the services make to each other, the ingress to the API gateway, the data services each service
may reach and HTTPS to the cloud's APIs. A policy engine enforces them on every cloud (VPC CNI
network policy, GKE Dataplane V2, Cilium on AKS)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from components.workloads.manifests import APP_LABEL

Manifest = dict[str, Any]

DNS_PORT = 53


@dataclass(frozen=True)
class Destination:
    """Addresses and TCP ports a service may open connections to (a data service, a cloud API)."""

    cidrs: list[str]
    ports: list[int | tuple[int, int]]
    """Single ports or inclusive ranges."""
    except_cidrs: tuple[str, ...] = ()


def _ports(ports: list[int | tuple[int, int]], protocol: str = "TCP") -> list[Manifest]:
    out: list[Manifest] = []
    for port in ports:
        if isinstance(port, tuple):
            out.append({"protocol": protocol, "port": port[0], "endPort": port[1]})
        else:
            out.append({"protocol": protocol, "port": port})
    return out


def default_deny() -> Manifest:
    return {"podSelector": {}, "policyTypes": ["Ingress", "Egress"]}


def allow_dns() -> Manifest:
    """Every pod may ask the cluster DNS (``k8s-app: kube-dns`` on EKS, GKE and AKS alike)."""
    return {
        "podSelector": {},
        "policyTypes": ["Egress"],
        "egress": [
            {
                "to": [
                    {
                        "namespaceSelector": {"matchLabels": {"kubernetes.io/metadata.name": "kube-system"}},
                        "podSelector": {"matchLabels": {"k8s-app": "kube-dns"}},
                    }
                ],
                "ports": _ports([DNS_PORT], "UDP") + _ports([DNS_PORT]),
            }
        ],
    }


def service_policy(
    name: str,
    port: int,
    callers: list[str],
    callees: list[tuple[str, int]],
    destinations: list[Destination],
    ingress_from: list[Manifest],
) -> Manifest:
    """What one service may receive (from its callers, and ``ingress_from``) and send (to its
    callees on their ports, and to ``destinations``)."""
    ingress: list[Manifest] = []
    sources = [{"podSelector": {"matchLabels": {APP_LABEL: caller}}} for caller in callers] + ingress_from
    if sources:
        ingress.append({"from": sources, "ports": _ports([port])})
    egress: list[Manifest] = [
        {"to": [{"podSelector": {"matchLabels": {APP_LABEL: callee}}}], "ports": _ports([callee_port])}
        for callee, callee_port in callees
    ]
    for destination in destinations:
        peers = [
            {
                "ipBlock": {
                    "cidr": cidr,
                    **({"except": list(destination.except_cidrs)} if destination.except_cidrs else {}),
                }
            }
            for cidr in destination.cidrs
        ]
        egress.append({"to": peers, "ports": _ports(destination.ports)})
    return {
        "podSelector": {"matchLabels": {APP_LABEL: name}},
        "policyTypes": ["Ingress", "Egress"],
        "ingress": ingress,
        "egress": egress,
    }
