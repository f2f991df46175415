"""The AKS managed cluster and its maintenance windows.

- Standard tier: a zone-redundant control plane with an uptime SLA (the spec's three masters).
- API server: VNet-integrated (its own delegated subnet). With ``controlPlane.privateEndpoint`` it is
  a private cluster (system private DNS zone, no public FQDN); otherwise a public endpoint answering
  ``authorizedCidrs`` only. AKS takes no authorized ranges on a private cluster (checked at config time).
- Secrets: KMS v2 with the ``kubernetes`` key. The vault's firewall denies public access and the KMS
  plugin is not a trusted Azure service, so the key vault is reached as ``Private``: AKS puts a private
  endpoint to it in the node resource group, which AKS supports only with API Server VNet Integration.
  KMS pins a key version (``keyUriWithVersion``): the key's versions never expire (``providers.azure.keys``).
- Auth: Entra ID only (managed AAD, Azure RBAC for Kubernetes authorization), no local accounts.
- Network: Azure CNI Overlay with the configured pod and service ranges and the DNS service address
  (AKS's default 10.0.0.0/16 service range would collide with the VNet), Cilium dataplane and network
  policy, egress through the private subnets' own NAT gateways (``userAssignedNATGateway``).
- Workload identity: OIDC issuer and the workload identity webhook.
- Add-ons: the monitoring add-on (Container Insights, ``logs.monitoring_addon``).
"""

from __future__ import annotations

from typing import Any

import pulumi
from pulumi_azure_native import containerservice, keyvault, resources

from bettafish.config.checks.kubernetes_azure import weekly_slot
from bettafish.config.kubernetes import ClusterAutoscaling, Kubernetes
from components.base import NeutralComponent

AUTO_UPGRADE = {"upgrade_channel": "patch", "node_os_upgrade_channel": "NodeImage"}
"""Patch releases of the configured minor version and weekly node images, in the maintenance window."""
MAINTENANCE_CONFIGURATIONS = ("aksManagedAutoUpgradeSchedule", "aksManagedNodeOSUpgradeSchedule")


def network_profile(k8s: Kubernetes) -> dict[str, Any]:
    return {
        "network_plugin": "azure",
        "network_plugin_mode": "overlay",
        "network_dataplane": "cilium",
        "network_policy": "cilium",
        "pod_cidr": str(k8s.pod_cidr),
        "service_cidr": str(k8s.service_cidr),
        "dns_service_ip": k8s.dns_service_ip(),
        "outbound_type": "userAssignedNATGateway",
        "load_balancer_sku": "standard",
    }


def api_server_profile(k8s: Kubernetes, subnet_id: pulumi.Input[str]) -> dict[str, Any]:
    plane = k8s.control_plane
    profile: dict[str, Any] = {"enable_vnet_integration": True, "subnet_id": subnet_id}
    if plane.private_endpoint:
        return profile | {
            "enable_private_cluster": True,
            "private_dns_zone": "system",
            "enable_private_cluster_public_fqdn": False,
        }
    return profile | {"enable_private_cluster": False, "authorized_ip_ranges": [str(c) for c in plane.authorized_cidrs]}


def autoscaler_profile(scaling: ClusterAutoscaling) -> dict[str, Any]:
    """The cluster autoscaler's pace from ``kubernetes.autoscaling``: zonal pools kept balanced, spot
    pools tried first (``priority`` expander, see ``access.priority_expander``), a node whose requests
    fall below ``targetCpuPercent`` of its capacity is a scale-down candidate."""
    return {
        "balance_similar_node_groups": "true",
        "expander": "priority",
        "scale_down_delay_after_add": f"{scaling.scale_up_cooldown_seconds // 60}m",
        "scale_down_unneeded_time": f"{scaling.scale_down_cooldown_seconds // 60}m",
        "scale_down_utilization_threshold": f"{scaling.target_cpu_percent / 100:g}",
    }


def managed_cluster(
    parent: NeutralComponent,
    name: str,
    k8s: Kubernetes,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
    *,
    identity_id: pulumi.Input[str],
    disk_encryption_set_id: pulumi.Input[str],
    key: keyvault.Key,
    vault: keyvault.Vault,
    api_server_subnet_id: pulumi.Input[str],
    system_pool: dict[str, Any],
    autoscale: bool,
    addons: dict[str, Any],
    depends_on: list[pulumi.Resource],
) -> containerservice.ManagedCluster:
    return containerservice.ManagedCluster(
        f"{name}-cluster",
        resource_group_name=rg.name,
        location=location,
        dns_prefix=name,
        kubernetes_version=k8s.version,
        sku={"name": "Base", "tier": "Standard"},
        identity={"type": "UserAssigned", "user_assigned_identities": [identity_id]},
        enable_rbac=True,
        disable_local_accounts=True,
        aad_profile={"managed": True, "enable_azure_rbac": True},
        api_server_access_profile=api_server_profile(k8s, api_server_subnet_id),
        network_profile=network_profile(k8s),
        agent_pool_profiles=[system_pool],
        auto_scaler_profile=autoscaler_profile(k8s.autoscaling) if autoscale else None,
        auto_upgrade_profile=AUTO_UPGRADE,
        addon_profiles=addons,
        oidc_issuer_profile={"enabled": True},
        security_profile={
            "workload_identity": {"enabled": True},
            "azure_key_vault_kms": {
                "enabled": True,
                "key_id": key.key_uri_with_version,
                "key_vault_network_access": "Private",
                "key_vault_resource_id": vault.id,
            },
        },
        storage_profile={
            "disk_csi_driver": {"enabled": True},
            "snapshot_controller": {"enabled": True},
            # Not used by the platform: fewer drivers, fewer privileged pods on every node.
            "file_csi_driver": {"enabled": False},
            "blob_csi_driver": {"enabled": False},
        },
        disk_encryption_set_id=disk_encryption_set_id,
        tags=tags,
        # Its etcd holds every Kubernetes object and Secret: protected where stateful resources are.
        opts=parent.child(
            stateful=True,
            depends_on=depends_on,
            # The autoscaler owns the inline System pool's node count after creation.
            ignore_changes=["agentPoolProfiles[0].count"] if autoscale else None,
        ),
    )


def maintenance_windows(
    parent: NeutralComponent,
    name: str,
    window: str,
    cluster: containerservice.ManagedCluster,
    rg: resources.ResourceGroup,
    after: list[pulumi.Resource],
) -> list[containerservice.MaintenanceConfiguration]:
    """The same weekly window for patch upgrades and for node images, written after the agent pools
    (AKS runs one operation on a cluster at a time)."""
    slot = weekly_slot(window)
    written: list[containerservice.MaintenanceConfiguration] = []
    for config_name in MAINTENANCE_CONFIGURATIONS:
        written.append(
            containerservice.MaintenanceConfiguration(
                f"{name}-{config_name}",
                config_name=config_name,
                resource_group_name=rg.name,
                resource_name_=cluster.name,
                maintenance_window={
                    "schedule": {"weekly": {"day_of_week": slot.day, "interval_weeks": 1}},
                    "start_time": slot.start,
                    "duration_hours": slot.hours,
                    "utc_offset": "+00:00",
                },
                opts=parent.child(depends_on=written[-1:] or after or None),
            )
        )
    return written
