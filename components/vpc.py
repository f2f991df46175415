"""The private network: tiers of subnets over three zones, NAT egress and the traffic flows."""

from __future__ import annotations

from dataclasses import dataclass
from ipaddress import IPv4Network
from typing import ClassVar

import pulumi

from bettafish.config.network import Network
from components.base import DeployContext, NeutralComponent
from components.keys import Keys


@dataclass(frozen=True)
class VpcArgs:
    network: Network
    keys: Keys
    """The stack's customer-managed keys: flow logs are encrypted with the ``logs`` key (security rule 39)."""
    context: DeployContext
    pod_cidr: IPv4Network | None = None
    """Kubernetes pod addresses (``kubernetes.podCidr``), outside the network's own ranges; GCP adds
    it to the private subnetwork as the ``pods`` secondary range that VPC-native GKE draws from."""
    service_cidr: IPv4Network | None = None
    """Kubernetes service addresses (``kubernetes.serviceCidr``); on GCP the ``services`` secondary range."""


class Vpc(NeutralComponent):
    """``bettafish:network:Vpc``: public, private and database tiers with NAT egress.

    AWS builds one subnet per tier per zone; GCP and Azure subnets are regional, so a tier there
    becomes subnets over the tier's covering range (see docs/clouds.md).
    """

    TYPE: ClassVar[str] = "bettafish:network:Vpc"
    OUTPUTS: ClassVar[tuple[str, ...]] = (
        "network_id",
        "cidr",
        "zones",
        "public_subnet_ids",
        "private_subnet_ids",
        "database_subnet_ids",
    )

    network_id: pulumi.Output[str]
    """Id of the VPC / VPC network / virtual network."""
    cidr: pulumi.Output[str]
    """The network's address space."""
    zones: pulumi.Output[list[str]]
    """The zones the tiers span, in subnet order."""
    public_subnet_ids: pulumi.Output[list[str]]
    """Subnets for internet-facing load balancers."""
    private_subnet_ids: pulumi.Output[list[str]]
    """Subnets for the application (Kubernetes nodes); egress through NAT."""
    database_subnet_ids: pulumi.Output[list[str]]
    """Where databases and caches attach: AWS the three database subnets; GCP the private services
    access range and the cache subnetwork; Azure the PostgreSQL and the cache subnet."""

    def __init__(self, name: str, args: VpcArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args.context, opts)
