"""AKS agent pools from ``plan.zonal_pools``: the first System pool inline in the cluster (AKS creates
no cluster without one), every other as its own ``AgentPool`` resource.

Each sits in its zone on its zone's private subnet, without public IPs, with an OS disk encrypted by
the cluster's disk encryption set, labelled with its pool and capacity so workloads select pools the
same way on every cloud. With the cluster autoscaler, the autoscaler owns the node count after
creation (``ignoreChanges``). Spot pools are tainted ``bettafish.io/spot=true:NoSchedule``; AKS adds
its own ``kubernetes.azure.com/scalesetpriority=spot:NoSchedule`` taint and the matching label to every
spot pool: the taint is declared here too and the label ignored, so that a refreshed pool does not
differ from the program (AKS reserves labels under kubernetes.azure.com).
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi_azure_native import containerservice, network, resources

from components.base import NeutralComponent
from components.kube_cluster import CAPACITY_LABEL, POOL_LABEL, SPOT_TAINT_KEY
from providers.azure.kubernetes.plan import ZonalPool
from providers.azure.vpc import AzureVpc

AKS_SPOT_KEY = "kubernetes.azure.com/scalesetpriority"
AKS_SPOT_TAINT = f"{AKS_SPOT_KEY}=spot:NoSchedule"
CRITICAL_ADDONS_ONLY = "CriticalAddonsOnly=true:NoSchedule"
"""AKS's taint for System pools that run only critical add-ons (CoreDNS, metrics-server, Cilium...)."""
OS_SKU = "AzureLinux"
"""Azure Linux: the container-optimised image with the smallest package set AKS offers."""


def pool_properties(
    pool: ZonalPool,
    subnet: network.Subnet,
    zones: pulumi.Output[list[str]],
    *,
    version: str,
    max_pods: int,
    autoscale: bool,
    tags: dict[str, str],
) -> dict[str, Any]:
    """Arguments an agent pool takes the same way inline and as an ``AgentPool`` resource."""
    taints = [CRITICAL_ADDONS_ONLY] if pool.system else []
    spot: dict[str, Any] = {}
    if pool.spot:
        taints = [f"{SPOT_TAINT_KEY}=true:NoSchedule", AKS_SPOT_TAINT]
        spot = {"scale_set_priority": "Spot", "scale_set_eviction_policy": "Delete", "spot_max_price": -1}
    scaling: dict[str, Any] = {"enable_auto_scaling": autoscale}
    if autoscale:
        scaling |= {"min_count": pool.min_count, "max_count": pool.max_count}
    return {
        "mode": "System" if pool.system else "User",
        "type": "VirtualMachineScaleSets",
        "vm_size": pool.vm_size,
        "availability_zones": zones.apply(lambda names: [names[pool.zone_index]]),
        "vnet_subnet_id": subnet.id,
        "count": pool.count,
        **scaling,
        **spot,
        "orchestrator_version": version,
        "os_type": "Linux",
        "os_sku": OS_SKU,
        # Managed OS disks follow the disk encryption set to each new key version; ephemeral ones
        # would keep the old version until the node is reimaged.
        "os_disk_type": "Managed",
        "enable_node_public_ip": False,
        "max_pods": max_pods,
        "node_labels": {POOL_LABEL: pool.pool, CAPACITY_LABEL: "spot" if pool.spot else "on-demand"},
        "node_taints": taints,
        "tags": tags,
    }


def inline_profile(pool: ZonalPool, vpc: AzureVpc, **settings: Any) -> dict[str, Any]:
    """The System pool AKS creates with the cluster (``agentPoolProfiles[0]``)."""
    return {"name": pool.name, **pool_properties(pool, vpc.subnets["private"][pool.zone_index], vpc.zones, **settings)}


def agent_pools(
    parent: NeutralComponent,
    name: str,
    pools: list[ZonalPool],
    cluster: containerservice.ManagedCluster,
    rg: resources.ResourceGroup,
    vpc: AzureVpc,
    **settings: Any,
) -> list[containerservice.AgentPool]:
    """The pools after the inline one, created one at a time: AKS refuses an agent pool operation
    while another one on the cluster is in progress (OperationNotAllowed)."""
    created: list[containerservice.AgentPool] = []
    for pool in pools:
        ignored = ["count"] if settings["autoscale"] else []
        if pool.spot:
            ignored.append(f'nodeLabels["{AKS_SPOT_KEY}"]')
        created.append(
            containerservice.AgentPool(
                f"{name}-{pool.name}",
                agent_pool_name=pool.name,
                resource_group_name=rg.name,
                resource_name_=cluster.name,
                **pool_properties(pool, vpc.subnets["private"][pool.zone_index], vpc.zones, **settings),
                # A new VM size or zone replaces a pool; under the same name the old one must go first.
                opts=parent.child(
                    depends_on=created[-1:] or None, ignore_changes=ignored or None, delete_before_replace=True
                ),
            )
        )
    return created
