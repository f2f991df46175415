"""Azure: what the real APIs refuse around the workloads (see the package docstring): the container
registry, workload identity federation, Azure Managed Redis access policies, Application Gateway for
Containers, custom roles and DNS records."""

from __future__ import annotations

from collections.abc import Sequence
from ipaddress import IPv4Network
from typing import TYPE_CHECKING

from bettafish.plan.fake_cloud.constraints import Constraint, Refuses, registered, value, waits_for
from bettafish.plan.fake_cloud.constraints.aks_refs import CLUSTER, SUBNET, by_id
from bettafish.plan.fake_cloud.constraints.azure import CMK_GRANT_ERROR, waits_for_a_key_grant

if TYPE_CHECKING:
    from bettafish.plan.engine import RecordedResource

REGISTRY = "azure-native:containerregistry:Registry"
FEDERATION = "azure-native:managedidentity:FederatedIdentityCredential"
REDIS_ACCESS = "azure-native:redisenterprise:AccessPolicyAssignment"
AGC_ASSOCIATION = "azure-native:servicenetworking:AssociationsInterface"
TRAFFIC_CONTROLLERS = "Microsoft.ServiceNetworking/trafficControllers"
AGC_OVERLAY_PREFIX = 24
ACR_DOCS = "https://learn.microsoft.com/azure/container-registry"


def _premium_feature_elsewhere(registry: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    inputs = registry.inputs
    premium_only = (
        inputs.get("publicNetworkAccess") == "Disabled",
        value(inputs, "encryption.status") == "enabled",
        value(inputs, "policies.retentionPolicy.status") == "enabled",
        value(inputs, "policies.exportPolicy.status") == "disabled",
        inputs.get("zoneRedundancy") == "Enabled",
    )
    return any(premium_only) and value(inputs, "sku.name") != "Premium"


def _export_disabled_on_a_public_registry(registry: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    disabled: bool = value(registry.inputs, "policies.exportPolicy.status") == "disabled"
    return disabled and registry.inputs.get("publicNetworkAccess") != "Disabled"


def _retention_with_soft_delete(registry: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    retention: bool = value(registry.inputs, "policies.retentionPolicy.status") == "enabled"
    return retention and value(registry.inputs, "policies.softDeletePolicy.status") == "enabled"


def _registry_key_not_granted(registry: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    customer = value(registry.inputs, "encryption.status") == "enabled"
    return customer and not waits_for_a_key_grant(registry, before)


def _registry_key_without_user_identity(registry: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    if value(registry.inputs, "encryption.status") != "enabled":
        return False
    user_assigned = "UserAssigned" in str(value(registry.inputs, "identity.type", ""))
    return not user_assigned or not value(registry.inputs, "encryption.keyVaultProperties.identity")


def _not_the_default_policy(assignment: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    return assignment.inputs.get("accessPolicyName") != "default"


def _concurrent_with(keys: tuple[str, ...]) -> Refuses:
    """True when an earlier registration with the same ``keys`` is not waited for."""

    def refuses(resource: RecordedResource, before: Sequence[RecordedResource]) -> bool:
        same = [
            r for r in registered(before, resource.type) if all(r.inputs.get(k) == resource.inputs.get(k) for k in keys)
        ]
        waited = waits_for(resource, before)
        return any(r.urn not in waited for r in same)

    return refuses


def _issuer_not_https(federation: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    issuer = federation.inputs.get("issuer")
    return isinstance(issuer, str) and not issuer.startswith("https://")


def _association_subnet_unfit(association: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    subnet = by_id(before, SUBNET, value(association.inputs, "subnet.id"))
    if subnet is None:
        return False
    delegated = any(d.get("serviceName") == TRAFFIC_CONTROLLERS for d in subnet.inputs.get("delegations") or [])
    overlay = any(value(c.inputs, "networkProfile.networkPluginMode") == "overlay" for c in registered(before, CLUSTER))
    size_ok = not overlay or IPv4Network(subnet.inputs["addressPrefix"]).prefixlen == AGC_OVERLAY_PREFIX
    return not delegated or not size_ok


def _role_name_taken(role: RecordedResource, before: Sequence[RecordedResource]) -> bool:
    return any(r.inputs.get("roleName") == role.inputs.get("roleName") for r in registered(before, role.type))


def _cname_at_the_apex(record: RecordedResource, _: Sequence[RecordedResource]) -> bool:
    return record.inputs.get("recordType") == "CNAME" and record.inputs.get("relativeRecordSetName") == "@"


CONSTRAINTS: tuple[Constraint, ...] = (
    Constraint(
        id="azure-acr-premium-features",
        type=REGISTRY,
        refuses=_premium_feature_elsewhere,
        error="Private access, customer-managed keys, the retention policy, export control and zone redundancy are"
        " available in the Premium service tier only",
        doc=f"{ACR_DOCS}/container-registry-skus",
    ),
    Constraint(
        id="azure-acr-export-needs-private",
        type=REGISTRY,
        refuses=_export_disabled_on_a_public_registry,
        error="In order to disable exports, public network access must be disabled (publicNetworkAccess Disabled)",
        doc=f"{ACR_DOCS}/data-loss-prevention",
    ),
    Constraint(
        id="azure-acr-retention-or-soft-delete",
        type=REGISTRY,
        refuses=_retention_with_soft_delete,
        error="ACR doesn't allow enabling both the retention policy and the soft delete policy",
        doc=f"{ACR_DOCS}/container-registry-soft-delete-policy",
    ),
    Constraint(
        id="azure-acr-key-grant-ready",
        type=REGISTRY,
        refuses=_registry_key_not_granted,
        error=CMK_GRANT_ERROR,
        doc=f"{ACR_DOCS}/tutorial-enable-customer-managed-keys",
    ),
    Constraint(
        id="azure-acr-key-user-identity",
        type=REGISTRY,
        refuses=_registry_key_without_user_identity,
        error="A customer-managed key can be enabled only when the registry is created, through a user-assigned"
        " identity (keyVaultProperties.identity, its client id): the system-assigned one does not exist yet",
        doc=f"{ACR_DOCS}/tutorial-customer-managed-keys",
    ),
    Constraint(
        id="azure-redis-access-policy-default",
        type=REDIS_ACCESS,
        refuses=_not_the_default_policy,
        error='Name of access policy under specific access policy assignment. Only "default" policy is supported',
        doc="https://learn.microsoft.com/azure/templates/microsoft.cache/redisenterprise/databases/accesspolicyassignments",
    ),
    Constraint(
        id="azure-redis-access-policies-one-at-a-time",
        type=REDIS_ACCESS,
        refuses=_concurrent_with(("resourceGroupName", "clusterName", "databaseName")),
        error="Azure Managed Redis does not process access policy assignments of a database concurrently: the second"
        " one reaches the terminal provisioning state 'Failed' (create them one after another)",
        doc="https://github.com/Azure/azure-dev/issues/6640",
    ),
    Constraint(
        id="azure-federated-credentials-one-at-a-time",
        type=FEDERATION,
        refuses=_concurrent_with(("resourceGroupName", "resourceName")),
        error="Too many Federated Identity Credentials are written concurrently for the managed identity (409"
        " Conflict): create the credentials of one identity one after another",
        doc="https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations",
    ),
    Constraint(
        id="azure-federated-credential-issuer",
        type=FEDERATION,
        refuses=_issuer_not_https,
        error="The issuer of a federated identity credential must be an https URL (the cluster's OIDC issuer)",
        doc="https://learn.microsoft.com/entra/workload-id/workload-identity-federation-considerations",
    ),
    Constraint(
        id="azure-agc-association-subnet",
        type=AGC_ASSOCIATION,
        refuses=_association_subnet_unfit,
        error="The association subnet must be delegated to Microsoft.ServiceNetworking/trafficControllers and, with"
        " Azure CNI Overlay, be a /24 prefix: a larger or smaller prefix isn't supported",
        doc="https://learn.microsoft.com/azure/application-gateway/for-containers/container-networking",
    ),
    Constraint(
        id="azure-custom-role-name-unique",
        type="azure-native:authorization:RoleDefinition",
        refuses=_role_name_taken,
        error="RoleDefinitionWithSameNameExists: a custom role's name must be unique in the tenant",
        doc="https://learn.microsoft.com/azure/role-based-access-control/custom-roles",
    ),
    Constraint(
        id="azure-dns-cname-at-apex",
        type="azure-native:dns:RecordSet",
        refuses=_cname_at_the_apex,
        error="A CNAME record set cannot be created at the zone apex (it would conflict with the NS and SOA records)",
        doc="https://learn.microsoft.com/azure/dns/dns-zones-records",
    ),
)
