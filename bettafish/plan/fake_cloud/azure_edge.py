"""Azure Front Door in the fake cloud: the ids of the profile and its children (nested as ARM nests
them), the WAF policy's id, and what Azure computes: the profile's Front Door id (the GUID Front Door
sends as ``X-Azure-FDID``), the endpoint's ``<name>-<hash>.z01.azurefd.net`` host name, and a custom
domain's validation token and pending state."""

from __future__ import annotations

import base64
from datetime import timedelta
from typing import Any

from bettafish.plan.fake_cloud.clock import NOW
from bettafish.plan.fake_cloud.common import fake_uuid, hex_digest

NAMESPACES = {"cdn": "Microsoft.Cdn"}
NAME_KEYS = {
    "AFDEndpoint": "endpointName",
    "AFDOriginGroup": "originGroupName",
    "AFDOrigin": "originName",
    "AFDCustomDomain": "customDomainName",
    "SecurityPolicy": "securityPolicyName",
}
COLLECTIONS = {
    "AFDEndpoint": "afdEndpoints",
    "AFDOriginGroup": "originGroups",
    "AFDOrigin": "origins",
    "AFDCustomDomain": "customDomains",
}
CHILDREN: dict[str, tuple[str, str, str]] = {
    "cdn:AFDEndpoint": ("profileName", "profiles", "afdEndpoints"),
    "cdn:AFDOriginGroup": ("profileName", "profiles", "originGroups"),
    "cdn:AFDCustomDomain": ("profileName", "profiles", "customDomains"),
    "cdn:RuleSet": ("profileName", "profiles", "ruleSets"),
    "cdn:SecurityPolicy": ("profileName", "profiles", "securityPolicies"),
}
WAF_POLICIES = "Microsoft.Network/frontDoorWebApplicationFirewallPolicies"
VALIDATION_DAYS = 7
"""How long a custom domain's validation token stays valid."""
ENDPOINT_HASH_LENGTH = 16


def special_id(typ: str, scope: str, name: str, inputs: dict[str, Any]) -> str | None:
    """Ids that nest two levels under the profile, and the WAF policy's (a Microsoft.Network type)."""
    profile = f"{scope}/providers/Microsoft.Cdn/profiles/{inputs.get('profileName')}"
    match typ:
        case "azure-native:cdn:AFDOrigin":
            return f"{profile}/originGroups/{inputs.get('originGroupName')}/origins/{name}"
        case "azure-native:cdn:Route":
            return f"{profile}/afdEndpoints/{inputs.get('endpointName')}/routes/{name}"
        case "azure-native:cdn:Rule":
            return f"{profile}/ruleSets/{inputs.get('ruleSetName')}/rules/{name}"
        case "azure-native:frontdoor:Policy":
            return f"{scope}/providers/{WAF_POLICIES}/{name}"
    return None


def attributes(typ: str, name: str, inputs: dict[str, Any], resource_id: str) -> dict[str, Any]:
    """What Azure computes for the Front Door resources the program reads back."""
    match typ:
        case "azure-native:cdn:Profile":
            return {
                "frontDoorId": fake_uuid(resource_id, "front-door-id"),
                "kind": "frontdoor",
                "resourceState": "Active",
                "provisioningState": "Succeeded",
            }
        case "azure-native:cdn:AFDEndpoint":
            raw = bytes.fromhex(hex_digest(resource_id, "endpoint", length=2 * ENDPOINT_HASH_LENGTH))
            digest = base64.b32encode(raw).decode().lower()[:ENDPOINT_HASH_LENGTH]
            return {
                "hostName": f"{name}-{digest}.z01.azurefd.net",
                "deploymentStatus": "NotStarted",
                "provisioningState": "Succeeded",
            }
        case "azure-native:cdn:AFDCustomDomain":
            expires = NOW + timedelta(days=VALIDATION_DAYS)
            return {
                "validationProperties": {
                    "validationToken": hex_digest(resource_id, "validation", length=32),
                    "expirationDate": expires.strftime("%Y-%m-%dT%H:%M:%S+00:00"),
                },
                "domainValidationState": "Pending",
                "deploymentStatus": "NotStarted",
                "provisioningState": "Succeeded",
            }
        case "azure-native:frontdoor:Policy":
            return {
                "type": WAF_POLICIES,
                "resourceState": "Enabled",
                "provisioningState": "Succeeded",
                "securityPolicyLinks": [],
            }
    return {}
