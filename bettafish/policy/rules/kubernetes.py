"""Rules 20-24: the managed Kubernetes control plane and node pools (EKS, GKE, AKS)."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from bettafish.policy.model import Finding, Hit, Resource, Stack, as_list, is_set, number, truthy
from bettafish.policy.rule import Rule, Setting
from bettafish.policy.rules.common import public_subnets, subnets_of
from bettafish.policy.tokens import AKS, AP, DIAGNOSTIC_SETTING, EKS, GKE, LAUNCH_TEMPLATE, NODE_GROUP, NODE_POOL

WORLD = ("0.0.0.0/0", "::/0")

PRIVATE_API = Rule(20, "kubernetes-private-api", "Private Kubernetes API")


def limited(cidrs: list[Any]) -> bool:
    return bool(cidrs) and not any(c in WORLD for c in cidrs)


@PRIVATE_API.on(EKS, GKE, AKS)
def _private_api(cluster: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if cluster.type == EKS:
        if cluster.get("vpcConfig.endpointPrivateAccess") is not True:
            yield Finding("vpcConfig.endpointPrivateAccess", "must be true")
        public = cluster.get("vpcConfig.endpointPublicAccess")
        if public is not False and not limited(as_list(cluster.get("vpcConfig.publicAccessCidrs"))):
            yield Finding(
                "vpcConfig.endpointPublicAccess", "must be false, or limited to publicAccessCidrs (not 0.0.0.0/0)"
            )
    elif cluster.type == GKE:
        if cluster.get("privateClusterConfig.enablePrivateNodes") is not True:
            yield Finding("privateClusterConfig.enablePrivateNodes", "must be true")
        blocks = [b.get("cidrBlock") for b in as_list(cluster.get("masterAuthorizedNetworksConfig.cidrBlocks"))]
        if cluster.get("privateClusterConfig.enablePrivateEndpoint") is not True and not limited(blocks):
            yield Finding(
                "privateClusterConfig.enablePrivateEndpoint",
                "must be true, or masterAuthorizedNetworksConfig must limit the public endpoint",
            )
        if cluster.get("controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic") is True:
            yield Finding("controlPlaneEndpointsConfig.dnsEndpointConfig.allowExternalTraffic", "must be false")
    else:
        ranges = as_list(cluster.get("apiServerAccessProfile.authorizedIPRanges"))
        if cluster.get("apiServerAccessProfile.enablePrivateCluster") is not True and not limited(ranges):
            yield Finding(
                "apiServerAccessProfile.enablePrivateCluster", "must be true, or authorizedIPRanges must limit the API"
            )


SECRETS_KMS = Rule(21, "kubernetes-secrets-kms", "Kubernetes Secrets encrypted with the stack's key")


@SECRETS_KMS.on(EKS, GKE, AKS)
def _secrets_kms(cluster: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if cluster.type == EKS:
        config = cluster.get("encryptionConfig") or {}
        if "secrets" not in as_list(config.get("resources")) or not is_set(
            (config.get("provider") or {}).get("keyArn")
        ):
            yield Finding("encryptionConfig", 'resources must include "secrets" with provider.keyArn')
    elif cluster.type == GKE:
        if cluster.get("databaseEncryption.state") != "ENCRYPTED" or not is_set(
            cluster.get("databaseEncryption.keyName")
        ):
            yield Finding("databaseEncryption", 'state must be "ENCRYPTED" with keyName')
    elif cluster.get("securityProfile.azureKeyVaultKms.enabled") is not True or not is_set(
        cluster.get("securityProfile.azureKeyVaultKms.keyId")
    ):
        yield Finding("securityProfile.azureKeyVaultKms", "must be enabled with keyId")


CONTROL_PLANE_LOGS = Rule(22, "kubernetes-control-plane-logs", "Control-plane logs")
EKS_LOGS = ("api", "audit", "authenticator", "controllerManager", "scheduler")
GKE_LOGS = ("SYSTEM_COMPONENTS", "APISERVER", "CONTROLLER_MANAGER", "SCHEDULER")
AKS_LOGS = ("kube-apiserver", "kube-controller-manager", "kube-scheduler")


@CONTROL_PLANE_LOGS.across(EKS, GKE, AKS)
def _control_plane_logs(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    for cluster in stack.of_type(EKS):
        missing = sorted(set(EKS_LOGS) - set(as_list(cluster.get("enabledClusterLogTypes"))))
        if missing:
            yield Hit(cluster, "enabledClusterLogTypes", f"must include {', '.join(missing)}")
    for cluster in stack.of_type(GKE):
        missing = sorted(set(GKE_LOGS) - set(as_list(cluster.get("loggingConfig.enableComponents"))))
        if missing:
            yield Hit(cluster, "loggingConfig.enableComponents", f"must include {', '.join(missing)}")
        if not is_set(cluster.get("monitoringConfig.enableComponents")):
            yield Hit(cluster, "monitoringConfig.enableComponents", "must be set")
    for cluster in stack.of_type(AKS):
        enabled = {
            str(log.get("category"))
            for setting in stack.referencing(cluster, "resourceUri", DIAGNOSTIC_SETTING)
            for log in as_list(setting.get("logs"))
            if log.get("enabled") is True
        }
        if not enabled & {"kube-audit", "kube-audit-admin"}:
            yield Hit(cluster, "DiagnosticSetting.logs", "a diagnostic setting must send kube-audit")
        missing = sorted(set(AKS_LOGS) - enabled)
        if missing:
            yield Hit(cluster, "DiagnosticSetting.logs", f"a diagnostic setting must send {', '.join(missing)}")


HARDENING = Rule(23, "kubernetes-hardening", "Kubernetes authentication and network hardening")


@HARDENING.across(NODE_GROUP, GKE, AKS, AP)
def _hardening(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    public = public_subnets(stack)
    for group in stack.of_type(NODE_GROUP):
        for subnet in subnets_of(stack, group):
            if subnet.urn in public:
                yield Hit(group, "subnetIds", f"nodes must run in private subnets ({subnet.name} is public)")
        for template in stack.referenced(group, "launchTemplate", LAUNCH_TEMPLATE):
            if any(truthy(i.get("associatePublicIpAddress")) for i in as_list(template.get("networkInterfaces"))):
                yield Hit(group, "launchTemplate.networkInterfaces.associatePublicIpAddress", "must be false")
    for cluster in stack.of_type(GKE):
        if cluster.get("enableLegacyAbac") is not False:
            yield Hit(cluster, "enableLegacyAbac", "must be false")
        if cluster.get("masterAuth.clientCertificateConfig.issueClientCertificate") is not False:
            yield Hit(cluster, "masterAuth.clientCertificateConfig.issueClientCertificate", "must be false")
        if cluster.get("datapathProvider") != "ADVANCED_DATAPATH" and cluster.get("networkPolicy.enabled") is not True:
            yield Hit(
                cluster, "datapathProvider", "network policy must be enforced (ADVANCED_DATAPATH or networkPolicy)"
            )
    for cluster in stack.of_type(AKS):
        if cluster.get("disableLocalAccounts") is not True:
            yield Hit(cluster, "disableLocalAccounts", "must be true")
        if cluster.get("enableRBAC") is not True:
            yield Hit(cluster, "enableRBAC", "must be true")
        if not is_set(cluster.get("networkProfile.networkPolicy")):
            yield Hit(cluster, "networkProfile.networkPolicy", "must name a policy engine")
        for profile in as_list(cluster.get("agentPoolProfiles")):
            if profile.get("enableNodePublicIP") is True:
                yield Hit(cluster, "agentPoolProfiles.enableNodePublicIP", "must be false")
    for pool in stack.of_type(AP):
        if pool.get("enableNodePublicIP") is True:
            yield Hit(pool, "enableNodePublicIP", "must be false")


RESILIENT_POOLS = Rule(
    24,
    "node-pool-resilience",
    "Node pools keep at least two nodes across at least two zones; repaired and upgraded",
    settings={
        "minimumNodes": Setting(2, "nodes an on-demand pool never scales below"),
        "minimumZones": Setting(2, "zones an on-demand pool spans"),
    },
)


@RESILIENT_POOLS.across(NODE_GROUP, NODE_POOL, GKE, AKS, AP)
def _resilient_pools(stack: Stack, config: Mapping[str, Any]) -> Iterator[Hit]:
    nodes, zones = config["minimumNodes"], config["minimumZones"]
    for group in stack.of_type(NODE_GROUP):
        if group.get("capacityType") == "SPOT":
            continue  # spot groups are extra capacity beside an on-demand group
        if (number(group.get("scalingConfig.minSize")) or 0) < nodes:
            yield Hit(group, "scalingConfig.minSize", f"must be at least {nodes}")
        subnets = subnets_of(stack, group)
        spread = {s.get("availabilityZone") for s in subnets} if subnets else set(as_list(group.get("subnetIds")))
        if len(spread) < zones:
            yield Hit(group, "subnetIds", f"must span at least {zones} zones")
    for cluster in stack.of_type(GKE):
        if cluster.get("releaseChannel.channel") in (None, "UNSPECIFIED"):
            yield Hit(cluster, "releaseChannel.channel", "must name a release channel")
    for pool in stack.of_type(NODE_POOL):
        for key in ("autoRepair", "autoUpgrade"):
            if pool.get(f"management.{key}") is not True:
                yield Hit(pool, f"management.{key}", "must be true")
        if pool.get("nodeConfig.spot") is True or pool.get("nodeConfig.preemptible") is True:
            continue
        locations = as_list(pool.get("nodeLocations"))
        total = number(pool.get("autoscaling.totalMinNodeCount"))
        if total is None:
            total = (number(pool.get("autoscaling.minNodeCount")) or 0) * max(len(locations), 1)
        if total < nodes:
            yield Hit(pool, "autoscaling.totalMinNodeCount", f"must be at least {nodes}")
        if len(locations) < zones:
            yield Hit(pool, "nodeLocations", f"must list at least {zones} zones")
    for cluster in stack.of_type(AKS):
        if cluster.get("sku.tier") not in ("Standard", "Premium"):
            yield Hit(cluster, "sku.tier", 'must be "Standard" (the uptime SLA) or "Premium"')
    yield from _aks_pools(stack, nodes, zones)


def _aks_pools(stack: Stack, nodes: int, zones: int) -> Iterator[Hit]:
    """AKS pools are zonal one per zone (so the autoscaler can balance them): a logical pool is the
    group of agent pools with the same ``bettafish.io/pool`` label (or name without its zone digit)."""
    groups: dict[str, list[tuple[Resource, Mapping[str, Any]]]] = {}
    for cluster in stack.of_type(AKS):
        for profile in as_list(cluster.get("agentPoolProfiles")):
            groups.setdefault(_pool_key(profile), []).append((cluster, profile))
    for pool in stack.of_type(AP):
        groups.setdefault(_pool_key(pool.inputs), []).append((pool, pool.inputs))
    for key, members in sorted(groups.items()):
        on_demand = [(r, p) for r, p in members if p.get("scaleSetPriority") != "Spot"]
        if not on_demand:
            continue
        floor = sum(number(p.get("minCount", p.get("count"))) or 0 for _, p in on_demand)
        spread = {z for _, p in on_demand for z in as_list(p.get("availabilityZones"))}
        first = on_demand[0][0]
        if floor < nodes:
            yield Hit(first, "minCount", f"pool {key}: its zonal pools must keep at least {nodes} nodes together")
        if len(spread) < zones:
            yield Hit(first, "availabilityZones", f"pool {key}: must span at least {zones} zones")


def _pool_key(pool: Mapping[str, Any]) -> str:
    label = (pool.get("nodeLabels") or {}).get("bettafish.io/pool")
    return str(label) if label else re.sub(r"\d+$", "", str(pool.get("agentPoolName") or pool.get("name")))


RULES = (PRIVATE_API, SECRETS_KMS, CONTROL_PLANE_LOGS, HARDENING, RESILIENT_POOLS)
