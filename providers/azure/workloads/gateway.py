"""Application Gateway for Containers (AGC), the load balancer in front of the API gateway, deployed
"bring your own": its Azure resources are the stack's, the ALB Controller in the cluster only
programs them from the Gateway API objects (``routes``).

Why AGC: AKS's managed NGINX (application routing) lost Azure support in November 2026, and the
application routing Gateway API implementation cannot be turned on through the SDK's ManagedCluster
API version; AGC is generally available, runs outside the cluster, supports Azure CNI Overlay with
Cilium network policies, and takes a health probe per Service.

- Network: AGC joins the VNet through an association with its own subnet
  (``kubernetes.azure.ingressSubnet``, delegated to ``Microsoft.ServiceNetworking/trafficControllers``,
  exactly a /24 with CNI Overlay). Its NSG admits HTTPS from Front Door's back ends only (the
  ``AzureFrontDoor.Backend`` service tag, which Azure keeps current): Front Door reaches the origin
  over HTTPS alone, and the API route also checks the profile's ``X-Azure-FDID`` header, since the
  tag covers every customer's Front Door (``routes``). AGC's frontend cannot be a Private Link
  origin of Front Door, so the origin stays public behind these two checks. Azure's default rules
  admit the VNet and Azure's load balancer probes. AGC proxies to pod addresses directly (the overlay's
  routing domain is extended to its subnet), so the private subnets' NSG admits that subnet on the
  API gateway's port, towards the pod range.
- Frontend: an Azure-managed FQDN (``<id>.<region>.alb.azure.com``); there is no frontend IP, so the
  origin's public record is a CNAME to it.
- ALB Controller: its own identity, federated with ``azure-alb-system/alb-controller-sa``, holding
  "AppGw for Containers Configuration Manager" on this AGC only and Reader on the cluster's node
  resource group (it reads the cluster's network there), as Azure documents.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s
from pulumi_azure_native import network, resources, servicenetworking

from bettafish.config.aks_charts import aks_charts
from bettafish.config.kubernetes import Kubernetes
from components.base import NeutralComponent
from providers.azure.common import READER, grant
from providers.azure.kubernetes import AzureKubeCluster
from providers.azure.kubernetes.network import POD_RULES_PRIORITY
from providers.azure.network_security import PRIORITY_STEP
from providers.azure.vpc import AzureVpc
from providers.azure.workloads.controllers import RELEASES_NAMESPACE, controller_identity, helm_release
from providers.azure.workloads.routes import HTTPS_PORT

TRAFFIC_CONTROLLERS = "Microsoft.ServiceNetworking/trafficControllers"
AGC_CONFIGURATION_MANAGER = "fbc52c3f-28ad-4303-a892-8a056630b8f1"
"""Built-in role "AppGw for Containers Configuration Manager": the data actions the ALB Controller
needs on an AGC, which Owner and Contributor do not have."""
CONTROLLER_NAMESPACE = "azure-alb-system"
CONTROLLER_ACCOUNT = "alb-controller-sa"
FRONTEND_NAME = "origin"
CLIENT_SOURCE = "AzureFrontDoor.Backend"
"""Who may reach the frontend: Front Door's back ends (the addresses it connects to origins from)."""
INGRESS_RULE_PRIORITY = 100
PODS_RULE_PRIORITY = POD_RULES_PRIORITY + 2 * PRIORITY_STEP
"""After the cluster's two rules on the private NSG, before its deny-all (4096)."""


@dataclass(frozen=True)
class Gateway:
    traffic_controller: servicenetworking.TrafficControllerInterface
    frontend: servicenetworking.FrontendsInterface
    controller: k8s.helm.v3.Release
    ready: list[pulumi.Resource]
    """What the Gateway objects wait for: the association and the controller."""


def application_gateway(
    parent: NeutralComponent,
    name: str,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
    *,
    kubernetes: Kubernetes,
    vpc: AzureVpc,
    cluster: AzureKubeCluster,
    pod_port: int,
    issuer: pulumi.Input[str],
    subscription: pulumi.Output[str],
) -> Gateway:
    assert kubernetes.azure is not None, "checked at config time (kubernetes.azure)"
    subnet_cidr = str(kubernetes.azure.ingress_subnet)
    subnet = _ingress_subnet(parent, name, rg, location, tags, vpc, cluster, subnet_cidr)
    pods_rule = network.SecurityRule(
        f"{name}-private-allow-ingress",
        resource_group_name=vpc.resource_group.name,
        network_security_group_name=vpc.security_groups["private"].name,
        direction="Inbound",
        priority=PODS_RULE_PRIORITY,
        access="Allow",
        protocol="Tcp",
        source_address_prefix=subnet_cidr,
        source_port_range="*",
        destination_address_prefix=str(kubernetes.pod_cidr),
        destination_port_range=str(pod_port),
        description="Application Gateway for Containers to the API gateway's pods (traffic and probes)",
        # The cluster writes its rules to this NSG before it is created; one NSG write at a time.
        opts=parent.child(depends_on=[cluster.cluster]),
    )
    traffic_controller = servicenetworking.TrafficControllerInterface(
        f"{name}-agc", resource_group_name=rg.name, location=location, tags=tags, opts=parent.child()
    )
    frontend = servicenetworking.FrontendsInterface(
        f"{name}-agc-frontend",
        frontend_name=FRONTEND_NAME,
        traffic_controller_name=traffic_controller.name,
        resource_group_name=rg.name,
        location=location,
        tags=tags,
        opts=parent.child(),
    )
    association = servicenetworking.AssociationsInterface(
        f"{name}-agc-association",
        association_name="ingress",
        association_type="subnets",
        subnet={"id": subnet.id},
        traffic_controller_name=traffic_controller.name,
        resource_group_name=rg.name,
        location=location,
        tags=tags,
        opts=parent.child(depends_on=[pods_rule]),
    )
    controller = _controller(parent, name, rg, location, tags, traffic_controller, cluster, issuer, subscription)
    return Gateway(
        traffic_controller=traffic_controller,
        frontend=frontend,
        controller=controller,
        ready=[association, controller],
    )


def _ingress_subnet(
    parent: NeutralComponent,
    name: str,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
    vpc: AzureVpc,
    cluster: AzureKubeCluster,
    cidr: str,
) -> network.Subnet:
    nsg = network.NetworkSecurityGroup(
        f"{name}-ingress-nsg", resource_group_name=rg.name, location=location, tags=tags, opts=parent.child()
    )
    frontend_rule = network.SecurityRule(
        f"{name}-ingress-allow-clients",
        resource_group_name=rg.name,
        network_security_group_name=nsg.name,
        direction="Inbound",
        priority=INGRESS_RULE_PRIORITY,
        access="Allow",
        protocol="Tcp",
        source_address_prefix=CLIENT_SOURCE,
        source_port_range="*",
        destination_address_prefix="*",
        destination_port_ranges=[str(HTTPS_PORT)],
        description="Front Door to the Application Gateway for Containers frontend, over HTTPS only",
        opts=parent.child(),
    )
    return network.Subnet(
        f"{name}-ingress",
        resource_group_name=vpc.resource_group.name,
        virtual_network_name=vpc.vnet.name,
        address_prefix=cidr,
        default_outbound_access=False,
        delegations=[{"name": "agc", "service_name": TRAFFIC_CONTROLLERS}],
        network_security_group={"id": nsg.id},
        # Azure refuses concurrent writes to one VNet: after every subnet of the Vpc and the cluster's.
        opts=parent.child(depends_on=[frontend_rule, cluster.cluster]),
    )


def _controller(
    parent: NeutralComponent,
    name: str,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
    traffic_controller: servicenetworking.TrafficControllerInterface,
    cluster: AzureKubeCluster,
    issuer: pulumi.Input[str],
    subscription: pulumi.Output[str],
) -> k8s.helm.v3.Release:
    ids = controller_identity(
        parent,
        f"{name}-alb-controller",
        rg,
        location,
        tags,
        issuer=issuer,
        namespace=CONTROLLER_NAMESPACE,
        account=CONTROLLER_ACCOUNT,
    )
    node_group = pulumi.Output.all(subscription, cluster.cluster.node_resource_group).apply(
        lambda parts: f"/subscriptions/{parts[0]}/resourceGroups/{parts[1]}"
    )
    grants = [
        grant(
            parent,
            f"{name}-alb-controller-agc",
            principal_id=ids.identity.principal_id,
            role=AGC_CONFIGURATION_MANAGER,
            scope=traffic_controller.id,
            subscription=subscription,
            description="The ALB Controller programs this Application Gateway for Containers",
        ),
        grant(
            parent,
            f"{name}-alb-controller-nodes",
            principal_id=ids.identity.principal_id,
            role=READER,
            scope=node_group,
            subscription=subscription,
            description="The ALB Controller reads the cluster's network in the node resource group",
        ),
    ]
    return helm_release(
        parent,
        f"{name}-alb-controller",
        release_name="alb-controller",
        chart=aks_charts().alb_controller,
        namespace=RELEASES_NAMESPACE,
        values={
            "albController": {"namespace": CONTROLLER_NAMESPACE, "podIdentity": {"clientID": ids.identity.client_id}}
        },
        provider=cluster.provider,
        depends_on=[ids.federation, *grants],
    )
