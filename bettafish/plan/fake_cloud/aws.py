"""AWS part of the fake cloud: ids like ``vpc-…``, ARNs, computed attributes."""

from __future__ import annotations

from typing import Any

import pulumi

from bettafish.plan.fake_cloud.aws_cdn import cdn_state
from bettafish.plan.fake_cloud.aws_edge import edge_state
from bettafish.plan.fake_cloud.aws_operations import operations_state
from bettafish.plan.fake_cloud.common import ACCOUNT_ID, Computed, fake_uuid, hex_digest, physical_name
from bettafish.plan.fake_cloud.eks import CALLS as EKS_CALLS
from bettafish.plan.fake_cloud.eks import eks_state

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
    "aws:ec2/vpcEndpoint:VpcEndpoint": "vpce",
}

_S3_PREFIX_LISTS = {"us-east-1": "pl-63a5400a", "us-west-2": "pl-68a54001"}
"""AWS's managed prefix list of S3 per region (what a gateway endpoint's route points at)."""

_REGION_CODES = {"us-east-1": "use1", "us-east-2": "use2", "us-west-1": "usw1", "us-west-2": "usw2"}
"""ElastiCache endpoint region codes (``….use1.cache.amazonaws.com``)."""

CALLS: dict[str, dict[str, Any]] = {
    "aws:index/getCallerIdentity:getCallerIdentity": {
        "accountId": ACCOUNT_ID,
        "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/deployer",
        "userId": "AIDAEXAMPLEUSERID",
        "id": ACCOUNT_ID,
    },
    **EKS_CALLS,
}
"""Answers to the AWS data sources the program reads."""


def aws_state(args: pulumi.runtime.MockResourceArgs, region: str) -> Computed:
    # pulumi-aws 7 resources may name their own region (the DR copies do).
    region = str(args.inputs.get("region") or region)
    cluster = eks_state(args, region)
    if cluster is not None:
        return cluster[0], {"tagsAll": args.inputs.get("tags", {}), **cluster[1]}
    edge = edge_state(args, region) or cdn_state(args, region) or operations_state(args, region)
    if edge is not None:
        return edge[0], {"tagsAll": args.inputs.get("tags", {}), **edge[1]}
    data = _data_tier_state(args, region)
    if data is not None:
        return data[0], {"tagsAll": args.inputs.get("tags", {}), "region": region, **data[1]}
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
        computed["name"] = name
        return name, computed
    if args.typ == "aws:ec2/securityGroup:SecurityGroup":
        computed["name"] = physical_name(args.name, args.inputs)
    if args.typ == "aws:ec2/vpcEndpoint:VpcEndpoint":
        computed["arn"] = f"arn:aws:ec2:{region}:{ACCOUNT_ID}:vpc-endpoint/{resource_id}"
        computed["state"] = "available"
        computed["prefixListId"] = _S3_PREFIX_LISTS.get(region, f"pl-{hex_digest('pl', region, length=8)}")
    if args.typ == "aws:ec2/vpc:Vpc":
        computed["defaultSecurityGroupId"] = f"sg-{hex_digest(args.name, 'default')}"
        computed["mainRouteTableId"] = f"rtb-{hex_digest(args.name, 'main')}"
    computed.setdefault("arn", f"arn:aws:{service}:{region}:{ACCOUNT_ID}:{prefix}/{resource_id}")
    computed["ownerId"] = ACCOUNT_ID
    return resource_id, computed


def _data_tier_state(args: pulumi.runtime.MockResourceArgs, region: str) -> Computed | None:
    """Keys, RDS, AWS Backup, ElastiCache and S3: the ids and attributes those services return."""
    typ, name, inputs = args.typ, args.name, args.inputs
    arn = f"arn:aws:{{}}:{region}:{ACCOUNT_ID}:{{}}"
    if typ == "aws:kms/key:Key":
        key_id = fake_uuid(typ, name)
        return key_id, {"keyId": key_id, "arn": arn.format("kms", f"key/{key_id}")}
    if typ == "aws:kms/alias:Alias":
        return inputs["name"], {"arn": arn.format("kms", inputs["name"]), "targetKeyArn": inputs.get("targetKeyId")}
    if typ in ("aws:rds/subnetGroup:SubnetGroup", "aws:rds/parameterGroup:ParameterGroup"):
        physical = physical_name(name, inputs).lower()
        kind = "subgrp" if "subnetGroup" in typ else "pg"
        return physical, {"name": physical, "arn": arn.format("rds", f"{kind}:{physical}")}
    if typ == "aws:rds/instance:Instance":
        return _rds_instance(name, inputs, region)
    if typ == "aws:rds/instanceAutomatedBackupsReplication:InstanceAutomatedBackupsReplication":
        return arn.format("rds", f"auto-backup:ab-{hex_digest(typ, name, length=26)}"), {}
    if typ == "aws:secretsmanager/secret:Secret":
        secret = physical_name(name, inputs)
        secret_arn = arn.format("secretsmanager", f"secret:{secret}-{hex_digest(typ, name, length=6)}")
        return secret_arn, {"name": secret, "arn": secret_arn}
    if typ == "aws:secretsmanager/secretVersion:SecretVersion":
        version = fake_uuid(typ, name)
        return f"{inputs['secretId']}|{version}", {"versionId": version, "arn": inputs["secretId"]}
    if typ == "aws:backup/vault:Vault":
        physical = physical_name(name, inputs)
        return physical, {"name": physical, "arn": arn.format("backup", f"backup-vault:{physical}")}
    if typ == "aws:backup/plan:Plan":
        plan_id = fake_uuid(typ, name)
        return plan_id, {"arn": arn.format("backup", f"backup-plan:{plan_id}"), "version": hex_digest(name, length=32)}
    if typ == "aws:backup/selection:Selection":
        return fake_uuid(typ, name), {"name": physical_name(name, inputs)}
    if typ in ("aws:elasticache/subnetGroup:SubnetGroup", "aws:elasticache/parameterGroup:ParameterGroup"):
        physical = physical_name(name, inputs).lower()
        kind = "subnetgroup" if "subnetGroup" in typ else "parametergroup"
        return physical, {"name": physical, "arn": arn.format("elasticache", f"{kind}:{physical}")}
    if typ == "aws:elasticache/replicationGroup:ReplicationGroup":
        return _replication_group(name, inputs, region)
    if typ == "aws:s3/bucket:Bucket":
        bucket = physical_name(name, inputs, "bucket")
        return bucket, {
            "bucket": bucket,
            "arn": f"arn:aws:s3:::{bucket}",
            "bucketDomainName": f"{bucket}.s3.amazonaws.com",
            "bucketRegionalDomainName": f"{bucket}.s3.{region}.amazonaws.com",
            "hostedZoneId": "Z3AQBSTGFYJSTF",
        }
    if typ.startswith("aws:s3/bucket"):  # the bucket's sub-resources are known by the bucket's name
        return str(inputs["bucket"]), {}
    return None


def _rds_instance(name: str, inputs: dict[str, Any], region: str) -> Computed:
    identifier = physical_name(name, inputs, "identifier").lower()
    suffix = hex_digest("rds", ACCOUNT_ID, region, length=12)
    address = f"{identifier}.{suffix}.{region}.rds.amazonaws.com"
    port = int(inputs.get("port") or 5432)
    computed: dict[str, Any] = {
        "identifier": identifier,
        "address": address,
        "endpoint": f"{address}:{port}",
        "port": port,
        "arn": f"arn:aws:rds:{region}:{ACCOUNT_ID}:db:{identifier}",
        "resourceId": f"db-{hex_digest('dbi', name, length=26).upper()}",
        "hostedZoneId": "Z2R2ITUGPM61AM",
        "status": "available",
    }
    if inputs.get("manageMasterUserPassword"):
        secret = f"rds!db-{fake_uuid('secret', name)}"
        computed["masterUserSecrets"] = [
            {
                "secretArn": f"arn:aws:secretsmanager:{region}:{ACCOUNT_ID}:secret:{secret}-{hex_digest(secret, length=6)}",
                "kmsKeyId": inputs.get("masterUserSecretKmsKeyId", ""),
                "secretStatus": "active",
            }
        ]
    return computed["resourceId"], computed


def _replication_group(name: str, inputs: dict[str, Any], region: str) -> Computed:
    group_id = physical_name(name, inputs, "replicationGroupId").lower()
    host = f"{group_id}.{hex_digest('ec', name, length=6)}.{_REGION_CODES.get(region, region)}.cache.amazonaws.com"
    computed: dict[str, Any] = {
        "replicationGroupId": group_id,
        "arn": f"arn:aws:elasticache:{region}:{ACCOUNT_ID}:replicationgroup:{group_id}",
        "port": int(inputs.get("port") or 6379),
        "engineVersionActual": f"{inputs.get('engineVersion', '7.1')}.0",
    }
    if inputs.get("clusterMode") == "enabled":
        computed["configurationEndpointAddress"] = f"clustercfg.{host}"
        shards, replicas = int(inputs["numNodeGroups"]), int(inputs.get("replicasPerNodeGroup", 0))
        members = [f"{group_id}-{s:04d}-{n:03d}" for s in range(1, shards + 1) for n in range(1, replicas + 2)]
    else:
        computed["primaryEndpointAddress"] = f"master.{host}"
        computed["readerEndpointAddress"] = f"replica.{host}"
        members = [f"{group_id}-{n:03d}" for n in range(1, int(inputs.get("numCacheClusters", 1)) + 1)]
    computed["memberClusters"] = members
    return group_id, computed
