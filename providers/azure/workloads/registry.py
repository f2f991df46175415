"""The stack's container registry: Azure Container Registry Premium, reachable only through a private
endpoint, encrypted with the stack's ``storage`` key, pulled from by the cluster's kubelet identity.

- Premium is the tier with private endpoints, customer-managed keys and the retention policy.
- No public network access, no trusted-service bypass, no admin user, no anonymous pull: every
  client is an Entra identity inside the VNet. Export is disabled (``az acr import`` and transfer
  pipelines cannot copy images out), which Azure allows only on a registry without public access.
- The private endpoint (group ``registry``) registers the login server and the regional data
  endpoint in ``privatelink.azurecr.io``, linked to the VNet. Images are pushed from inside the VNet
  (docs/deploying.md), like every ``pulumi up`` of the private cluster.
- Customer-managed key: enabled at creation only, through a user-assigned identity holding Key Vault
  Crypto Service Encryption User on the key before the registry exists (ACR reaches the firewalled
  vault as a trusted service). The key URI has no version: ACR moves to each new version within an
  hour, so the ``storage`` key's rotation needs nothing here.
- Retention: untagged manifests are deleted after ``registry.untaggedExpiryDays``, the setting every
  cloud's registry follows (ACR takes 0-365 days: checked at config time). ACR refuses the
  soft-delete policy (preview) together with retention; soft delete stays off.
- AcrPull for the kubelet identity AKS created (``identityProfile.kubeletidentity``), on this
  registry only: pods never pull with their own identities.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
from pulumi_azure_native import authorization, containerregistry, resources

from components.base import NeutralComponent
from components.keys import KeyPurpose
from providers.azure.common import (
    KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
    delete_lock,
    grant,
    private_dns_zone,
    unique_name,
    user_identity,
)
from providers.azure.keys import AzureKeys
from providers.azure.private_endpoints import REGISTRY_GROUP, REGISTRY_ZONE, private_endpoint
from providers.azure.vpc import AzureVpc

ACR_PULL = "7f951dda-4ed3-4680-a7ca-43fe172d538d"
"""Built-in role "AcrPull": pull images, nothing else."""
REGISTRY_KEY: KeyPurpose = "storage"
"""Images are stored data: the registry is encrypted with the stack's storage key."""
REGISTRY_NAME_LENGTH = 24
"""Registry names are 5-50 letters and digits, global; kept as short as the other global names."""


@dataclass(frozen=True)
class Registry:
    registry: containerregistry.Registry
    pull_grant: authorization.RoleAssignment
    """The kubelet's AcrPull: pods wait for it before their first pull."""


def container_registry(
    parent: NeutralComponent,
    name: str,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
    *,
    vpc: AzureVpc,
    keys: AzureKeys,
    kubelet_principal: pulumi.Input[str],
    untagged_expiry_days: int,
    subscription: pulumi.Output[str],
) -> Registry:
    key = keys.keys[REGISTRY_KEY]
    identity = user_identity(parent, f"{name}-registry-cmk", rg, location, tags)
    key_grant = grant(
        parent,
        f"{name}-registry-cmk-grant",
        principal_id=identity.principal_id,
        role=KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
        scope=key.id,
        subscription=subscription,
        description="The container registry wraps its content encryption key with this key",
    )
    registry = containerregistry.Registry(
        f"{name}-registry",
        # Global, letters and digits only; a random suffix so a destroyed staging comes back at once.
        registry_name=unique_name(parent, f"{name}-registry", "acr", max_length=REGISTRY_NAME_LENGTH),
        resource_group_name=rg.name,
        location=location,
        sku={"name": "Premium"},
        admin_user_enabled=False,
        anonymous_pull_enabled=False,
        public_network_access="Disabled",
        network_rule_bypass_options="None",
        data_endpoint_enabled=True,
        zone_redundancy="Enabled",
        # Keyed by identity id (the registry API takes a map, not a list).
        identity=identity.id.apply(lambda uid: {"type": "UserAssigned", "user_assigned_identities": {uid: {}}}),
        encryption={
            "status": "enabled",
            "key_vault_properties": {"identity": identity.client_id, "key_identifier": key.key_uri},
        },
        policies={
            "export_policy": {"status": "disabled"},
            "retention_policy": {"status": "enabled", "days": untagged_expiry_days},
        },
        tags=tags,
        # Holds the five images every pod pulls: protected where stateful resources are.
        opts=parent.child(stateful=True, depends_on=[key_grant]),
    )
    delete_lock(parent, f"{name}-registry-lock", registry, registry.id, "Holds the images every pod pulls")
    zone, _ = private_dns_zone(parent, f"{name}-registry", REGISTRY_ZONE, rg, vpc.vnet.id, tags)
    private_endpoint(
        parent,
        f"{name}-registry-endpoint",
        subnet_id=vpc.endpoint_subnet_id,
        rg=rg,
        location=location,
        target_id=registry.id,
        group=REGISTRY_GROUP,
        zone=zone,
        tags=tags,
    )
    pull_grant = grant(
        parent,
        f"{name}-kubelet-acr-pull",
        principal_id=kubelet_principal,
        role=ACR_PULL,
        scope=registry.id,
        subscription=subscription,
        description="The AKS kubelet identity pulls the services' images",
    )
    return Registry(registry=registry, pull_grant=pull_grant)
