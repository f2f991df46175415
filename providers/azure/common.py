"""Helpers the Azure data-tier components share: derived global names, role grants to managed
identities, deletion locks and the identity every customer-managed key needs."""

from __future__ import annotations

import hashlib
import re

import pulumi
import pulumi_random as random
from pulumi_azure_native import authorization, keyvault, managedidentity, privatedns, resources

from components.base import NeutralComponent

_NOT_ALNUM = re.compile(r"[^a-z0-9]")

KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER = "e147488a-f6f5-4113-8e2d-b22465e65bf6"
"""Built-in role: get, wrapKey and unwrapKey on a key, what services need for customer-managed keys."""
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
"""Built-in role: read and write blobs without account keys (Network Watcher's flow-log writer)."""
READER = "acdd72a7-3385-48ef-bd42-f606fba81ae7"
POSTGRES_LTR_BACKUP = "c088a766-074b-43ba-90d4-1fb21feae531"
"""Built-in role "PostgreSQL Flexible Server Long Term Retention Backup Role" (Azure Backup's vault)."""


GLOBAL_NAME_LENGTH = 24
"""Storage account and Key Vault names: 3-24 lowercase letters and digits, globally unique."""
SUFFIX_LENGTH = 8


def _head(name: str, marker: str, max_length: int) -> str:
    """A readable stem of ``name`` and a ``marker``, leaving room for the suffix; starts with a
    letter, as Key Vault names must."""
    stem = _NOT_ALNUM.sub("", name.lower())
    if not stem[:1].isalpha():
        stem = f"x{stem}"
    return f"{stem[: max_length - len(marker) - SUFFIX_LENGTH]}{marker}"


def global_name(name: str, marker: str, subscription_id: str, *, max_length: int = GLOBAL_NAME_LENGTH) -> str:
    """A globally unique name (storage accounts): a readable stem, a ``marker`` and a hash of
    subscription, name and marker, stable across runs and across ``destroy`` and ``up``: Azure frees
    a deleted storage account's name at once, so the same name can be taken again."""
    digest = hashlib.sha256(f"{subscription_id}/{name}/{marker}".encode()).hexdigest()[:SUFFIX_LENGTH]
    return f"{_head(name, marker, max_length)}{digest}"


def unique_name(
    parent: NeutralComponent, name: str, marker: str, *, max_length: int = GLOBAL_NAME_LENGTH
) -> pulumi.Output[str]:
    """A globally unique name for what Azure keeps reserved after deletion: a readable stem, a
    ``marker`` and a random suffix (``pulumi_random``, kept in the stack's state). A deleted Key
    Vault keeps its name for its whole soft-delete retention and purge protection forbids purging
    it sooner, so a vault named after the stack alone could not be created again after ``destroy``;
    the suffix is drawn anew when the stack is brought up again."""
    suffix = random.RandomString(
        f"{name}-suffix", length=SUFFIX_LENGTH, upper=False, special=False, opts=parent.child()
    )
    head = _head(name, marker, max_length)
    return suffix.result.apply(lambda value: f"{head}{value}")


def subscription_id(parent: NeutralComponent) -> pulumi.Output[str]:
    value: pulumi.Output[str] = authorization.get_client_config_output(
        opts=pulumi.InvokeOutputOptions(parent=parent)
    ).subscription_id
    return value


def tenant_id(parent: NeutralComponent) -> pulumi.Output[str]:
    value: pulumi.Output[str] = authorization.get_client_config_output(
        opts=pulumi.InvokeOutputOptions(parent=parent)
    ).tenant_id
    return value


def role_definition(subscription: pulumi.Input[str], role: str) -> pulumi.Output[str]:
    return pulumi.Output.concat(
        "/subscriptions/", subscription, "/providers/Microsoft.Authorization/roleDefinitions/", role
    )


def grant(
    parent: NeutralComponent,
    name: str,
    *,
    principal_id: pulumi.Input[str],
    role: str,
    scope: pulumi.Input[str],
    subscription: pulumi.Input[str],
    description: str,
    depends_on: list[pulumi.Resource] | None = None,
) -> authorization.RoleAssignment:
    """``role`` for a managed identity (its principal) on ``scope`` (a key, a server, a resource group);
    ``depends_on`` for a role the stack defines itself (a custom role must exist before it is granted)."""
    return authorization.RoleAssignment(
        name,
        principal_id=principal_id,
        # The identity is brand new: without the type, Azure looks it up in a directory replica that
        # may not know it yet and the assignment fails with PrincipalNotFound.
        principal_type="ServicePrincipal",
        role_definition_id=role_definition(subscription, role),
        scope=scope,
        description=description,
        opts=parent.child(depends_on=depends_on),
    )


def user_identity(
    parent: NeutralComponent,
    name: str,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
) -> managedidentity.UserAssignedIdentity:
    return managedidentity.UserAssignedIdentity(
        name, resource_group_name=rg.name, location=location, tags=tags, opts=parent.child()
    )


def delete_lock(
    parent: NeutralComponent, name: str, scope: pulumi.Resource, resource_id: pulumi.Input[str], notes: str
) -> authorization.ManagementLockByScope | None:
    """A CanNotDelete lock on a stateful resource, where the stack protects stateful resources
    (prod): ``protect`` stops ``pulumi destroy``, the lock stops the portal, the CLI and anything
    else that talks to Azure Resource Manager. None elsewhere (staging can be torn down)."""
    if not parent.context.protect_stateful:
        return None
    return authorization.ManagementLockByScope(
        name,
        scope=resource_id,
        level="CanNotDelete",
        notes=notes,
        opts=parent.child(depends_on=[scope]),
    )


def private_dns_zone(
    parent: NeutralComponent,
    name: str,
    zone_name: str,
    resource_group: resources.ResourceGroup,
    vnet_id: pulumi.Input[str],
    tags: dict[str, str],
) -> tuple[privatedns.PrivateZone, privatedns.VirtualNetworkLink]:
    """A private DNS zone (``f"{name}-dns"``) resolvable from the VNet, which registers nothing itself."""
    zone = privatedns.PrivateZone(
        f"{name}-dns",
        private_zone_name=zone_name,
        resource_group_name=resource_group.name,
        location="global",
        tags=tags,
        opts=parent.child(),
    )
    link = privatedns.VirtualNetworkLink(
        f"{name}-dns-link",
        private_zone_name=zone.name,
        resource_group_name=resource_group.name,
        location="global",
        virtual_network={"id": vnet_id},
        registration_enabled=False,
        tags=tags,
        opts=parent.child(),
    )
    return zone, link


STORAGE_SERVICES = {"blob": {"enabled": True, "key_type": "Account"}, "file": {"enabled": True, "key_type": "Account"}}


MICROSOFT_MANAGED_ENCRYPTION = {"key_source": "Microsoft.Storage", "services": STORAGE_SERVICES}


def storage_encryption(
    vault: keyvault.Vault, key: keyvault.Key, identity: managedidentity.UserAssignedIdentity
) -> dict[str, object]:
    """A storage account's ``encryption`` with a customer key through ``identity``, which must hold
    Key Vault Crypto Service Encryption User on the key before the account is created (Azure Storage
    checks the key then). No key version: the account moves to each new version by itself."""
    return {
        "key_source": "Microsoft.Keyvault",
        "key_vault_properties": {
            "key_name": key.name,
            "key_vault_uri": vault.properties.apply(lambda props: props.vault_uri),
        },
        "encryption_identity": {"encryption_user_assigned_identity": identity.id},
        "services": STORAGE_SERVICES,
    }
