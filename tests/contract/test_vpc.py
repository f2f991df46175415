"""Vpc contract on AWS, GCP and Azure, plus the network guarantees of security rules 25 and 26."""

from __future__ import annotations

from typing import Any

from bettafish.config import StackConfig
from bettafish.plan import Recording
from components import DeployContext, Vpc, VpcArgs
from tests.contract.suite import ComponentContract
from tests.contract.test_data_tier import keys

ANYWHERE = {"0.0.0.0/0", "*", "Internet", "Any"}


def _ports(spec: Any) -> set[int]:
    """Ports named by a rule's port field(s): 80, "443", "1024-65535", "*" (as 0-65535)."""
    out: set[int] = set()
    for item in spec if isinstance(spec, list) else [spec]:
        text = str(item)
        if text in ("*", "all"):
            return set(range(65536))
        low, _, high = text.partition("-")
        out |= set(range(int(low), int(high or low) + 1))
    return out


def internet_ingress_ports(recording: Recording, cloud: str) -> set[int]:
    """Every port an allow rule opens to the whole internet."""
    ports: set[int] = set()
    for r in recording.resources:
        i = r.inputs
        if cloud == "aws" and r.type == "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule":
            if i.get("cidrIpv4") in ANYWHERE:
                ports |= set(range(int(i["fromPort"]), int(i["toPort"]) + 1))
        elif cloud == "gcp" and r.type == "gcp:compute/firewall:Firewall":
            if i.get("direction", "INGRESS") == "INGRESS" and ANYWHERE & set(i.get("sourceRanges", [])):
                for allow in i.get("allows", []):
                    ports |= _ports(allow.get("ports", ["*"]))
        elif cloud == "azure" and r.type == "azure-native:network:SecurityRule":
            sources = {i.get("sourceAddressPrefix"), *i.get("sourceAddressPrefixes", [])}
            if i["direction"] == "Inbound" and i["access"] == "Allow" and ANYWHERE & sources:
                ports |= _ports(i.get("destinationPortRanges") or i.get("destinationPortRange"))
    return ports


def flow_logged(recording: Recording, cloud: str) -> bool:
    """Whether traffic of the whole network is flow-logged."""
    if cloud == "aws":
        vpc_ids = {f.inputs.get("vpcId") for f in recording.of_type("aws:ec2/flowLog:FlowLog")}
        return vpc_ids == {recording.outputs["network_id"]}
    if cloud == "gcp":
        subnets = recording.of_type("gcp:compute/subnetwork:Subnetwork")
        return bool(subnets) and all(s.inputs.get("logConfig") for s in subnets)
    logs = recording.of_type("azure-native:network:FlowLog")
    return any(
        f.inputs.get("enabled") and f.inputs.get("targetResourceId") == recording.outputs["network_id"] for f in logs
    )


class TestVpcContract(ComponentContract):
    component = Vpc

    @staticmethod
    def make_args(config: StackConfig, context: DeployContext) -> VpcArgs:
        return VpcArgs(
            network=config.network,
            keys=keys(config, context),
            context=context,
            pod_cidr=config.kubernetes.pod_cidr,
            service_cidr=config.kubernetes.service_cidr,
        )

    def test_only_web_ports_are_open_to_the_internet(self, built: Recording, cloud: str) -> None:
        assert internet_ingress_ports(built, cloud) <= {80, 443}

    def test_network_traffic_is_flow_logged(self, built: Recording, cloud: str) -> None:
        assert flow_logged(built, cloud)

    def test_private_tier_has_nat_egress(self, built: Recording, cloud: str) -> None:
        nat_types = {
            "aws": "aws:ec2/natGateway:NatGateway",
            "gcp": "gcp:compute/routerNat:RouterNat",
            "azure": "azure-native:network:NatGateway",
        }
        assert built.of_type(nat_types[cloud])
