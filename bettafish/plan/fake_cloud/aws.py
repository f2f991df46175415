"""AWS part of the fake cloud: ids like ``vpc-…``, ARNs, computed attributes."""

from __future__ import annotations

from typing import Any

import pulumi

from bettafish.plan.fake_cloud.common import ACCOUNT_ID, Computed, hex_digest, physical_name

_AWS_ID_PREFIX = {
    "aws:ec2/vpc:Vpc": "vpc",
    "aws:ec2/subnet:Subnet": "subnet",
    "aws:ec2/internetGateway:InternetGateway": "igw",
    "aws:ec2/natGateway:NatGateway": "nat",
    "aws:ec2/eip:Eip": "eipalloc",
    "aws:ec2/routeTable:RouteTable": "rtb",
    "aws:ec2/route:Route": "r-rtb",
    "aws:ec2/routeTableAssociation:RouteTableAssociation": "rtbassoc",
    "aws:ec2/securityGroup:SecurityGroup": "sg",
    "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": "sg",
    "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": "sgr",
    "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": "sgr",
    "aws:ec2/networkAcl:NetworkAcl": "acl",
    "aws:ec2/networkAclRule:NetworkAclRule": "nacl",
    "aws:ec2/flowLog:FlowLog": "fl",
}


CALLS: dict[str, dict[str, Any]] = {
    "aws:index/getCallerIdentity:getCallerIdentity": {
        "accountId": ACCOUNT_ID,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/deployer",
        "userId": "AIDAEXAMPLEUSERID",
        "id": ACCOUNT_ID,
    },
}
"""Answers to the AWS data sources the program reads."""


def aws_state(args: pulumi.runtime.MockResourceArgs, region: str) -> Computed:
    prefix = _AWS_ID_PREFIX.get(args.typ, args.typ.split(":")[-1].lower())
    resource_id = f"{prefix}-{hex_digest(args.typ, args.name)}"
    service = args.typ.split(":")[1].split("/")[0]
    computed: dict[str, Any] = {"tagsAll": args.inputs.get("tags", {})}
    if args.typ == "aws:ec2/eip:Eip":
        computed["publicIp"] = f"54.{int(hex_digest(args.name, length=2), 16) % 255}.10.20"
    if args.typ == "aws:iam/role:Role":
        computed["arn"] = f"arn:aws:iam::{ACCOUNT_ID}:role/{physical_name(args.name, args.inputs)}"
        computed["name"] = physical_name(args.name, args.inputs)
        return computed["name"], computed
    if args.typ == "aws:cloudwatch/logGroup:LogGroup":
        name = physical_name(args.name, args.inputs)
        computed["arn"] = f"arn:aws:logs:{region}:{ACCOUNT_ID}:log-group:{name}"
        return name, computed
    if args.typ == "aws:ec2/securityGroup:SecurityGroup":
        computed["name"] = physical_name(args.name, args.inputs)
    if args.typ == "aws:ec2/vpc:Vpc":
        computed["defaultSecurityGroupId"] = f"sg-{hex_digest(args.name, 'default')}"
        computed["mainRouteTableId"] = f"rtb-{hex_digest(args.name, 'main')}"
    computed.setdefault("arn", f"arn:aws:{service}:{region}:{ACCOUNT_ID}:{prefix}/{resource_id}")
    computed["ownerId"] = ACCOUNT_ID
    return resource_id, computed
