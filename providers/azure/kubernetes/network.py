"""The cluster's place in the Vpc: the API server's delegated subnet with its own NSG, and the rules
the private tier's NSG needs for Azure CNI Overlay and a VNet-integrated API server.

- Pod traffic under Azure CNI Overlay is not encapsulated, so the private subnets' NSG, which ends in
  a deny-all, must let nodes and pods reach pods (AKS documents node->pod and pod->pod, all ports);
  pods leaving the pod range are SNATed to their node, which node-to-node already allows.
- API Server VNet Integration projects the API server into a subnet delegated to AKS. Nodes reach it
  on 443 and 4443, Azure's load balancer probes it on 9988, and the API server reaches kubelets and
  webhooks on the nodes and pods (any TCP port: webhooks choose their own).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from pulumi_azure_native import network, resources

from bettafish.config.kubernetes import Kubernetes
from components.base import NeutralComponent
from providers.azure.network_security import DENY_ALL_PRIORITY, PLATFORM_PRIORITY, PRIORITY_STEP
from providers.azure.vpc import AzureVpc

API_SERVER_DELEGATION = "Microsoft.ContainerService/managedClusters"
POD_RULES_PRIORITY = PLATFORM_PRIORITY + 5 * PRIORITY_STEP
"""Above the Vpc's own platform rules on the private NSG (4000, 4010), below its deny-all (4096)."""
API_SERVER_PORTS = ["443", "4443"]
API_SERVER_PROBE_PORT = "9988"


@dataclass(frozen=True)
class ClusterNetwork:
    api_server_subnet: network.Subnet
    ready: list[pulumi.Resource]
    """What the cluster waits for: the subnet and every NSG rule it relies on."""


def cluster_network(
    parent: NeutralComponent,
    name: str,
    k8s: Kubernetes,
    vpc: AzureVpc,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
) -> ClusterNetwork:
    assert k8s.azure is not None, "checked at config time (kubernetes.azure)"
    api_cidr = str(k8s.azure.api_server_subnet)
    nodes: list[pulumi.Input[str]] = [subnet.address_prefix for subnet in vpc.subnets["private"]]
    pods = str(k8s.pod_cidr)
    # Azure rejects concurrent writes to one VNet or NSG: wait for every subnet the Vpc writes (they
    # in turn wait for the Vpc's NSG rules), then write one rule after another.
    vnet_writes: list[pulumi.Resource] = [subnet for subnets in vpc.subnets.values() for subnet in subnets]

    private_rules = _rules(
        parent,
        f"{name}-private",
        vpc.security_groups["private"].name,
        vpc.resource_group.name,
        [
            ("pods", [*nodes, pods], [pods], "*", "*", "Azure CNI Overlay: nodes and pods to pods"),
            ("apiserver", [api_cidr], [*nodes, pods], "Tcp", "*", "API server to kubelets and webhooks"),
        ],
        first_priority=POD_RULES_PRIORITY,
        after=vnet_writes,
    )
    nsg = network.NetworkSecurityGroup(
        f"{name}-apiserver-nsg", resource_group_name=rg.name, location=location, tags=tags, opts=parent.child()
    )
    public = k8s.control_plane.authorized_cidrs if not k8s.control_plane.private_endpoint else []
    api_rules = _rules(
        parent,
        f"{name}-apiserver",
        nsg.name,
        rg.name,
        [
            ("nodes", nodes, [api_cidr], "Tcp", API_SERVER_PORTS, "nodes to the API server"),
            ("azure-lb", ["AzureLoadBalancer"], [api_cidr], "Tcp", [API_SERVER_PROBE_PORT], "load balancer probes"),
            *(
                [("authorized", [str(c) for c in public], [api_cidr], "Tcp", ["443"], "controlPlane.authorizedCidrs")]
                if public
                else []
            ),
        ],
        first_priority=100,
        after=[],
        deny_all=True,
    )
    subnet = network.Subnet(
        f"{name}-apiserver",
        resource_group_name=vpc.resource_group.name,
        virtual_network_name=vpc.vnet.name,
        address_prefix=api_cidr,
        default_outbound_access=False,
        delegations=[{"name": "aks-apiserver", "service_name": API_SERVER_DELEGATION}],
        network_security_group={"id": nsg.id},
        opts=parent.child(depends_on=[api_rules[-1], *vnet_writes]),
    )
    return ClusterNetwork(api_server_subnet=subnet, ready=[subnet, private_rules[-1]])


Rule = tuple[str, list[Any], list[Any], str, Any, str]
"""(name, sources, destinations, protocol, ports ("*" or a list), description)."""


def _rules(
    parent: NeutralComponent,
    prefix: str,
    nsg_name: pulumi.Input[str],
    rg_name: pulumi.Input[str],
    rules: list[Rule],
    *,
    first_priority: int,
    after: list[pulumi.Resource],
    deny_all: bool = False,
) -> list[network.SecurityRule]:
    """Inbound allow rules written one after another (plus a final deny-all), each waiting for ``after``."""
    args: list[tuple[str, dict[str, Any]]] = [
        (
            f"{prefix}-allow-{rule_name}",
            {
                "priority": first_priority + PRIORITY_STEP * i,
                "access": "Allow",
                "protocol": protocol,
                **_prefixes("source", sources),
                **_prefixes("destination", destinations),
                **({"destination_port_range": "*"} if ports == "*" else {"destination_port_ranges": ports}),
                "description": description,
            },
        )
        for i, (rule_name, sources, destinations, protocol, ports, description) in enumerate(rules)
    ]
    if deny_all:
        args.append(
            (
                f"{prefix}-deny-all",
                {
                    "priority": DENY_ALL_PRIORITY,
                    "access": "Deny",
                    "protocol": "*",
                    "source_address_prefix": "*",
                    "destination_address_prefix": "*",
                    "destination_port_range": "*",
                    "description": "deny all other inbound traffic, including the rest of the virtual network",
                },
            )
        )
    written: list[network.SecurityRule] = []
    for rule_name, rule_args in args:
        written.append(
            network.SecurityRule(
                rule_name,
                resource_group_name=rg_name,
                network_security_group_name=nsg_name,
                direction="Inbound",
                source_port_range="*",
                opts=parent.child(depends_on=written[-1:] or after or None),
                **rule_args,
            )
        )
    return written


def _prefixes(side: str, values: list[Any]) -> dict[str, Any]:
    """``<side>_address_prefix`` for one value (service tags such as AzureLoadBalancer are only
    accepted there), ``<side>_address_prefixes`` for several."""
    return {f"{side}_address_prefix": values[0]} if len(values) == 1 else {f"{side}_address_prefixes": values}
