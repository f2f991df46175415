"""Every rule catches a resource that breaks it: a real resource of the offline plan broken on
purpose (so the token and the shape are what the SDK emits), or a tiny program where no stack has the
resource yet. Each case names its rule and the property the violation must name; the unbroken plan
must not have that violation, so the case proves the breakage is what the rule sees."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace

import pytest

from bettafish.policy import tokens as t
from bettafish.policy.model import Resource, Stack
from tests.policy import programs
from tests.policy.fixtures import DELETE, edited, find, planned, swapped, violations, without

PROD = "prod"


@dataclass(frozen=True)
class Case:
    rule: int
    cloud: str
    name: str
    """The violating resource's name ends with this."""
    prop: str
    """The violation's property contains this."""
    broken: Callable[[], Stack]
    from_plan: bool = True


def plan(cloud: str) -> Stack:
    return planned(PROD, cloud)


def unprotected(cloud: str, token: str, suffix: str) -> Stack:
    stack = plan(cloud)
    target = find(stack, token, suffix)
    return swapped(stack, target, replace(target, protect=False))


def extra(stack: Stack, *added: Resource) -> Stack:
    return Stack([*stack.resources, *added])


def world_ssh(cloud: str) -> Stack:
    if cloud == "aws":
        return edited(plan(cloud), t.SG_INGRESS, "ssh-from-network-22", cidrIpv4="0.0.0.0/0")
    return edited(plan(cloud), t.NSR, "allow-ssh-from-network", sourceAddressPrefix="Internet")


def admin_policy() -> Stack:
    document = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": "*", "Resource": "*"}]}'
    return edited(plan("aws"), t.ROLE_POLICY, "db-backup", policy=document)


def unconditioned_metrics() -> Stack:
    """The services' PutMetricData on "*" without the namespace condition that narrows it."""
    document = '{"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Action": ["cloudwatch:PutMetricData"], "Resource": ["*"]}]}'
    return edited(plan("aws"), t.ROLE_POLICY, "api-gateway-metrics", policy=document)


CASES = [
    Case(1, "aws", "db-primary", "publiclyAccessible", lambda: edited(plan("aws"), t.RDS, "db-primary", publiclyAccessible=True)),
    Case(1, "gcp", "db-replica-1", "ipv4Enabled", lambda: edited(plan("gcp"), t.SQL, "db-replica-1", settings__ipConfiguration__ipv4Enabled=True)),
    Case(1, "azure", "db-primary", "publicNetworkAccess", lambda: edited(plan("azure"), t.PG, "db-primary", network__publicNetworkAccess="Enabled")),
    Case(2, "gcp", "db-primary", "encryptionKeyName", lambda: edited(plan("gcp"), t.SQL, "db-primary", encryptionKeyName=DELETE)),
    Case(2, "aws", "db-replica-2", "kmsKeyId", lambda: edited(plan("aws"), t.RDS, "db-replica-2", kmsKeyId=DELETE)),
    Case(3, "aws", "db-primary", "parameterGroupName", lambda: edited(plan("aws"), t.RDS_PARAMETERS, "db-params", parameters=[{"name": "rds.force_ssl", "value": "0"}])),
    Case(3, "gcp", "db-primary", "sslMode", lambda: edited(plan("gcp"), t.SQL, "db-primary", settings__ipConfiguration__sslMode="ALLOW_UNENCRYPTED_AND_ENCRYPTED")),
    Case(3, "azure", "db-primary", "Configuration", lambda: without(plan("azure"), t.PGC, "require-secure-transport")),
    Case(4, "aws", "db-primary", "backupRetentionPeriod", lambda: edited(plan("aws"), t.RDS, "db-primary", backupRetentionPeriod=7.0)),
    Case(4, "azure", "db-primary", "geoRedundantBackup", lambda: edited(plan("azure"), t.PG, "db-primary", backup__geoRedundantBackup="Disabled")),
    Case(5, "azure", "db-primary", "highAvailability.mode", lambda: edited(plan("azure"), t.PG, "db-primary", highAvailability__mode="Disabled")),
    Case(5, "gcp", "db-primary", "availabilityType", lambda: edited(plan("gcp"), t.SQL, "db-primary", settings__availabilityType="ZONAL")),
    Case(6, "azure", "db-primary", "management lock", lambda: without(plan("azure"), t.LOCKS[0], "db-primary-lock")),
    Case(6, "aws", "db-primary", "skipFinalSnapshot", lambda: edited(plan("aws"), t.RDS, "db-primary", skipFinalSnapshot=True)),
    Case(7, "gcp", "db-primary", "databaseVersion", lambda: edited(plan("gcp"), t.SQL, "db-primary", databaseVersion="POSTGRES_14")),
    Case(7, "aws", "db-replica-1", "autoMinorVersionUpgrade", lambda: edited(plan("aws"), t.RDS, "db-replica-1", autoMinorVersionUpgrade=False)),
    Case(8, "aws", "db-primary", "enabledCloudwatchLogsExports", lambda: edited(plan("aws"), t.RDS, "db-primary", enabledCloudwatchLogsExports=["upgrade"])),
    Case(8, "azure", "db-primary", "log_connections", lambda: without(plan("azure"), t.PGC, "log-connections")),
    Case(9, "aws", "cache-redis", "atRestEncryptionEnabled", lambda: edited(plan("aws"), t.EC, "cache-redis", atRestEncryptionEnabled=False)),
    Case(10, "gcp", "cache-redis", "transitEncryptionMode", lambda: edited(plan("gcp"), t.MR_CLUSTER, "cache-redis", transitEncryptionMode="TRANSIT_ENCRYPTION_MODE_DISABLED")),
    Case(10, "azure", "cache-database", "clientProtocol", lambda: edited(plan("azure"), t.RE_DATABASE, "cache-database", clientProtocol="Plaintext")),
    Case(11, "aws", "cache-redis", "authToken", lambda: edited(plan("aws"), t.EC, "cache-redis", authToken=DELETE)),
    Case(11, "gcp", "cache-redis", "authorizationMode", lambda: edited(plan("gcp"), t.MR_CLUSTER, "cache-redis", authorizationMode="AUTH_MODE_DISABLED")),
    Case(12, "azure", "cache-redis", "publicNetworkAccess", lambda: edited(plan("azure"), t.RE, "cache-redis", publicNetworkAccess="Enabled")),
    Case(12, "aws", "cache-redis", "subnetGroupName", lambda: edited(plan("aws"), t.SUBNET, "net-database-b", mapPublicIpOnLaunch=True)),
    Case(13, "aws", "cache-redis", "multiAzEnabled", lambda: edited(plan("aws"), t.EC, "cache-redis", multiAzEnabled=False)),
    Case(13, "azure", "cache-redis", "highAvailability", lambda: edited(plan("azure"), t.RE, "cache-redis", highAvailability="Disabled")),
    Case(14, "aws", "cache-redis", "engineVersion", lambda: edited(plan("aws"), t.EC, "cache-redis", engineVersion="6.2")),
    Case(15, "aws", "store-media-content", "BucketPublicAccessBlock", lambda: without(plan("aws"), t.S3_PUBLIC_ACCESS, "store-media-content")),
    Case(15, "gcp", "store-reports", "publicAccessPrevention", lambda: edited(plan("gcp"), t.GCS, "store-reports", publicAccessPrevention="inherited")),
    Case(15, "azure", "store-logs", "allowBlobPublicAccess", lambda: edited(plan("azure"), t.SA, "store-logs", allowBlobPublicAccess=True)),
    Case(16, "aws", "store-reports", "versioningConfiguration", lambda: edited(plan("aws"), t.S3_VERSIONING, "store-reports", versioningConfiguration={"status": "Suspended"})),
    Case(16, "azure", "store-logs-blob-service", "isVersioningEnabled", lambda: edited(plan("azure"), t.BSP, "store-logs-blob-service", isVersioningEnabled=False)),
    Case(17, "aws", "store-reports", "sseAlgorithm", lambda: edited(plan("aws"), t.S3_ENCRYPTION, "store-reports", rules=[{"applyServerSideEncryptionByDefault": {"sseAlgorithm": "AES256"}}])),
    Case(17, "azure", "store-reports", "keySource", lambda: edited(plan("azure"), t.SA, "store-reports", encryption={"keySource": "Microsoft.Storage"})),
    Case(18, "aws", "store-logs", "BucketPolicy", lambda: without(plan("aws"), t.S3_POLICY, "store-logs")),
    Case(18, "azure", "store-media-content", "minimumTlsVersion", lambda: edited(plan("azure"), t.SA, "store-media-content", minimumTlsVersion="TLS1_0")),
    Case(19, "aws", "store-reports", "abortIncompleteMultipartUpload", lambda: without(plan("aws"), t.S3_LIFECYCLE, "store-reports")),
    Case(19, "gcp", "store-logs", "softDeletePolicy", lambda: edited(plan("gcp"), t.GCS, "store-logs", softDeletePolicy=DELETE)),
    Case(20, "aws", "k8s-eks", "endpointPublicAccess", lambda: edited(plan("aws"), t.EKS, "k8s-eks", vpcConfig__endpointPublicAccess=True)),
    Case(20, "azure", "k8s-cluster", "enablePrivateCluster", lambda: edited(plan("azure"), t.AKS, "k8s-cluster", apiServerAccessProfile__enablePrivateCluster=False)),
    Case(21, "gcp", "k8s-cluster", "databaseEncryption", lambda: edited(plan("gcp"), t.GKE, "k8s-cluster", databaseEncryption__state="DECRYPTED")),
    Case(22, "azure", "k8s-cluster", "DiagnosticSetting", lambda: edited(plan("azure"), t.DIAGNOSTIC_SETTING, "k8s-control-plane-logs", logs=[{"category": "kube-apiserver", "enabled": True}])),
    Case(22, "aws", "k8s-eks", "enabledClusterLogTypes", lambda: edited(plan("aws"), t.EKS, "k8s-eks", enabledClusterLogTypes=["api"])),
    Case(23, "gcp", "k8s-cluster", "enableLegacyAbac", lambda: edited(plan("gcp"), t.GKE, "k8s-cluster", enableLegacyAbac=True)),
    Case(23, "aws", "k8s-general", "subnetIds", lambda: edited(plan("aws"), t.SUBNET, "net-private-a", mapPublicIpOnLaunch=True)),
    Case(24, "gcp", "k8s-memory", "nodeLocations", lambda: edited(plan("gcp"), t.NODE_POOL, "k8s-memory", nodeLocations=["us-east1-b"])),
    Case(24, "azure", "k8s-general1", "minCount", lambda: edited(edited(edited(plan("azure"), t.AP, "k8s-general1", minCount=0.0), t.AP, "k8s-general2", minCount=0.0), t.AP, "k8s-general3", minCount=1.0)),
    Case(25, "aws", "ssh-from-network-22", "ingress", lambda: world_ssh("aws")),
    Case(25, "azure", "allow-ssh-from-network", "destinationPortRanges", lambda: world_ssh("azure")),
    Case(26, "aws", "net-default-sg", "ingress/egress", lambda: edited(plan("aws"), t.DEFAULT_SG, "net-default-sg", ingress=[{"protocol": "-1", "fromPort": 0, "toPort": 0, "self": True}])),
    Case(26, "gcp", "net-private", "logConfig", lambda: edited(plan("gcp"), t.SUBNETWORK, "net-private", logConfig=DELETE)),
    Case(27, "aws", "cdn", "viewerProtocolPolicy", programs.open_cloudfront, from_plan=False),
    Case(27, "aws", "cdn", "originProtocolPolicy", programs.open_cloudfront, from_plan=False),
    Case(28, "aws", "cdn", "webAclId", programs.open_cloudfront, from_plan=False),
    Case(29, "aws", "keys-storage", "enableKeyRotation", lambda: edited(plan("aws"), t.KMS, "keys-storage", enableKeyRotation=False)),
    Case(29, "gcp", "keys-storage", "rotationPeriod", lambda: edited(plan("gcp"), t.CK, "keys-storage", rotationPeriod="31536000s")),
    Case(29, "azure", "keys-vault", "enablePurgeProtection", lambda: edited(plan("azure"), t.KV, "keys-vault", properties__enablePurgeProtection=False)),
    Case(30, "aws", "db-backup", "policy", admin_policy),
    Case(30, "aws", "api-gateway-metrics", "policy", unconditioned_metrics),
    Case(30, "gcp", "nodes-logging-logwriter", "role", lambda: edited(plan("gcp"), "gcp:projects/iAMMember:IAMMember", "nodes-logging-logwriter", role="roles/editor")),
    Case(31, "aws", "net-flow-logs", "retentionInDays", lambda: edited(plan("aws"), t.LOG_GROUP, "net-flow-logs", retentionInDays=DELETE)),
    Case(31, "aws", "budget", "notifications", programs.silent_budget, from_plan=False),
    Case(32, "gcp", "store-logs", "forceDestroy", lambda: edited(plan("gcp"), t.GCS, "store-logs", forceDestroy=True)),
    Case(32, "aws", "db-primary", "protect", lambda: unprotected("aws", t.RDS, "db-primary")),
    Case(33, "any", "web", "securityContext", programs.careless_workload, from_plan=False),
    Case(33, "any", "apps", "metadata.labels", programs.careless_workload, from_plan=False),
    Case(34, "any", "apps", "NetworkPolicy", programs.careless_workload, from_plan=False),
    Case(34, "any", "open", "spec.ingress", programs.careless_workload, from_plan=False),
    Case(34, "gcp", "k8s-cluster", "datapathProvider", lambda: edited(plan("gcp"), t.GKE, "k8s-cluster", datapathProvider="LEGACY_DATAPATH")),
    Case(35, "any", "web", "limits.memory", programs.careless_workload, from_plan=False),
    Case(35, "any", "web", "image", programs.careless_workload, from_plan=False),
    Case(36, "aws", "k8s-nodes", "httpPutResponseHopLimit", lambda: edited(plan("aws"), t.LAUNCH_TEMPLATE, "k8s-nodes", metadataOptions__httpPutResponseHopLimit=2.0)),
    Case(36, "any", "web", "serviceAccountName", programs.careless_workload, from_plan=False),
    Case(37, "aws", "net-vpc", "VpcEndpoint", lambda: without(plan("aws"), t.VPC_ENDPOINT, "net-s3")),
    Case(37, "azure", "store-reports", "PrivateEndpoint", lambda: without(plan("azure"), t.PRIVATE_ENDPOINT, "store-reports-endpoint")),
    Case(38, "azure", "db-primary", "log_statement", lambda: without(plan("azure"), t.PGC, "log-statement")),
    Case(38, "gcp", "db-replica-2", "pgaudit", lambda: edited(plan("gcp"), t.SQL, "db-replica-2", settings__databaseFlags=[])),
    Case(39, "aws", "k8s-control-plane-logs", "kmsKeyId", lambda: edited(plan("aws"), t.LOG_GROUP, "k8s-control-plane-logs", kmsKeyId=DELETE)),
    Case(39, "aws", "store-reports", "BucketLogging", lambda: without(plan("aws"), t.S3_LOGGING, "store-reports")),
    Case(40, "aws", "keys-database", "enableKeyRotation", lambda: edited(plan("aws"), t.KMS, "keys-database", enableKeyRotation=DELETE)),
    Case(40, "gcp", "keys-database", "protectionLevel", lambda: edited(plan("gcp"), t.CK, "keys-database", versionTemplate={"algorithm": "GOOGLE_SYMMETRIC_ENCRYPTION", "protectionLevel": "SOFTWARE"})),
    Case(40, "azure", "keys-cache", "expiryTime", lambda: edited(plan("azure"), t.KV_KEY, "keys-cache", tags={})),
    Case(40, "azure", "keys-storage", "kty", lambda: edited(plan("azure"), t.KV_KEY, "keys-storage", properties__kty="RSA")),
]  # fmt: skip


def _matching(stack: Stack, case: Case) -> list[str]:
    return [
        v.line()
        for v in violations(stack, case.rule)
        if v.name.endswith(case.name) and case.prop in v.property and v.level == "mandatory"
    ]


@pytest.mark.parametrize("case", CASES, ids=lambda c: f"rule{c.rule:02d}-{c.cloud}-{c.prop}")
def test_the_rule_catches_the_broken_resource(case: Case) -> None:
    assert _matching(case.broken(), case), f"rule {case.rule} missed {case.name} {case.prop}"
    if case.from_plan:
        assert not _matching(plan(case.cloud), case), "the unbroken plan already violates it"


def test_every_rule_has_a_negative_case() -> None:
    assert sorted({c.rule for c in CASES}) == list(range(1, 41))
