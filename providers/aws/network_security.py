"""AWS traffic control: a security group per workload group with one rule per allowed flow,
the public subnets' network ACL, and the VPC's default security group stripped of all rules.

The load balancer is the CDN's origin and nothing else's: a flow ``from: internet`` admits
CloudFront's origin-facing servers only (their AWS-managed prefix list), so no client bypasses the
WAF. Viewers reach CloudFront on the flow's ports (it redirects 80 to 443); CloudFront reaches the
load balancer on 443 alone, so that is the one rule the flow gets there. One rule is also all that
fits: the prefix list weighs 55 of a security group's 60 inbound rules."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from bettafish.config.network import AclRule, Flow, Group, Network, PublicAcl
from components.base import NeutralComponent

GROUPS: tuple[Group, ...] = ("loadBalancer", "application", "database", "cache")
_SLUG = {"loadBalancer": "lb", "application": "app", "database": "db", "cache": "cache"}
CLOUDFRONT_ORIGIN_FACING = "com.amazonaws.global.cloudfront.origin-facing"
ORIGIN_HTTPS_PORT = 443
"""The load balancer's only listener, where CloudFront reaches it (``edge.cdn.originHttpsPort``)."""


def security_groups(
    parent: NeutralComponent, name: str, net: Network, vpc: aws.ec2.Vpc, tags: dict[str, str]
) -> dict[Group, aws.ec2.SecurityGroup]:
    """One security group per group; ingress only from the configured flows; egress open (spec)."""
    groups = {
        group: aws.ec2.SecurityGroup(
            f"{name}-{_SLUG[group]}",
            vpc_id=vpc.id,
            description=f"BettaFish {group} tier",
            revoke_rules_on_delete=True,
            tags={**tags, "Name": f"{name}-{_SLUG[group]}", "group": group},
            opts=parent.child(),
        )
        for group in GROUPS
    }
    for group, sg in groups.items():
        aws.vpc.SecurityGroupEgressRule(
            f"{name}-{_SLUG[group]}-egress",
            security_group_id=sg.id,
            ip_protocol="-1",
            cidr_ipv4="0.0.0.0/0",
            description="all egress",
            tags=tags,
            opts=parent.child(),
        )
    cloudfront = aws.ec2.get_managed_prefix_list_output(
        name=CLOUDFRONT_ORIGIN_FACING, opts=pulumi.InvokeOutputOptions(parent=parent)
    )
    for flow in net.flows:
        for port in flow.ports:
            if flow.source == "internet" and port != ORIGIN_HTTPS_PORT:
                continue  # viewers' HTTP ends at CloudFront, which redirects it
            aws.vpc.SecurityGroupIngressRule(
                f"{name}-{flow.name}-{port}",
                security_group_id=groups[flow.to].id,
                ip_protocol=flow.protocol,
                from_port=port,
                to_port=port,
                description=f"{flow.name}: {flow.source} to {flow.to} on {port}",
                tags=tags,
                opts=parent.child(),
                **_source(flow, net, groups, cloudfront.id),
            )
    return groups


def _source(
    flow: Flow, net: Network, groups: dict[Group, aws.ec2.SecurityGroup], cloudfront: pulumi.Output[str]
) -> dict[str, object]:
    if flow.source == "internet":
        return {"prefix_list_id": cloudfront}
    if flow.source == "network":
        return {"cidr_ipv4": str(net.cidr)}
    return {"referenced_security_group_id": groups[flow.source].id}


def public_network_acl(
    parent: NeutralComponent,
    name: str,
    acl: PublicAcl,
    vpc: aws.ec2.Vpc,
    public_subnets: list[aws.ec2.Subnet],
    tags: dict[str, str],
) -> None:
    """The stateless ACL of the public subnets, rule by rule as configured."""
    nacl = aws.ec2.NetworkAcl(
        f"{name}-public-acl",
        vpc_id=vpc.id,
        subnet_ids=[s.id for s in public_subnets],
        tags={**tags, "Name": f"{name}-public-acl"},
        opts=parent.child(),
    )
    for direction, rules in (("in", acl.inbound), ("out", acl.outbound)):
        for rule in rules:
            aws.ec2.NetworkAclRule(
                f"{name}-public-acl-{direction}-{rule.rule_no}",
                network_acl_id=nacl.id,
                egress=direction == "out",
                rule_number=rule.rule_no,
                rule_action=rule.action,
                cidr_block=str(rule.cidr),
                opts=parent.child(),
                **_acl_ports(rule),
            )


def _acl_ports(rule: AclRule) -> dict[str, object]:
    if rule.protocol == "all":
        return {"protocol": "-1", "from_port": 0, "to_port": 0}
    return {"protocol": rule.protocol, "from_port": rule.from_port, "to_port": rule.to_port}


def default_security_group(parent: NeutralComponent, name: str, vpc: aws.ec2.Vpc, tags: dict[str, str]) -> None:
    """Adopt the VPC's default security group and leave it with no rules at all."""
    aws.ec2.DefaultSecurityGroup(
        f"{name}-default-sg",
        vpc_id=vpc.id,
        ingress=[],
        egress=[],
        tags={**tags, "Name": f"{name}-default-sg-unused"},
        opts=parent.child(),
    )
