"""GCP KubeCluster: a regional GKE Standard cluster with private nodes and a private endpoint,
VPC-native on the private subnetwork's secondary ranges, Dataplane V2, Secrets and disks encrypted
with the stack's ``kubernetes`` key, Workload Identity, its logs in their own bucket, and the
configured node pools with their spot companions."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp

from components.base import sibling
from components.kube_cluster import KubeCluster, KubeClusterArgs
from providers.gcp.agents import compute_agent, container_agent, grant_key_use
from providers.gcp.firewall import gcp_name
from providers.gcp.keys import GcpKeys
from providers.gcp.kubernetes import control_plane
from providers.gcp.kubernetes.access import admin_binding, admin_members, kubeconfig_output, security_group
from providers.gcp.kubernetes.logs import cluster_logs
from providers.gcp.kubernetes.node_pools import NodeContext, hardened_node_config, node_identity, node_pools
from providers.gcp.project import COMPUTE, CONTAINER, IAM, enable_apis, require_project
from providers.gcp.vpc import POD_RANGE, SERVICE_RANGE, GcpVpc

__all__ = ["GcpKubeCluster"]

STORAGE_PROVISIONER = "pd.csi.storage.gke.io"


class GcpKubeCluster(KubeCluster):
    """Children, in order of creation:

    - the GKE and Compute Engine service agents granted use of the ``kubernetes`` key (Secrets
      encryption; boot disks and PD volumes), before anything is encrypted with it;
    - the nodes' own service account with only the roles nodes need (security rule 30);
    - the ``container.Cluster``: regional (its control plane replicated across the region's zones;
      ``controlPlane.zoneRedundant: false`` makes it zonal in the first zone), the default node pool
      removed once created (its one node per zone is built with the hardened node settings anyway),
      the configured minor version on the REGULAR release channel, private nodes and a private
      endpoint (``control_plane.endpoint_access``, rule 20), VPC-native on the ``pods`` and
      ``services`` secondary ranges, Dataplane V2 (network policy, rules 23 and 34), Secrets
      encrypted with the key (rule 21), the configured logs and metrics (rule 22), Workload Identity
      (rule 36), Shielded Nodes, no legacy ABAC, no client certificate, anonymous access limited to
      health checks (rule 23), the free BASIC security posture (workload configuration audit; Binary
      Authorization stays off, as it enforces nothing without an attestation policy), the built-in add-ons ``kubernetes.addons`` asks for, the balanced
      autoscaling profile, deletion protection in protected stacks;
    - its log bucket, sink and exclusion (``logs.cluster_logs``);
    - the node pools and spot companions (``node_pools``), auto-repaired and auto-upgraded (rule 24);
    - IAM ``clusterViewer`` for each administrator, the Kubernetes provider, the default
      ``encrypted`` StorageClass (PD balanced disks under the key) and the administrators'
      ``cluster-admin`` binding.

    Extra attributes: ``cluster``, ``node_pools`` (by configured name), ``node_service_account``,
    ``workload_pool`` (``<project>.svc.id.goog``, for the workloads' Workload Identity bindings).
    """

    def __init__(self, name: str, args: KubeClusterArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        k8s, ctx, plane = args.kubernetes, args.context, args.kubernetes.control_plane
        project, region = require_project(ctx), ctx.provider.region
        vpc, keys = sibling(args.vpc, GcpVpc), sibling(args.keys, GcpKeys)
        key, zones, labels = keys.keys["kubernetes"], args.vpc.zones, ctx.tags("kubernetes")
        location: pulumi.Output[str] = (
            pulumi.Output.from_input(region) if plane.zone_redundant else zones.apply(lambda zs: zs[0])
        )
        self.workload_pool = f"{project}.svc.id.goog"

        apis = enable_apis(self, name, project, CONTAINER, COMPUTE, IAM)
        secrets_grant = grant_key_use(
            self, f"{name}-secrets-key-user", key, container_agent(self, project, apis[CONTAINER])
        )
        disk_grant = grant_key_use(self, f"{name}-disk-key-user", key, compute_agent(self, project, apis[COMPUTE]))
        self.node_service_account, node_grants = node_identity(self, name, project, apis[IAM])
        groups = security_group(k8s.admins.gcp)
        self.cluster = gcp.container.Cluster(
            gcp_name(name, "cluster"),
            project=project,
            location=location,
            # A zonal cluster lists only its other zones (GKE adds its own); a regional one all of them.
            node_locations=zones if plane.zone_redundant else zones.apply(lambda zs: zs[1:]),
            description="BettaFish Kubernetes: private nodes and endpoint, encrypted Secrets and disks",
            network=vpc.network.id,
            subnetwork=vpc.subnetworks["private"].id,
            remove_default_node_pool=True,
            initial_node_count=1,
            node_config=hardened_node_config(self.node_service_account, key.id),
            min_master_version=k8s.version,
            release_channel={"channel": control_plane.RELEASE_CHANNEL},
            **control_plane.endpoint_access(plane),
            **control_plane.ip_allocation(POD_RANGE, SERVICE_RANGE),
            datapath_provider="ADVANCED_DATAPATH",
            database_encryption={"state": "ENCRYPTED", "key_name": key.id},
            logging_config={"enable_components": control_plane.logging_components(plane)},
            monitoring_config={"enable_components": control_plane.monitoring_components(plane)},
            workload_identity_config={"workload_pool": self.workload_pool},
            enable_shielded_nodes=True,
            enable_legacy_abac=False,
            master_auth={"client_certificate_config": {"issue_client_certificate": False}},
            anonymous_authentication_config={"mode": "LIMITED"},
            security_posture_config={"mode": "BASIC"},
            authenticator_groups_config={"security_group": groups} if groups else None,
            addons_config=control_plane.addons(k8s.addons),
            cluster_autoscaling=control_plane.autoscaling_profile(),
            resource_labels=labels,
            deletion_protection=ctx.protect_stateful,
            # Once the default pool is gone GKE reports the first remaining pool's settings and
            # no initial nodes here: without ignoring both, a second `up` would replace the cluster.
            # Its etcd holds every Kubernetes object and Secret: protected where stateful resources are.
            opts=self.child(
                stateful=True,
                depends_on=[apis[CONTAINER], secrets_grant, disk_grant, *node_grants],
                ignore_changes=["nodeConfig", "initialNodeCount"],
            ),
        )
        cluster_logs(
            self,
            name,
            self.cluster.name,
            project=project,
            region=region,
            retention_days=args.log_retention_days,
            keys=keys,
        )
        nodes = NodeContext(
            project=project,
            location=location,
            cluster=self.cluster,
            zones=zones,
            service_account=self.node_service_account,
            network_tag=vpc.app_tag,
            disk_key=key.id,
            labels=labels,
            depends_on=[disk_grant, *node_grants],
        )
        self.node_pools = node_pools(self, name, k8s, nodes)
        admin_grants = admin_members(self, name, k8s.admins.gcp, project)

        endpoint = self.cluster.endpoint.apply(lambda ip: f"https://{ip}")
        ca_data = self.cluster.master_auth.apply(lambda auth: auth.cluster_ca_certificate or "")
        kubeconfig = kubeconfig_output(self.cluster, endpoint, ca_data)
        provider = self._kubernetes_provider(
            self.cluster.name, kubeconfig, endpoint, depends_on=[*self.node_pools.values(), *admin_grants]
        )
        self._default_storage_class(STORAGE_PROVISIONER, {"type": "pd-balanced", "disk-encryption-kms-key": key.id})
        if k8s.admins.gcp:
            admin_binding(self, k8s.admins.gcp, provider)

        self._publish(
            cluster_name=self.cluster.name,
            endpoint=endpoint,
            certificate_authority=ca_data,
            kubeconfig=kubeconfig,
            oidc_issuer_url=pulumi.Output.concat(
                "https://container.googleapis.com/v1/projects/",
                project,
                "/locations/",
                location,
                "/clusters/",
                self.cluster.name,
            ),
            node_pool_names=pulumi.Output.from_input(list(self.node_pools)),
        )
