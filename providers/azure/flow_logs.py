"""Azure virtual network flow logs, written by Network Watcher to a locked-down storage account.

VNet flow logs replace NSG flow logs (being retired by 30 September 2027; new ones can no
longer be created) and cover every subnet of the VNet with one resource. They record all
traffic, allowed and denied, so ``trafficType: ALL`` is what Azure does; the aggregation
interval is Azure's own.
"""

from __future__ import annotations

import hashlib
import re

import pulumi
from pulumi_azure_native import authorization, managedidentity, network, resources, storage

from bettafish.config.network import AzureNetworkWatcher, FlowLogs
from components.base import NeutralComponent

_ACCOUNT_NAME_INVALID = re.compile(r"[^a-z0-9]")
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
"""Built-in role id; lets the flow log's identity write blobs without account keys."""


def vnet_flow_log(
    parent: NeutralComponent,
    name: str,
    cfg: FlowLogs,
    watcher: AzureNetworkWatcher,
    rg: resources.ResourceGroup,
    vnet: network.VirtualNetwork,
    location: str,
    tags: dict[str, str],
) -> network.FlowLog:
    """The storage account that receives the logs and the flow log on ``vnet``.

    A flow log is a child of a Network Watcher, and Azure allows exactly one Network Watcher per
    region per subscription. Azure creates it on its own (``NetworkWatcher_<location>`` in
    ``NetworkWatcherRG``) the first time a virtual network appears in the region, so this stack
    never creates or adopts one: the flow log attaches to the existing watcher, named by
    ``network.azure.networkWatcher`` when a subscription keeps it elsewhere. Creating a
    second watcher would fail, and owning the shared one would delete it (and every other flow
    log in the region) on ``pulumi destroy``.
    """
    subscription_id = authorization.get_client_config_output(
        opts=pulumi.InvokeOutputOptions(parent=parent)
    ).subscription_id
    account = storage.StorageAccount(
        f"{name}-flowlogs",
        # Autonaming would keep the dashes and overflow 24 characters, so the name is derived.
        account_name=subscription_id.apply(lambda sub: _account_name(name, sub)),
        resource_group_name=rg.name,
        location=location,
        kind="StorageV2",
        sku={"name": "Standard_ZRS"},
        enable_https_traffic_only=True,
        minimum_tls_version="TLS1_2",
        allow_blob_public_access=False,
        allow_shared_key_access=False,
        # Network Watcher writes as a trusted Azure service: the firewall denies everyone else,
        # while public network access stays enabled so that the trusted-service bypass applies.
        network_rule_set={"default_action": "Deny", "bypass": "AzureServices"},
        tags=tags,
        opts=parent.child(),
    )
    # The account takes no shared keys, so Network Watcher writes as this identity instead.
    writer = managedidentity.UserAssignedIdentity(
        f"{name}-flowlogs-writer",
        resource_group_name=rg.name,
        location=location,
        tags=tags,
        opts=parent.child(),
    )
    grant = authorization.RoleAssignment(
        f"{name}-flowlogs-writer",
        principal_id=writer.principal_id,
        principal_type="ServicePrincipal",
        role_definition_id=subscription_id.apply(
            lambda sub: (
                f"/subscriptions/{sub}/providers/Microsoft.Authorization/roleDefinitions/{STORAGE_BLOB_DATA_CONTRIBUTOR}"
            )
        ),
        scope=account.id,
        description="Network Watcher writes this VNet's flow logs",
        opts=parent.child(),
    )
    return network.FlowLog(
        f"{name}-flow-log",
        identity={"type": "UserAssigned", "user_assigned_identities": [writer.id]},
        resource_group_name=watcher.resource_group,
        network_watcher_name=watcher.name or f"NetworkWatcher_{location}",
        location=location,
        target_resource_id=vnet.id,
        storage_id=account.id,
        enabled=True,
        retention_policy={"days": cfg.retention_days, "enabled": True},
        format={"type": "JSON", "version": 2},
        tags=tags,
        opts=parent.child(depends_on=[grant]),
    )


def _account_name(name: str, subscription_id: str) -> str:
    """3-24 lowercase letters and digits, globally unique: a readable stem plus a hash of the
    subscription and component name, stable across runs."""
    stem = _ACCOUNT_NAME_INVALID.sub("", name.lower())[:14]
    digest = hashlib.sha256(f"{subscription_id}/{name}".encode()).hexdigest()[:8]
    return f"{stem}fl{digest}"
