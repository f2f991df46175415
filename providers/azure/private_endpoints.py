"""Private endpoints: how the workloads in the application subnets reach a data service whose
public network access is closed (security rule 37).

Each endpoint takes an address in the VNet's endpoint subnet (``cache``, the upper half of the
database tier, see ``providers.azure.layout``), and a zone group registers that address in the
service's ``privatelink.*`` private DNS zone, linked to the VNet: the service's public host name
(``<account>.blob.core.windows.net``, ``<vault>.vault.azure.net``, ``<cache>.<region>.redis.azure.net``)
then resolves, inside the VNet, to the private address. A VNet can be linked to only one zone of a
given name, so each ``privatelink.*`` zone exists once per stack and every endpoint of that service
registers in it. The database tier's NSG admits the application subnets on the service's ports.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import network, privatedns, resources

from components.base import NeutralComponent

BLOB_ZONE = "privatelink.blob.core.windows.net"
VAULT_ZONE = "privatelink.vaultcore.azure.net"
REDIS_ZONE = "privatelink.redis.azure.net"
REGISTRY_ZONE = "privatelink.azurecr.io"
"""The container registry's login server and its regional data endpoint both resolve here."""
BLOB_GROUP = "blob"
VAULT_GROUP = "vault"
REDIS_GROUP = "redisEnterprise"
REGISTRY_GROUP = "registry"
"""Private-link sub-resources (``groupIds``): what part of the service the endpoint reaches."""


def private_endpoint(
    parent: NeutralComponent,
    name: str,
    *,
    subnet_id: pulumi.Input[str],
    rg: resources.ResourceGroup,
    location: str,
    target_id: pulumi.Input[str],
    group: str,
    zone: privatedns.PrivateZone,
    tags: dict[str, str],
) -> network.PrivateEndpoint:
    """An endpoint (``name``) for ``group`` of the resource ``target_id`` in the endpoint subnet
    ``subnet_id``, registered in ``zone`` through its zone group (``f"{name}-dns"``)."""
    endpoint = network.PrivateEndpoint(
        name,
        resource_group_name=rg.name,
        location=location,
        subnet={"id": subnet_id},
        private_link_service_connections=[{"name": name, "private_link_service_id": target_id, "group_ids": [group]}],
        tags=tags,
        opts=parent.child(),
    )
    network.PrivateDnsZoneGroup(
        f"{name}-dns",
        resource_group_name=rg.name,
        private_endpoint_name=endpoint.name,
        private_dns_zone_configs=[{"name": group, "private_dns_zone_id": zone.id}],
        opts=parent.child(),
    )
    return endpoint
