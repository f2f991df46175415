"""Type tokens the rules key on, as pulumi-aws 7, pulumi-gcp 10, pulumi-azure-native 3 and
pulumi-kubernetes 4 register them (``tests/policy/test_tokens.py`` checks each against the SDK)."""

from __future__ import annotations

# AWS
RDS = "aws:rds/instance:Instance"
RDS_PARAMETERS = "aws:rds/parameterGroup:ParameterGroup"
RDS_SUBNETS = "aws:rds/subnetGroup:SubnetGroup"
EC = "aws:elasticache/replicationGroup:ReplicationGroup"
EC_SUBNETS = "aws:elasticache/subnetGroup:SubnetGroup"
EKS = "aws:eks/cluster:Cluster"
NODE_GROUP = "aws:eks/nodeGroup:NodeGroup"
EKS_ADDON = "aws:eks/addon:Addon"
POD_IDENTITY = "aws:eks/podIdentityAssociation:PodIdentityAssociation"
LAUNCH_TEMPLATE = "aws:ec2/launchTemplate:LaunchTemplate"
KMS = "aws:kms/key:Key"
S3 = "aws:s3/bucket:Bucket"
S3_V2 = "aws:s3/bucketV2:BucketV2"
S3_BUCKETS = (S3, S3_V2)
S3_PUBLIC_ACCESS = "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"
S3_VERSIONING = "aws:s3/bucketVersioning:BucketVersioning"
S3_ENCRYPTION = "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration"
S3_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
S3_LIFECYCLE = "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration"
S3_LOGGING = "aws:s3/bucketLogging:BucketLogging"
S3_ACL = "aws:s3/bucketAcl:BucketAcl"
VPC = "aws:ec2/vpc:Vpc"
SUBNET = "aws:ec2/subnet:Subnet"
ROUTE = "aws:ec2/route:Route"
ROUTE_TABLE = "aws:ec2/routeTable:RouteTable"
ROUTE_TABLE_ASSOCIATION = "aws:ec2/routeTableAssociation:RouteTableAssociation"
INTERNET_GATEWAY = "aws:ec2/internetGateway:InternetGateway"
SECURITY_GROUP = "aws:ec2/securityGroup:SecurityGroup"
SG_RULE = "aws:ec2/securityGroupRule:SecurityGroupRule"
SG_INGRESS = "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule"
DEFAULT_SG = "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup"
FLOW_LOG = "aws:ec2/flowLog:FlowLog"
VPC_ENDPOINT = "aws:ec2/vpcEndpoint:VpcEndpoint"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
BUDGET = "aws:budgets/budget:Budget"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
IAM_POLICY = "aws:iam/policy:Policy"
USER_POLICY = "aws:iam/userPolicy:UserPolicy"
GROUP_POLICY = "aws:iam/groupPolicy:GroupPolicy"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
ACCESS_KEY = "aws:iam/accessKey:AccessKey"
SECRET_POLICY = "aws:secretsmanager/secretPolicy:SecretPolicy"
CF = "aws:cloudfront/distribution:Distribution"
WEB_ACL = "aws:wafv2/webAcl:WebAcl"
WEB_ACL_LOGGING = "aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration"

# GCP
SQL = "gcp:sql/databaseInstance:DatabaseInstance"
MR = "gcp:redis/instance:Instance"
MR_CLUSTER = "gcp:redis/cluster:Cluster"
GCS = "gcp:storage/bucket:Bucket"
GKE = "gcp:container/cluster:Cluster"
NODE_POOL = "gcp:container/nodePool:NodePool"
FIREWALL = "gcp:compute/firewall:Firewall"
SUBNETWORK = "gcp:compute/subnetwork:Subnetwork"
CK = "gcp:kms/cryptoKey:CryptoKey"
LOG_BUCKET = "gcp:logging/projectBucketConfig:ProjectBucketConfig"
BILLING_BUDGET = "gcp:billing/budget:Budget"
SERVICE_ACCOUNT_KEY = "gcp:serviceaccount/key:Key"
SSL_POLICY = "gcp:compute/sSLPolicy:SSLPolicy"
HTTPS_PROXY = "gcp:compute/targetHttpsProxy:TargetHttpsProxy"
HTTP_PROXY = "gcp:compute/targetHttpProxy:TargetHttpProxy"
URL_MAP = "gcp:compute/uRLMap:URLMap"
BACKEND_SERVICE = "gcp:compute/backendService:BackendService"
ARMOR_POLICY = "gcp:compute/securityPolicy:SecurityPolicy"

# Azure
PG = "azure-native:dbforpostgresql:Server"
PGC = "azure-native:dbforpostgresql:Configuration"
RED = "azure-native:redis:Redis"
RE = "azure-native:redisenterprise:RedisEnterprise"
RE_DATABASE = "azure-native:redisenterprise:Database"
SA = "azure-native:storage:StorageAccount"
BSP = "azure-native:storage:BlobServiceProperties"
BLOB_CONTAINER = "azure-native:storage:BlobContainer"
MANAGEMENT_POLICY = "azure-native:storage:ManagementPolicy"
AKS = "azure-native:containerservice:ManagedCluster"
AP = "azure-native:containerservice:AgentPool"
NSG = "azure-native:network:NetworkSecurityGroup"
NSR = "azure-native:network:SecurityRule"
VNET = "azure-native:network:VirtualNetwork"
NETWORK_FLOW_LOG = "azure-native:network:FlowLog"
PRIVATE_ENDPOINT = "azure-native:network:PrivateEndpoint"
PRIVATE_DNS_ZONE_GROUP = "azure-native:network:PrivateDnsZoneGroup"
KV = "azure-native:keyvault:Vault"
KV_KEY = "azure-native:keyvault:Key"
KV_SECRET = "azure-native:keyvault:Secret"
LOCKS = (
    "azure-native:authorization:ManagementLockByScope",
    "azure-native:authorization:ManagementLockAtResourceLevel",
    "azure-native:authorization:ManagementLockAtResourceGroupLevel",
)
ROLE_ASSIGNMENT = "azure-native:authorization:RoleAssignment"
DIAGNOSTIC_SETTING = "azure-native:monitor:DiagnosticSetting"
WORKSPACE = "azure-native:operationalinsights:Workspace"
CONSUMPTION_BUDGET = "azure-native:consumption:Budget"
FEDERATED_CREDENTIAL = "azure-native:managedidentity:FederatedIdentityCredential"
AFD_PROFILE = "azure-native:cdn:Profile"
AFD_CUSTOM_DOMAIN = "azure-native:cdn:AFDCustomDomain"
AFD_ROUTE = "azure-native:cdn:Route"
AFD_SECURITY_POLICY = "azure-native:cdn:SecurityPolicy"
AFD_WAF = "azure-native:frontdoor:Policy"

# Kubernetes
NAMESPACE = "kubernetes:core/v1:Namespace"
SERVICE_ACCOUNT = "kubernetes:core/v1:ServiceAccount"
NETWORK_POLICY = "kubernetes:networking.k8s.io/v1:NetworkPolicy"
POD = "kubernetes:core/v1:Pod"
DEPLOYMENT = "kubernetes:apps/v1:Deployment"
WORKLOADS = (
    POD,
    DEPLOYMENT,
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:apps/v1:ReplicaSet",
    "kubernetes:batch/v1:Job",
    "kubernetes:batch/v1:CronJob",
)
