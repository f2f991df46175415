"""Azure virtual network flow logs, written by Network Watcher to a locked-down storage account
encrypted with the stack's ``logs`` key (security rule 39).

VNet flow logs replace NSG flow logs (being retired by 30 September 2027; new ones can no
longer be created) and cover every subnet of the VNet with one resource. They record all
traffic, allowed and denied, so ``trafficType: ALL`` is what Azure does; the aggregation
interval is Azure's own.
"""

from __future__ import annotations

from pulumi_azure_native import network, resources, storage

from bettafish.config.network import AzureNetworkWatcher, FlowLogs
from components.base import NeutralComponent
from providers.azure.common import (
    KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
    STORAGE_BLOB_DATA_CONTRIBUTOR,
    delete_lock,
    global_name,
    grant,
    storage_encryption,
    subscription_id,
    user_identity,
)
from providers.azure.keys import AzureKeys


def vnet_flow_log(
    parent: NeutralComponent,
    name: str,
    cfg: FlowLogs,
    watcher: AzureNetworkWatcher,
    keys: AzureKeys,
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
    subscription = subscription_id(parent)
    # The account wraps its encryption keys with the logs key through its own identity, granted first:
    # Azure Storage checks the key when the account is created.
    encryption_identity = user_identity(parent, f"{name}-flowlogs-cmk", rg, location, tags)
    key_grant = grant(
        parent,
        f"{name}-flowlogs-cmk",
        principal_id=encryption_identity.principal_id,
        role=KEY_VAULT_CRYPTO_SERVICE_ENCRYPTION_USER,
        scope=keys.keys["logs"].id,
        subscription=subscription,
        description="The flow-log account wraps its account keys with the logs key",
    )
    account = storage.StorageAccount(
        f"{name}-flowlogs",
        # Autonaming would keep the dashes and overflow 24 characters, so the name is derived.
        account_name=subscription.apply(lambda sub: global_name(name, "fl", sub)),
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
        identity={"type": "UserAssigned", "user_assigned_identities": [encryption_identity.id]},
        encryption=storage_encryption(keys.vault, keys.keys["logs"], encryption_identity),
        tags=tags,
        opts=parent.child(stateful=True, depends_on=[key_grant]),
    )
    delete_lock(parent, f"{name}-flowlogs-lock", account, account.id, "Holds the virtual network's flow logs")
    # The account takes no shared keys, so Network Watcher writes as this identity instead.
    writer = user_identity(parent, f"{name}-flowlogs-writer", rg, location, tags)
    writer_grant = grant(
        parent,
        f"{name}-flowlogs-writer",
        principal_id=writer.principal_id,
        role=STORAGE_BLOB_DATA_CONTRIBUTOR,
        scope=account.id,
        subscription=subscription,
        description="Network Watcher writes this VNet's flow logs",
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
        opts=parent.child(depends_on=[writer_grant]),
    )
