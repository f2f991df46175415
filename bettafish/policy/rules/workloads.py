"""Rules 33-36: what runs on the cluster. Restricted pods, default-deny network policies enforced by
a policy engine, requests, limits and pinned images, and one cloud identity per service with no
static keys and no node-role access."""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from typing import Any

from bettafish.policy.model import Finding, Hit, Resource, Stack, as_list, dig, is_set, number
from bettafish.policy.rule import Rule
from bettafish.policy.tokens import (
    ACCESS_KEY,
    AKS,
    EKS,
    EKS_ADDON,
    FEDERATED_CREDENTIAL,
    GKE,
    LAUNCH_TEMPLATE,
    NAMESPACE,
    NETWORK_POLICY,
    NODE_GROUP,
    NODE_POOL,
    POD,
    POD_IDENTITY,
    SA,
    SERVICE_ACCOUNT,
    SERVICE_ACCOUNT_KEY,
    WORKLOADS,
)

RESTRICTED_VOLUMES = {
    "configMap", "csi", "downwardAPI", "emptyDir", "ephemeral", "persistentVolumeClaim", "projected", "secret",
}  # fmt: skip
MIN_USER = 10000
"""Rule 33 asks for a user id of at least 10000 (above the host's system users)."""


def pod_spec(workload: Resource) -> Mapping[str, Any]:
    """The pod template of a workload of any kind (a CronJob's is two levels down)."""
    if workload.type == POD:
        return workload.get("spec") or {}
    if workload.type.endswith(":CronJob"):
        return workload.get("spec.jobTemplate.spec.template.spec") or {}
    return workload.get("spec.template.spec") or {}


def containers(pod: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    return [*as_list(pod.get("initContainers")), *as_list(pod.get("containers"))]


def pod_violations(pod: Mapping[str, Any]) -> list[str]:
    """What keeps a PodSpec from running under Pod Security ``restricted`` (and rule 33's user id)."""
    found: list[str] = []
    pod_context = pod.get("securityContext") or {}
    for flag in ("hostNetwork", "hostPID", "hostIPC"):
        if pod.get(flag):
            found.append(f"{flag} is set")
    for volume in as_list(pod.get("volumes")):
        kinds = set(volume) - {"name"}
        if not kinds <= RESTRICTED_VOLUMES:
            found.append(f"volume {volume.get('name')} is {sorted(kinds)}")
    for container in containers(pod):
        context = container.get("securityContext") or {}
        name = container.get("name")

        def setting(key: str, context: Mapping[str, Any] = context) -> Any:
            return context.get(key, pod_context.get(key))

        if context.get("privileged"):
            found.append(f"{name}: privileged")
        if context.get("allowPrivilegeEscalation") is not False:
            found.append(f"{name}: allowPrivilegeEscalation is not false")
        if setting("runAsNonRoot") is not True:
            found.append(f"{name}: runAsNonRoot is not true")
        if (number(setting("runAsUser")) or 0) < MIN_USER:
            found.append(f"{name}: runAsUser below {MIN_USER}")
        if context.get("readOnlyRootFilesystem") is not True:
            found.append(f"{name}: root filesystem is writable")
        capabilities = context.get("capabilities") or {}
        if capabilities.get("drop") != ["ALL"] or capabilities.get("add"):
            found.append(f"{name}: capabilities are not exactly drop ALL")
        if (setting("seccompProfile") or {}).get("type") not in ("RuntimeDefault", "Localhost"):
            found.append(f"{name}: no RuntimeDefault seccomp profile")
        if any(port.get("hostPort") for port in as_list(container.get("ports"))):
            found.append(f"{name}: hostPort")
    return found


RESTRICTED = Rule(33, "pods-restricted", "Pods run restricted")


@RESTRICTED.on(NAMESPACE, *WORKLOADS)
def _restricted(resource: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if resource.type == NAMESPACE:
        labels = resource.get("metadata.labels") or {}
        if labels.get("pod-security.kubernetes.io/enforce") != "restricted":
            yield Finding("metadata.labels", "pod-security.kubernetes.io/enforce must be restricted")
        return
    for problem in pod_violations(pod_spec(resource)):
        yield Finding("securityContext", problem)


DEFAULT_DENY = Rule(34, "network-policies-default-deny", "Default-deny network policy, enforced by a policy engine")


def _denies_all(policy: Resource) -> bool:
    spec = policy.get("spec") or {}
    return (
        spec.get("podSelector") == {}
        and {"Ingress", "Egress"} <= set(as_list(spec.get("policyTypes")))
        and not spec.get("ingress")
        and not spec.get("egress")
    )


def _vpc_cni_enforces(addon: Resource) -> bool:
    try:
        values = json.loads(str(addon.get("configurationValues") or "{}"))
    except json.JSONDecodeError:
        return False
    return str(values.get("enableNetworkPolicy")).lower() == "true"


@DEFAULT_DENY.across(NAMESPACE, NETWORK_POLICY, EKS, GKE, AKS)
def _default_deny(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    policies = stack.of_type(NETWORK_POLICY)
    for namespace in stack.of_type(NAMESPACE):
        name = namespace.get("metadata.name")
        if not any(p.get("metadata.namespace") == name and _denies_all(p) for p in policies):
            yield Hit(
                namespace, "NetworkPolicy", "needs a default-deny policy (podSelector {}, Ingress and Egress, no rules)"
            )
    for policy in policies:
        spec = policy.get("spec") or {}
        if any(not is_set(rule.get("from")) for rule in as_list(spec.get("ingress"))):
            yield Hit(policy, "spec.ingress", "a rule without from admits every source")
        if any(not is_set(rule.get("to")) for rule in as_list(spec.get("egress"))):
            yield Hit(policy, "spec.egress", "a rule without to reaches every destination")
    for cluster in stack.of_type(EKS):
        addons = [a for a in stack.of_type(EKS_ADDON) if a.get("addonName") == "vpc-cni"]
        if not any(_vpc_cni_enforces(a) for a in addons):
            yield Hit(cluster, "vpc-cni", "the VPC CNI add-on must enforce network policies (enableNetworkPolicy)")
    for cluster in stack.of_type(GKE):
        if cluster.get("datapathProvider") != "ADVANCED_DATAPATH" and cluster.get("networkPolicy.enabled") is not True:
            yield Hit(cluster, "datapathProvider", "Dataplane V2 (ADVANCED_DATAPATH) must enforce network policies")
    for cluster in stack.of_type(AKS):
        if cluster.get("networkProfile.networkPolicy") not in ("cilium", "azure", "calico"):
            yield Hit(cluster, "networkProfile.networkPolicy", "must name an engine (cilium, azure, calico)")


RESOURCES_AND_IMAGES = Rule(35, "containers-sized-and-pinned", "Requests, limits and pinned images on every container")


def pinned(image: str) -> bool:
    if "@sha256:" in image:
        return True
    name = image.rsplit("/", 1)[-1]
    return ":" in name and name.rsplit(":", 1)[-1] not in ("", "latest")


@RESOURCES_AND_IMAGES.on(*WORKLOADS)
def _sized_and_pinned(workload: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    for container in containers(pod_spec(workload)):
        name = container.get("name")
        for kind in ("requests", "limits"):
            for resource in ("cpu", "memory"):
                if not is_set(dig(container, f"resources.{kind}.{resource}")):
                    yield Finding(f"{name}.resources.{kind}.{resource}", "must be set")
        image = str(container.get("image", ""))
        if not pinned(image):
            yield Finding(f"{name}.image", f"must carry a tag or digest other than latest (got {image or 'none'})")


OWN_IDENTITY = Rule(36, "workload-identity", "Each service its own cloud identity; no static keys, no node-role access")


@OWN_IDENTITY.across(LAUNCH_TEMPLATE, NODE_GROUP, NODE_POOL, GKE, AKS, SA, *WORKLOADS)
def _own_identity(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    yield from _nodes_keep_their_role(stack)
    for key in stack.of_type(ACCESS_KEY, SERVICE_ACCOUNT_KEY):
        yield Hit(key, "(static key)", "no long-lived access keys: workloads use their cloud identity")
    for account in stack.of_type(SA):
        if account.get("allowSharedKeyAccess") is not False:
            yield Hit(account, "allowSharedKeyAccess", "must be false (Entra ID, not account keys)")
    yield from _one_account_per_workload(stack)


def _nodes_keep_their_role(stack: Stack) -> Iterator[Hit]:
    for template in stack.of_type(LAUNCH_TEMPLATE):
        if template.get("metadataOptions.httpTokens") != "required":
            yield Hit(template, "metadataOptions.httpTokens", 'must be "required" (IMDSv2)')
        if number(template.get("metadataOptions.httpPutResponseHopLimit")) != 1:
            yield Hit(
                template, "metadataOptions.httpPutResponseHopLimit", "must be 1 (pods cannot reach the node role)"
            )
    for group in stack.of_type(NODE_GROUP):
        if not is_set(group.get("launchTemplate")):
            yield Hit(group, "launchTemplate", "must use a launch template with IMDSv2 and hop limit 1")
    for pool in stack.of_type(NODE_POOL):
        if pool.get("nodeConfig.workloadMetadataConfig.mode") != "GKE_METADATA":
            yield Hit(pool, "nodeConfig.workloadMetadataConfig.mode", 'must be "GKE_METADATA"')
    for cluster in stack.of_type(GKE):
        if not is_set(cluster.get("workloadIdentityConfig.workloadPool")):
            yield Hit(cluster, "workloadIdentityConfig.workloadPool", "must turn Workload Identity on")
    for cluster in stack.of_type(AKS):
        if cluster.get("securityProfile.workloadIdentity.enabled") is not True:
            yield Hit(cluster, "securityProfile.workloadIdentity.enabled", "must be true")
        if cluster.get("oidcIssuerProfile.enabled") is not True:
            yield Hit(cluster, "oidcIssuerProfile.enabled", "must be true")


def _one_account_per_workload(stack: Stack) -> Iterator[Hit]:
    seen: dict[tuple[str, str], str] = {}
    for workload in stack.of_type(*WORKLOADS):
        namespace = str(workload.get("metadata.namespace", "default"))
        account = str(pod_spec(workload).get("serviceAccountName", "default"))
        if account == "default":
            yield Hit(workload, "serviceAccountName", "must be the service's own ServiceAccount")
            continue
        if (namespace, account) in seen:
            yield Hit(workload, "serviceAccountName", f"{account} is already {seen[namespace, account]}'s")
        seen[namespace, account] = workload.name
        if not _bound(stack, namespace, account):
            yield Hit(workload, "serviceAccountName", f"{namespace}/{account} is bound to no cloud identity")


def _bound(stack: Stack, namespace: str, account: str) -> bool:
    """The ServiceAccount has a cloud identity on the cluster's cloud (true off any cluster)."""
    annotations: Mapping[str, Any] = {}
    for sa in stack.of_type(SERVICE_ACCOUNT):
        if sa.get("metadata.name") == account and sa.get("metadata.namespace", "default") == namespace:
            annotations = sa.get("metadata.annotations") or {}
    if stack.of_type(EKS):
        return "eks.amazonaws.com/role-arn" in annotations or any(
            a.get("namespace") == namespace and a.get("serviceAccount") == account for a in stack.of_type(POD_IDENTITY)
        )
    if stack.of_type(GKE):
        principals = (f"[{namespace}/{account}]", f"/ns/{namespace}/sa/{account}")
        members = [str(m) for r in stack.resources for m in [r.get("member"), *as_list(r.get("members"))] if m]
        return "iam.gke.io/gcp-service-account" in annotations or any(p in m for m in members for p in principals)
    if stack.of_type(AKS):
        subject = f"system:serviceaccount:{namespace}:{account}"
        return any(c.get("subject") == subject for c in stack.of_type(FEDERATED_CREDENTIAL))
    return True


RULES = (RESTRICTED, DEFAULT_DENY, RESOURCES_AND_IMAGES, OWN_IDENTITY)
