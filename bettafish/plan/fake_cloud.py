"""A fake cloud for offline runs: realistic ids and computed outputs per resource type, and
answers to the data sources the program reads. Shared by ``bettafish plan`` and the tests."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

import pulumi

ACCOUNT_ID = "123456789012"
SUBSCRIPTION_ID = "00000000-0000-4000-8000-000000000000"
TENANT_ID = "11111111-1111-4111-8111-111111111111"
GCP_PROJECT_NUMBER = "409871234567"

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


_AZURE_NAMESPACE = {
    "network": "Microsoft.Network",
    "storage": "Microsoft.Storage",
    "resources": "Microsoft.Resources",
    "managedidentity": "Microsoft.ManagedIdentity",
    "authorization": "Microsoft.Authorization",
}
_AZURE_NAME_KEY = {"UserAssignedIdentity": "resourceName", "StorageAccount": "accountName"}
_AZURE_CHILDREN = {
    "Subnet": ("virtualNetworkName", "virtualNetworks", "subnets"),
    "SecurityRule": ("networkSecurityGroupName", "networkSecurityGroups", "securityRules"),
    "FlowLog": ("networkWatcherName", "networkWatchers", "flowLogs"),
}
"""Azure child resources, whose ids nest under their parent's: kind -> (parent input, parent
collection, own collection)."""


def _plural(kind: str) -> str:
    word = kind[0].lower() + kind[1:]
    if word.endswith("y"):
        return word[:-1] + "ies"
    return word + ("es" if word.endswith("s") else "s")


def _uuid(*parts: str) -> str:
    digest = _hex(*parts, length=32)
    return f"{digest[:8]}-{digest[8:12]}-4{digest[13:16]}-8{digest[17:20]}-{digest[20:32]}"


def _hex(*parts: str, length: int = 17) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:length]


def _physical(name: str, inputs: dict[str, Any], key: str = "name") -> str:
    """The physical name: the one the program gave, else Pulumi-style autonaming (name + suffix)."""
    given = inputs.get(key)
    return given if isinstance(given, str) and given else f"{name}-{_hex(name, length=7)}"


class FakeCloud(pulumi.runtime.Mocks):
    """Computed outputs per type token; inputs pass through as a real provider's state would."""

    def __init__(self, region: str = "us-east-1", gcp_project: str = "bettafish-test") -> None:
        self.region = region
        self.gcp_project = gcp_project

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if not args.custom:
            return None, {}
        provider = args.typ.split(":", 1)[0]
        compute: Callable[[pulumi.runtime.MockResourceArgs], tuple[str, dict[str, Any]]] = {
            "aws": self._aws,
            "gcp": self._gcp,
            "azure-native": self._azure,
        }.get(provider, self._generic)
        resource_id, computed = compute(args)
        return resource_id, {**args.inputs, **computed}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        if args.token == "aws:index/getCallerIdentity:getCallerIdentity":
            return {
                "accountId": ACCOUNT_ID,
                "arn": f"arn:aws:iam::{ACCOUNT_ID}:user/deployer",
                "userId": "AIDAEXAMPLEUSERID",
                "id": ACCOUNT_ID,
            }, []
        if args.token == "azure-native:authorization:getClientConfig":
            return {
                "clientId": "22222222-2222-4222-8222-222222222222",
                "objectId": "33333333-3333-4333-8333-333333333333",
                "subscriptionId": SUBSCRIPTION_ID,
                "tenantId": TENANT_ID,
            }, []
        raise NotImplementedError(f"the fake cloud does not answer {args.token}")

    def _aws(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        prefix = _AWS_ID_PREFIX.get(args.typ, args.typ.split(":")[-1].lower())
        resource_id = f"{prefix}-{_hex(args.typ, args.name)}"
        service = args.typ.split(":")[1].split("/")[0]
        computed: dict[str, Any] = {"tagsAll": args.inputs.get("tags", {})}
        if args.typ == "aws:ec2/eip:Eip":
            computed["publicIp"] = f"54.{int(_hex(args.name, length=2), 16) % 255}.10.20"
        if args.typ == "aws:iam/role:Role":
            computed["arn"] = f"arn:aws:iam::{ACCOUNT_ID}:role/{_physical(args.name, args.inputs)}"
            computed["name"] = _physical(args.name, args.inputs)
            return computed["name"], computed
        if args.typ == "aws:cloudwatch/logGroup:LogGroup":
            name = _physical(args.name, args.inputs)
            computed["arn"] = f"arn:aws:logs:{self.region}:{ACCOUNT_ID}:log-group:{name}"
            return name, computed
        if args.typ == "aws:ec2/securityGroup:SecurityGroup":
            computed["name"] = _physical(args.name, args.inputs)
        if args.typ == "aws:ec2/vpc:Vpc":
            computed["defaultSecurityGroupId"] = f"sg-{_hex(args.name, 'default')}"
            computed["mainRouteTableId"] = f"rtb-{_hex(args.name, 'main')}"
        computed.setdefault("arn", f"arn:aws:{service}:{self.region}:{ACCOUNT_ID}:{prefix}/{resource_id}")
        computed["ownerId"] = ACCOUNT_ID
        return resource_id, computed

    def _gcp(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        inputs = args.inputs
        name = _physical(args.name, inputs)
        project = inputs.get("project", self.gcp_project)
        kind = args.typ.split(":")[-1]
        scope = f"regions/{inputs['region']}" if "region" in inputs else "global"
        resource_id = f"projects/{project}/{scope}/{kind[0].lower() + kind[1:]}s/{name}"
        computed: dict[str, Any] = {"name": name, "project": project}
        if args.typ == "gcp:compute/globalAddress:GlobalAddress":
            resource_id = f"projects/{project}/global/addresses/{name}"
        elif args.typ == "gcp:compute/routerNat:RouterNat":
            resource_id = f"{project}/{inputs.get('region')}/{inputs.get('router')}/{name}"
        elif args.typ == "gcp:servicenetworking/connection:Connection":
            computed["peering"] = "servicenetworking-googleapis-com"
            resource_id = f"{inputs.get('network', '')}:{inputs.get('service', '')}"
        elif args.typ == "gcp:logging/projectBucketConfig:ProjectBucketConfig":
            resource_id = f"projects/{project}/locations/{inputs.get('location')}/buckets/{inputs.get('bucketId')}"
            computed["name"] = resource_id
        elif args.typ == "gcp:logging/projectSink:ProjectSink":
            resource_id = f"projects/{project}/sinks/{name}"
            computed["writerIdentity"] = (
                f"serviceAccount:service-{GCP_PROJECT_NUMBER}@gcp-sa-logging.iam.gserviceaccount.com"
            )
        if args.typ.startswith("gcp:compute/"):
            computed["selfLink"] = f"https://www.googleapis.com/compute/v1/{resource_id}"
            computed["creationTimestamp"] = "2026-11-27T00:00:00.000-08:00"
        if args.typ == "gcp:compute/network:Network":
            computed["numericId"] = str(int(_hex(name, length=12), 16))
        if args.typ == "gcp:compute/subnetwork:Subnetwork":
            computed["gatewayAddress"] = inputs.get("ipCidrRange", "10.0.0.0/24").rsplit(".", 1)[0] + ".1"
        return resource_id, computed

    def _azure(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        inputs = args.inputs
        module, kind = args.typ.split(":")[1:]
        namespace = _AZURE_NAMESPACE.get(module, f"Microsoft.{module.title()}")
        name = _physical(args.name, inputs, _AZURE_NAME_KEY.get(kind, kind[0].lower() + kind[1:] + "Name"))
        group = inputs.get("resourceGroupName", name)
        scope = f"/subscriptions/{SUBSCRIPTION_ID}/resourceGroups/{group}"
        if args.typ == "azure-native:resources:ResourceGroup":
            resource_id = scope
        elif kind in _AZURE_CHILDREN:
            parent_key, parent_collection, collection = _AZURE_CHILDREN[kind]
            parent = inputs.get(parent_key, "parent")
            resource_id = f"{scope}/providers/{namespace}/{parent_collection}/{parent}/{collection}/{name}"
        elif args.typ == "azure-native:authorization:RoleAssignment":
            resource_id = (
                f"{inputs.get('scope', scope)}/providers/Microsoft.Authorization/roleAssignments/{_uuid(args.name)}"
            )
        else:
            resource_id = f"{scope}/providers/{namespace}/{_plural(kind)}/{name}"
        computed: dict[str, Any] = {
            "name": name,
            "type": f"{namespace}/{_plural(kind)}",
            "azureApiVersion": "2024-05-01",
        }
        identity = inputs.get("identity")
        if isinstance(identity, dict) and isinstance(identity.get("userAssignedIdentities"), list):
            computed["identity"] = {
                **identity,
                "userAssignedIdentities": {
                    uid: {"principalId": _uuid(uid, "principal"), "clientId": _uuid(uid, "client")}
                    for uid in identity["userAssignedIdentities"]
                },
            }
        if args.typ == "azure-native:managedidentity:UserAssignedIdentity":
            computed.update(
                principalId=_uuid(args.name, "principal"), clientId=_uuid(args.name, "client"), tenantId=TENANT_ID
            )
        if args.typ == "azure-native:network:PublicIPAddress":
            computed["ipAddress"] = f"20.{int(_hex(name, length=2), 16) % 255}.30.40"
        if args.typ == "azure-native:storage:StorageAccount":
            computed["primaryEndpoints"] = {"blob": f"https://{name}.blob.core.windows.net/"}
        return resource_id, computed

    def _generic(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str, dict[str, Any]]:
        return f"{args.name}-{_hex(args.typ, args.name, length=8)}", {}
