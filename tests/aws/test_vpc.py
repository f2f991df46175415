"""AWS Vpc: the exact subnets, routes, NAT gateways, traffic rules, ACL and flow log."""

from __future__ import annotations

import json
from functools import cache

import pytest

from bettafish.config.checks.network_aws import acl_allows, public_tier_packets
from bettafish.config.network import AclRule
from bettafish.plan import RecordedResource, Recording
from tests.mocks import load, run_stack, stack_values

PREFIX = {"prod": "bettafish-prod-net", "staging": "bettafish-staging-net"}


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "aws")


def mine(stack: str, type_token: str) -> list[RecordedResource]:
    """The network's resources of a type (other components create log groups and roles too)."""
    return [r for r in plan(stack).of_type(type_token) if r.name.startswith(f"{PREFIX[stack]}-")]


def by_name(stack: str, suffix: str) -> dict:  # type: ignore[type-arg]
    return plan(stack).named(f"{PREFIX[stack]}-{suffix}").inputs


@pytest.mark.parametrize(
    ("suffix", "cidr", "zone"),
    [
        ("public-a", "10.0.1.0/24", "us-east-1a"),
        ("public-b", "10.0.2.0/24", "us-east-1b"),
        ("public-c", "10.0.3.0/24", "us-east-1c"),
        ("private-a", "10.0.11.0/24", "us-east-1a"),
        ("private-b", "10.0.12.0/24", "us-east-1b"),
        ("private-c", "10.0.13.0/24", "us-east-1c"),
        ("database-a", "10.0.21.0/24", "us-east-1a"),
        ("database-b", "10.0.22.0/24", "us-east-1b"),
        ("database-c", "10.0.23.0/24", "us-east-1c"),
    ],
)
def test_prod_has_the_specs_nine_subnets(suffix: str, cidr: str, zone: str) -> None:
    subnet = by_name("prod", suffix)
    assert (subnet["cidrBlock"], subnet["availabilityZone"]) == (cidr, zone)
    assert subnet["mapPublicIpOnLaunch"] is False
    assert len(mine("prod", "aws:ec2/subnet:Subnet")) == 9


def test_vpc_has_the_spec_cidr_and_dns() -> None:
    (vpc,) = plan("prod").of_type("aws:ec2/vpc:Vpc")
    assert vpc.inputs["cidrBlock"] == "10.0.0.0/16"
    assert vpc.inputs["enableDnsHostnames"] is True
    assert vpc.inputs["enableDnsSupport"] is True


@pytest.mark.parametrize(("stack", "count"), [("prod", 3), ("staging", 1)])
def test_nat_gateways_per_stack(stack: str, count: int) -> None:
    nats = plan(stack).of_type("aws:ec2/natGateway:NatGateway")
    eips = plan(stack).of_type("aws:ec2/eip:Eip")
    assert (len(nats), len(eips)) == (count, count)
    public_ids = set(plan(stack).outputs["publicSubnetIds"])
    assert all(n.inputs["subnetId"] in public_ids and n.inputs["connectivityType"] == "public" for n in nats)


def _routes(stack: str) -> dict[str, dict]:  # type: ignore[type-arg]
    return {r.name: r.inputs for r in plan(stack).of_type("aws:ec2/route:Route")}


def test_public_tier_routes_to_the_internet_gateway() -> None:
    (igw,) = plan("prod").of_type("aws:ec2/internetGateway:InternetGateway")
    route = _routes("prod")["bettafish-prod-net-public-default"]
    assert (route["destinationCidrBlock"], route["gatewayId"]) == ("0.0.0.0/0", igw.id)


def test_each_private_zone_egresses_through_its_own_nat_in_prod() -> None:
    routes = _routes("prod")
    nats = {
        n.name.removeprefix("bettafish-prod-net-nat-"): n.id
        for n in plan("prod").of_type("aws:ec2/natGateway:NatGateway")
    }
    for zone in "abc":
        assert routes[f"bettafish-prod-net-private-{zone}-default"]["natGatewayId"] == nats[zone]


def test_staging_private_zones_share_one_nat() -> None:
    routes = _routes("staging")
    targets = {routes[f"bettafish-staging-net-private-{z}-default"]["natGatewayId"] for z in "abc"}
    assert len(targets) == 1


def test_database_tier_has_no_route_to_the_internet() -> None:
    assert not [name for name in _routes("prod") if "database" in name]
    associations = mine("prod", "aws:ec2/routeTableAssociation:RouteTableAssociation")
    assert len(associations) == 9


def _ingress(stack: str) -> dict[str, dict]:  # type: ignore[type-arg]
    rules = mine(stack, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule")
    return {r.name.removeprefix(f"{PREFIX[stack]}-"): r.inputs for r in rules}


def _group_ids(stack: str) -> dict[str, str]:
    groups = plan(stack).of_type("aws:ec2/securityGroup:SecurityGroup")
    return {sg.name.removeprefix(f"{PREFIX[stack]}-"): sg.id for sg in groups}


def test_exactly_the_spec_flows_are_allowed_in() -> None:
    rules = _ingress("prod")
    groups = _group_ids("prod")
    assert set(rules) == {
        "internet-to-lb-443",
        "lb-to-app-8000",
        "ssh-from-network-22",
        "app-to-db-5432",
        "app-to-cache-6379",
    }
    # The load balancer is CloudFront's origin only: its origin-facing servers, on HTTPS (viewers'
    # port 80 ends at CloudFront, which redirects it).
    rule = rules["internet-to-lb-443"]
    assert "cidrIpv4" not in rule
    assert (rule["prefixListId"], rule["securityGroupId"], rule["fromPort"], rule["toPort"]) == (
        "pl-3b927c52",
        groups["lb"],
        443,
        443,
    )
    assert (rules["lb-to-app-8000"]["referencedSecurityGroupId"], rules["lb-to-app-8000"]["securityGroupId"]) == (
        groups["lb"],
        groups["app"],
    )
    assert rules["ssh-from-network-22"]["cidrIpv4"] == "10.0.0.0/16"
    assert rules["ssh-from-network-22"]["securityGroupId"] == groups["app"]
    assert (rules["app-to-db-5432"]["referencedSecurityGroupId"], rules["app-to-db-5432"]["securityGroupId"]) == (
        groups["app"],
        groups["db"],
    )
    assert (rules["app-to-cache-6379"]["referencedSecurityGroupId"], rules["app-to-cache-6379"]["securityGroupId"]) == (
        groups["app"],
        groups["cache"],
    )
    assert all(r["ipProtocol"] == "tcp" for r in rules.values())


def test_default_security_group_is_emptied() -> None:
    (default,) = plan("prod").of_type("aws:ec2/defaultSecurityGroup:DefaultSecurityGroup")
    assert default.inputs["ingress"] == []
    assert default.inputs["egress"] == []


def test_public_network_acl_follows_the_spec() -> None:
    (acl,) = plan("prod").of_type("aws:ec2/networkAcl:NetworkAcl")
    assert sorted(acl.inputs["subnetIds"]) == sorted(plan("prod").outputs["publicSubnetIds"])
    rules = {
        (r.inputs["egress"], r.inputs["ruleNumber"]): r.inputs
        for r in plan("prod").of_type("aws:ec2/networkAclRule:NetworkAclRule")
    }
    assert {
        (k, (v["protocol"], v["fromPort"], v["toPort"], v["ruleAction"], v["cidrBlock"])) for k, v in rules.items()
    } == {
        ((False, 90), ("-1", 0, 0, "allow", "10.0.0.0/16")),
        ((False, 100), ("tcp", 80, 80, "allow", "0.0.0.0/0")),
        ((False, 110), ("tcp", 443, 443, "allow", "0.0.0.0/0")),
        ((False, 120), ("tcp", 1024, 65535, "allow", "0.0.0.0/0")),
        ((False, 130), ("udp", 1024, 65535, "allow", "0.0.0.0/0")),
        ((True, 100), ("-1", 0, 0, "allow", "0.0.0.0/0")),
    }


def _recorded_acl(stack: str, egress: bool) -> list[AclRule]:
    """The ACL entries as planned, read back into the config's rule model."""
    rules = []
    for r in plan(stack).of_type("aws:ec2/networkAclRule:NetworkAclRule"):
        i = r.inputs
        if i["egress"] is egress:
            ports = {} if i["protocol"] == "-1" else {"fromPort": i["fromPort"], "toPort": i["toPort"]}
            protocol = "all" if i["protocol"] == "-1" else i["protocol"]
            rules.append(
                AclRule.model_validate(
                    {
                        "ruleNo": i["ruleNumber"],
                        "protocol": protocol,
                        "action": i["ruleAction"],
                        "cidr": i["cidrBlock"],
                        **ports,
                    }
                )
            )
    return rules


@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_every_flow_through_the_public_subnets_passes_the_stateless_acl(stack: str) -> None:
    """Audit (c): before, the ACL let in only 80, 443 and TCP replies, so the private tier's egress
    through NAT died on any other port (SSH to a Git host, SMTP submission, NTP, QUIC) and on UDP."""
    cfg = load(stack_values(stack, "aws"), stack)
    inbound, outbound = _recorded_acl(stack, egress=False), _recorded_acl(stack, egress=True)
    packets = list(public_tier_packets(cfg))
    assert {p[4] for p in packets} >= {
        "private egress through NAT (private subnet -> NAT gateway)",
        "flow internet-to-lb",
    }
    for direction, protocol, port, peer, purpose in packets:
        rules = inbound if direction == "inbound" else outbound
        assert acl_allows(rules, protocol, port, peer), (direction, protocol, port, str(peer), purpose)


@pytest.mark.parametrize(("stack", "days"), [("prod", 90), ("staging", 14)])
def test_flow_log_goes_to_a_retained_encrypted_log_group(stack: str, days: int) -> None:
    """Rules 26, 31 and 39: the flow log group keeps the configured days, encrypted with the logs key."""
    (flow,) = plan(stack).of_type("aws:ec2/flowLog:FlowLog")
    (group,) = mine(stack, "aws:cloudwatch/logGroup:LogGroup")
    (key,) = [k for k in plan(stack).of_type("aws:kms/key:Key") if k.name.endswith("-keys-logs")]
    assert flow.inputs["trafficType"] == "ALL"
    assert flow.inputs["logDestinationType"] == "cloud-watch-logs"
    assert flow.inputs["logDestination"].endswith(f":log-group:{group.inputs['name']}")
    assert group.inputs["retentionInDays"] == days
    assert group.inputs["kmsKeyId"] == f"arn:aws:kms:us-east-1:123456789012:key/{key.id}"


def test_the_flow_log_waits_for_its_roles_permissions() -> None:
    """Audit (g): a flow log created before its role may write shows "Access error" from the start."""
    (flow,) = plan("prod").of_type("aws:ec2/flowLog:FlowLog")
    (policy,) = mine("prod", "aws:iam/rolePolicy:RolePolicy")
    assert policy.urn in flow.options["dependsOn"]


@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_the_private_tier_reaches_s3_through_a_gateway_endpoint(stack: str) -> None:
    """Rule 37: S3 traffic of the private subnets stays inside AWS (and off the NAT gateways)."""
    (endpoint,) = plan(stack).of_type("aws:ec2/vpcEndpoint:VpcEndpoint")
    (vpc,) = plan(stack).of_type("aws:ec2/vpc:Vpc")
    private_tables = {
        r.id for r in plan(stack).of_type("aws:ec2/routeTable:RouteTable") if r.inputs["tags"]["tier"] == "private"
    }
    assert len(private_tables) == 3
    assert (endpoint.inputs["vpcId"], endpoint.inputs["serviceName"]) == (vpc.id, "com.amazonaws.us-east-1.s3")
    assert endpoint.inputs["vpcEndpointType"] == "Gateway"
    assert set(endpoint.inputs["routeTableIds"]) == private_tables
    statements = {s["Sid"]: s for s in json.loads(endpoint.inputs["policy"])["Statement"]}
    assert statements["ReadAnyBucket"]["Action"] == [
        "s3:GetObject",
        "s3:GetObjectVersion",
        "s3:GetBucketLocation",
        "s3:ListBucket",
    ]
    change = statements["ChangeOnlyThisAccountsBuckets"]
    assert (change["Action"], change["Condition"]) == ("s3:*", {"StringEquals": {"s3:ResourceAccount": "123456789012"}})


def test_flow_log_role_is_scoped_to_this_account_and_log_group() -> None:
    (role,) = mine("prod", "aws:iam/role:Role")
    (policy,) = mine("prod", "aws:iam/rolePolicy:RolePolicy")
    trust = json.loads(role.inputs["assumeRolePolicy"])["Statement"][0]
    assert trust["Principal"] == {"Service": "vpc-flow-logs.amazonaws.com"}
    assert trust["Condition"]["StringEquals"] == {"aws:SourceAccount": "123456789012"}
    statement = json.loads(policy.inputs["policy"])["Statement"][0]
    assert "*" not in statement["Resource"]
    assert "*" not in statement["Action"]
    assert all(":log-group:/bettafish/bettafish-prod-net/vpc-flow-logs" in r for r in statement["Resource"])
