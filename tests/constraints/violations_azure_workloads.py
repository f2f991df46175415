"""Azure workload registrations the real APIs refuse: one small program per constraint id. Each starts
from a bare resource that breaks nothing and adds only the refused setting."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi
from pulumi_azure_native import (
    authorization,
    containerregistry,
    containerservice,
    dns,
    keyvault,
    managedidentity,
    network,
    redisenterprise,
    servicenetworking,
)

ROLE = "/subscriptions/s/providers/Microsoft.Authorization/roleDefinitions/"
CRYPTO_SERVICE_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
ISSUER = "https://eastus.oic.prod-aks.azure.com/t/c/"


def _registry(name: str = "r", opts: pulumi.ResourceOptions | None = None, **inputs: Any) -> None:
    containerregistry.Registry(name, resource_group_name="rg", opts=opts, **{"sku": {"name": "Premium"}, **inputs})


def _key_and_identity() -> tuple[keyvault.Key, managedidentity.UserAssignedIdentity]:
    key = keyvault.Key("k", key_name="k", vault_name="v", resource_group_name="rg", properties={"kty": "RSA"})
    return key, managedidentity.UserAssignedIdentity("id", resource_group_name="rg")


def _encryption(key: keyvault.Key, identity: managedidentity.UserAssignedIdentity) -> dict[str, Any]:
    return {
        "status": "enabled",
        "key_vault_properties": {"identity": identity.client_id, "key_identifier": key.key_uri},
    }


def premium_features_on_standard() -> None:
    _registry(sku={"name": "Standard"}, public_network_access="Disabled")


def export_disabled_publicly() -> None:
    _registry(policies={"export_policy": {"status": "disabled"}})


def retention_with_soft_delete() -> None:
    _registry(
        policies={
            "retention_policy": {"status": "enabled", "days": 7},
            "soft_delete_policy": {"status": "enabled", "retention_days": 7},
        }
    )


def registry_key_not_granted() -> None:
    key, identity = _key_and_identity()
    _registry(identity={"type": "UserAssigned", "user_assigned_identities": {}}, encryption=_encryption(key, identity))


def registry_key_through_system_identity() -> None:
    key, identity = _key_and_identity()
    key_grant = authorization.RoleAssignment(
        "g",
        principal_id=identity.principal_id,
        principal_type="ServicePrincipal",
        role_definition_id=f"{ROLE}{CRYPTO_SERVICE_ENCRYPTION_USER}",
        scope=key.id,
    )
    _registry(
        identity={"type": "SystemAssigned"},
        encryption=_encryption(key, identity),
        opts=pulumi.ResourceOptions(depends_on=[key_grant]),
    )


def _access(name: str, opts: pulumi.ResourceOptions | None = None, policy: str = "default") -> Any:
    return redisenterprise.AccessPolicyAssignment(
        name,
        resource_group_name="rg",
        cluster_name="c",
        database_name="default",
        access_policy_assignment_name=name,
        access_policy_name=policy,
        user={"object_id": "00000000-0000-4000-8000-000000000001"},
        opts=opts,
    )


def redis_policy_not_default() -> None:
    _access("a", policy="Data Contributor")


def redis_assignments_at_once() -> None:
    # The second is registered once the first exists, yet does not wait for it.
    _access("a").id.apply(lambda _: _access("b"))


def _federation(name: str, issuer: str = ISSUER) -> managedidentity.FederatedIdentityCredential:
    return managedidentity.FederatedIdentityCredential(
        name,
        resource_group_name="rg",
        resource_name_="id",
        federated_identity_credential_resource_name=name,
        issuer=issuer,
        subject=f"system:serviceaccount:ns:{name}",
        audiences=["api://AzureADTokenExchange"],
    )


def federations_at_once() -> None:
    _federation("a").id.apply(lambda _: _federation("b"))


def federation_issuer_not_https() -> None:
    _federation("a", issuer="http://issuer.example.com/")


def association_subnet(prefix: str, delegated: bool) -> Callable[[], None]:
    def program() -> None:
        cluster = containerservice.ManagedCluster(
            "c", resource_group_name="rg", dns_prefix="c", network_profile={"network_plugin_mode": "overlay"}
        )
        subnet = network.Subnet(
            "agc",
            resource_group_name="rg",
            virtual_network_name="vnet",
            address_prefix=prefix,
            delegations=(
                [{"name": "agc", "service_name": "Microsoft.ServiceNetworking/trafficControllers"}] if delegated else []
            ),
        )
        servicenetworking.AssociationsInterface(
            "a",
            resource_group_name="rg",
            traffic_controller_name="agc",
            association_type="subnets",
            subnet={"id": subnet.id},
            opts=pulumi.ResourceOptions(depends_on=[cluster]),
        )

    return program


def _role(name: str) -> authorization.RoleDefinition:
    return authorization.RoleDefinition(
        name, role_name="same", scope="/subscriptions/s", assignable_scopes=["/subscriptions/s"]
    )


def role_name_taken() -> None:
    # The second is registered once the first exists.
    _role("a").id.apply(lambda _: _role("b"))


def cname_at_apex() -> None:
    dns.RecordSet(
        "apex",
        resource_group_name="rg",
        zone_name="example.com",
        relative_record_set_name="@",
        record_type="CNAME",
        ttl=300,
        cname_record={"cname": "elsewhere.example.net"},
    )


VIOLATIONS: dict[str, Callable[[], None]] = {
    "azure-acr-premium-features": premium_features_on_standard,
    "azure-acr-export-needs-private": export_disabled_publicly,
    "azure-acr-retention-or-soft-delete": retention_with_soft_delete,
    "azure-acr-key-grant-ready": registry_key_not_granted,
    "azure-acr-key-user-identity": registry_key_through_system_identity,
    "azure-redis-access-policy-default": redis_policy_not_default,
    "azure-redis-access-policies-one-at-a-time": redis_assignments_at_once,
    "azure-federated-credentials-one-at-a-time": federations_at_once,
    "azure-federated-credential-issuer": federation_issuer_not_https,
    "azure-agc-association-subnet": association_subnet("10.0.30.0/23", delegated=True),
    "azure-custom-role-name-unique": role_name_taken,
    "azure-dns-cname-at-apex": cname_at_apex,
}
