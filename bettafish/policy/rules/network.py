"""Rules 25, 26 and 37: what the internet may reach, flow logs and the default security group, and
private paths to the data services."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bettafish.policy.model import Hit, Resource, Stack, as_list, is_set, number
from bettafish.policy.rule import Rule
from bettafish.policy.rules.common import public_subnets, subnets_of
from bettafish.policy.tokens import (
    BLOB_CONTAINER,
    DEFAULT_SG,
    EC,
    EKS,
    FIREWALL,
    FLOW_LOG,
    KV,
    KV_SECRET,
    LAUNCH_TEMPLATE,
    NETWORK_FLOW_LOG,
    NSG,
    NSR,
    PG,
    PRIVATE_DNS_ZONE_GROUP,
    PRIVATE_ENDPOINT,
    RDS,
    RDS_SUBNETS,
    RE,
    SA,
    SECURITY_GROUP,
    SG_INGRESS,
    SG_RULE,
    SUBNETWORK,
    VNET,
    VPC,
    VPC_ENDPOINT,
)

WORLD_V4, WORLD_V6 = "0.0.0.0/0", "::/0"
AZURE_WORLD = ("*", "Internet", "Any", WORLD_V4, WORLD_V6)
WEB_PORTS = (80, 443)

NO_WORLD_INBOUND = Rule(25, "no-world-inbound", "Nothing open to 0.0.0.0/0 or ::/0 but 80/443 on the load balancer")


def web_only(low: Any, high: Any) -> bool:
    low_n, high_n = number(low), number(high)
    return low_n is not None and low_n == high_n and low_n in WEB_PORTS


def port_range(text: Any) -> tuple[float | None, float | None]:
    """``"443"`` -> (443, 443); ``"8500-8599"`` -> (8500, 8599); ``"*"`` -> (None, None)."""
    low, _, high = str(text).partition("-")
    return number(low), number(high or low)


def _attached_groups(stack: Stack) -> dict[str, str]:
    """Security groups that data services and nodes sit in (URN -> what)."""
    places = {
        RDS: "vpcSecurityGroupIds",
        EC: "securityGroupIds",
        EKS: "vpcConfig",
        LAUNCH_TEMPLATE: "networkInterfaces",
    }
    attached: dict[str, str] = {}
    for token, prop in places.items():
        for resource in stack.of_type(token):
            for key in (prop, "vpcSecurityGroupIds"):
                for urn in resource.property_dependencies.get(key, ()):
                    attached[urn] = resource.name
    return attached


@NO_WORLD_INBOUND.across(SG_INGRESS, SG_RULE, SECURITY_GROUP, FIREWALL, NSR, NSG)
def _no_world_inbound(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    attached = _attached_groups(stack)
    opened: list[tuple[Resource, Any, Any, Any, str]] = []  # (rule, from, to, protocol, group property)
    for rule in stack.of_type(SG_INGRESS):
        if rule.get("cidrIpv4") == WORLD_V4 or rule.get("cidrIpv6") == WORLD_V6:
            opened.append((rule, rule.get("fromPort"), rule.get("toPort"), rule.get("ipProtocol"), "securityGroupId"))
    for rule in stack.of_type(SG_RULE):
        cidrs = as_list(rule.get("cidrBlocks")) + as_list(rule.get("ipv6CidrBlocks"))
        if rule.get("type") == "ingress" and (WORLD_V4 in cidrs or WORLD_V6 in cidrs):
            opened.append((rule, rule.get("fromPort"), rule.get("toPort"), rule.get("protocol"), "securityGroupId"))
    for group in stack.of_type(SECURITY_GROUP):
        for entry in as_list(group.get("ingress")):
            cidrs = as_list(entry.get("cidrBlocks")) + as_list(entry.get("ipv6CidrBlocks"))
            if WORLD_V4 in cidrs or WORLD_V6 in cidrs:
                opened.append((group, entry.get("fromPort"), entry.get("toPort"), entry.get("protocol"), ""))
    for rule, low, high, protocol, group_prop in opened:
        if str(protocol).lower() not in ("tcp", "6") or not web_only(low, high):
            yield Hit(rule, "ingress", f"opens {protocol} {low}-{high} to the internet: only TCP 80 or 443 may be")
        groups = rule.property_dependencies.get(group_prop, ()) if group_prop else (rule.urn,)
        for urn in groups:
            if urn in attached:
                yield Hit(rule, "securityGroupId", f"opens a group {attached[urn]} sits in to the internet")
    for firewall in stack.of_type(FIREWALL):
        sources = as_list(firewall.get("sourceRanges"))
        if firewall.get("direction", "INGRESS") != "INGRESS" or not (WORLD_V4 in sources or WORLD_V6 in sources):
            continue
        for allow in as_list(firewall.get("allows")):
            ports = as_list(allow.get("ports"))
            if allow.get("protocol") != "tcp" or not ports or not all(web_only(*port_range(p)) for p in ports):
                yield Hit(firewall, "allows", f"opens {allow.get('protocol')} {ports or 'all ports'} to the internet")
    rules = [(r, r.inputs) for r in stack.of_type(NSR)]
    rules += [(g, entry) for g in stack.of_type(NSG) for entry in as_list(g.get("securityRules"))]
    for owner, entry in rules:
        sources = [entry.get("sourceAddressPrefix"), *as_list(entry.get("sourceAddressPrefixes"))]
        if entry.get("direction") != "Inbound" or entry.get("access") != "Allow" or not set(sources) & set(AZURE_WORLD):
            continue
        ports = [entry.get("destinationPortRange"), *as_list(entry.get("destinationPortRanges"))]
        ports = [p for p in ports if p is not None]
        if entry.get("protocol") != "Tcp" or not ports or not all(web_only(*port_range(p)) for p in ports):
            yield Hit(owner, "destinationPortRanges", f"opens {entry.get('protocol')} {ports} to the internet")


FLOW_LOGS = Rule(26, "flow-logs-default-deny", "Flow logs on every network; the default security group allows nothing")
PROXY_PURPOSES = (
    "REGIONAL_MANAGED_PROXY",
    "GLOBAL_MANAGED_PROXY",
    "PRIVATE_SERVICE_CONNECT",
    "INTERNAL_HTTPS_LOAD_BALANCER",
)


@FLOW_LOGS.across(VPC, SUBNETWORK, VNET)
def _flow_logs(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    for vpc in stack.of_type(VPC):
        logs = stack.referencing(vpc, "vpcId", FLOW_LOG)
        if not any(log.get("trafficType") == "ALL" for log in logs):
            yield Hit(vpc, "FlowLog", "needs a flow log of ALL traffic")
        defaults = stack.referencing(vpc, "vpcId", DEFAULT_SG)
        if not defaults:
            yield Hit(vpc, "DefaultSecurityGroup", "must be adopted with no rules (it allows traffic within itself)")
        for group in defaults:
            if group.get("ingress") != [] or group.get("egress") != []:
                yield Hit(group, "ingress/egress", "must both be empty")
    for subnetwork in stack.of_type(SUBNETWORK):
        if subnetwork.get("purpose") in PROXY_PURPOSES:
            continue  # Google refuses flow logs on proxy-only and PSC subnetworks
        if not is_set(subnetwork.get("logConfig")):
            yield Hit(subnetwork, "logConfig", "must turn VPC flow logs on")
    for network in stack.of_type(VNET):
        logs = stack.referencing(network, "targetResourceId", NETWORK_FLOW_LOG)
        if not any(log.get("enabled") is True for log in logs):
            yield Hit(network, "FlowLog", "needs an enabled virtual network flow log")


PRIVATE_PATHS = Rule(37, "data-private-paths", "Data services reached privately")


def _endpoints_to(stack: Stack, target: Resource, group: str) -> list[Resource]:
    return [
        endpoint
        for endpoint in stack.of_type(PRIVATE_ENDPOINT)
        if target.urn in endpoint.property_dependencies.get("privateLinkServiceConnections", ())
        and any(group in as_list(c.get("groupIds")) for c in as_list(endpoint.get("privateLinkServiceConnections")))
    ]


def _s3_gateway(endpoint: Resource) -> bool:
    return (
        str(endpoint.get("serviceName", "")).endswith(".s3") and endpoint.get("vpcEndpointType", "Gateway") == "Gateway"
    )


@PRIVATE_PATHS.across(VPC, RDS, SUBNETWORK, SA, RE, PG, KV, PRIVATE_ENDPOINT)
def _private_paths(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    for vpc in stack.of_type(VPC):
        if not any(_s3_gateway(e) for e in stack.referencing(vpc, "vpcId", VPC_ENDPOINT)):
            yield Hit(vpc, "VpcEndpoint", "needs an S3 gateway endpoint")
    public = public_subnets(stack)
    for db in stack.of_type(RDS):
        for group in stack.referenced(db, "dbSubnetGroupName", RDS_SUBNETS):
            for subnet in subnets_of(stack, group):
                if subnet.urn in public:
                    yield Hit(db, "dbSubnetGroupName", f"subnet {subnet.name} routes to an internet gateway")
    for subnetwork in stack.of_type(SUBNETWORK):
        if subnetwork.get("purpose") not in PROXY_PURPOSES and subnetwork.get("privateIpGoogleAccess") is not True:
            yield Hit(subnetwork, "privateIpGoogleAccess", "must be true")
    targets = [(a, "blob") for a in stack.of_type(SA) if stack.referencing(a, "accountName", BLOB_CONTAINER)]
    targets += [(c, "redisEnterprise") for c in stack.of_type(RE)]
    # The vaults the workloads read secrets from (the keys' vaults are reached by Azure services).
    targets += [(v, "vault") for s in stack.of_type(KV_SECRET) for v in stack.referenced(s, "vaultName", KV)]
    for target, link in targets:
        if not _endpoints_to(stack, target, link):
            yield Hit(target, "PrivateEndpoint", f"needs a private endpoint ({link})")
        if target.type == SA and target.get("publicNetworkAccess") != "Disabled":
            yield Hit(target, "publicNetworkAccess", 'must be "Disabled"')
    for vault in stack.of_type(KV):
        if vault.get("properties.networkAcls.defaultAction") != "Deny":
            yield Hit(vault, "properties.networkAcls.defaultAction", 'must be "Deny"')
    for db in stack.of_type(PG):
        for key in ("network.delegatedSubnetResourceId", "network.privateDnsZoneArmResourceId"):
            if not is_set(db.get(key)):
                yield Hit(db, key, "must be set (VNet-integrated server with its private DNS zone)")
    for endpoint in stack.of_type(PRIVATE_ENDPOINT):
        if not stack.referencing(endpoint, "privateEndpointName", PRIVATE_DNS_ZONE_GROUP):
            yield Hit(endpoint, "PrivateDnsZoneGroup", "needs a private DNS zone group so names resolve to it")


RULES = (NO_WORLD_INBOUND, FLOW_LOGS, PRIVATE_PATHS)
