"""The Azure container registry: Premium, private (rule 37), no local credentials, the stack's
storage key through a user-assigned identity granted first, untagged retention from the config,
reachable from the VNet only, pulled from by the kubelet identity alone."""

from __future__ import annotations

import pytest

from bettafish.plan import RecordedResource
from tests.azure.stacks import (
    CRYPTO_SERVICE_ENCRYPTION_USER,
    ENDPOINT,
    GRANT,
    STACKS,
    ZONE,
    ZONE_GROUP,
    ZONE_LINK,
    computed,
    named,
)
from tests.azure.workloads import (
    ACR_PULL,
    REGISTRY,
    apps,
    apps_of_type,
    client_id,
    config,
    kubelet_principal,
    plan,
    principal,
    role_of,
)
from tests.config.test_loader import problems
from tests.mocks import load, stack_values


def registry(stack: str) -> RecordedResource:
    (found,) = apps_of_type(stack, REGISTRY)
    return found


@pytest.mark.parametrize("stack", STACKS)
def test_the_registry_is_premium_private_and_without_local_credentials(stack: str) -> None:
    inputs = registry(stack).inputs
    assert inputs["sku"] == {"name": "Premium"}
    assert inputs["publicNetworkAccess"] == "Disabled"
    assert inputs["networkRuleBypassOptions"] == "None"
    assert inputs["adminUserEnabled"] is False
    assert inputs["anonymousPullEnabled"] is False
    assert inputs["zoneRedundancy"] == "Enabled"
    assert inputs["policies"]["exportPolicy"] == {"status": "disabled"}
    # bettafish:registry.untaggedExpiryDays of the stack file, as on AWS and GCP.
    days = {"prod": 14, "staging": 7}[stack]
    assert config(stack).registry.untagged_expiry_days == days
    assert inputs["policies"]["retentionPolicy"] == {"status": "enabled", "days": days}
    assert "softDeletePolicy" not in inputs["policies"]


@pytest.mark.parametrize("stack", STACKS)
def test_the_registry_is_encrypted_with_the_storage_key_through_its_own_identity_granted_first(stack: str) -> None:
    found = registry(stack)
    identity = apps(stack, "registry-cmk")
    key = named(stack, "keys", "storage")
    assert found.inputs["encryption"] == {
        "status": "enabled",
        # Versionless: the registry follows the key's rotation within an hour.
        "keyVaultProperties": {"identity": client_id(identity), "keyIdentifier": computed(key)["keyUri"]},
    }
    assert found.inputs["identity"] == {"type": "UserAssigned", "userAssignedIdentities": {identity.id: {}}}
    key_grant = apps(stack, "registry-cmk-grant")
    assert (role_of(key_grant), key_grant.inputs["scope"]) == (CRYPTO_SERVICE_ENCRYPTION_USER, key.id)
    assert key_grant.inputs["principalId"] == principal(identity)
    assert key_grant.urn in found.options["dependsOn"]


def test_the_registry_is_protected_and_locked_in_prod_only() -> None:
    assert registry("prod").protect
    assert not registry("staging").protect
    lock = apps("prod", "registry-lock")
    assert (lock.inputs["scope"], lock.inputs["level"]) == (registry("prod").id, "CanNotDelete")


@pytest.mark.parametrize("stack", STACKS)
def test_the_registry_answers_on_its_private_endpoint_resolved_in_the_vnet(stack: str) -> None:
    endpoint = apps(stack, "registry-endpoint")
    assert endpoint.type == ENDPOINT
    assert endpoint.inputs["subnet"] == {"id": named(stack, "net", "cache").id}
    (connection,) = endpoint.inputs["privateLinkServiceConnections"]
    assert connection["privateLinkServiceId"] == registry(stack).id
    assert connection["groupIds"] == ["registry"]
    zone = apps(stack, "registry-dns")
    assert zone.type == ZONE
    assert zone.inputs["privateZoneName"] == "privatelink.azurecr.io"
    group = apps(stack, "registry-endpoint-dns")
    assert group.type == ZONE_GROUP
    assert group.inputs["privateDnsZoneConfigs"] == [{"name": "registry", "privateDnsZoneId": zone.id}]
    link = apps(stack, "registry-dns-link")
    assert link.type == ZONE_LINK
    assert link.inputs["virtualNetwork"] == {"id": named(stack, "net", "vnet").id}


@pytest.mark.parametrize("stack", STACKS)
def test_only_the_kubelet_pulls_and_only_from_this_registry(stack: str) -> None:
    pulls = [g for g in plan(stack).of_type(GRANT) if role_of(g) == ACR_PULL]
    assert [(g.inputs["principalId"], g.inputs["scope"], g.inputs["principalType"]) for g in pulls] == [
        (kubelet_principal(stack), registry(stack).id, "ServicePrincipal")
    ]


@pytest.mark.parametrize("stack", STACKS)
def test_the_registry_url_is_the_login_server_every_image_comes_from(stack: str) -> None:
    login = plan(stack).outputs["registryUrl"]
    assert login == f"{registry(stack).inputs['registryName']}.azurecr.io"
    for deployment in apps_of_type(stack, "kubernetes:apps/v1:Deployment"):
        (container,) = deployment.inputs["spec"]["template"]["spec"]["containers"]
        assert container["image"].startswith(f"{login}/bettafish/")


def test_a_retention_acr_refuses_is_rejected_on_azure_only() -> None:
    days = '{"untaggedExpiryDays": 366}'
    assert problems({**stack_values("prod", "azure"), "bettafish:registry": days}) == [
        "bettafish:registry.untaggedExpiryDays: azure: the container registry's retention policy keeps untagged"
        " manifests at most 365 days, not 366"
    ]
    assert load({**stack_values("prod", "aws"), "bettafish:registry": days}).registry.untagged_expiry_days == 366
