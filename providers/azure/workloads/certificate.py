"""The origin's public certificate for ``origin.<zone>``: issued by Let's Encrypt to cert-manager
through the ACME DNS-01 challenge on the stack's Azure DNS zone, renewed by cert-manager a third of
its lifetime before it expires, kept in the Kubernetes Secret the Gateway's HTTPS listener reads.

Why: the edge (Front Door) reaches the origin over HTTPS and accepts only publicly trusted
certificates; AGC takes its certificates from Kubernetes Secrets. Key Vault can issue public
certificates only through a paid DigiCert or GlobalSign account, and the vault refuses public
networks, so a certificate there could not be created by Pulumi either. DNS-01 works whatever
reaches the origin (the edge will let only Front Door in), and needs no listener for the challenge.

- cert-manager runs with its own workload identity (``cert-manager/cert-manager``), which may touch
  TXT records of the zone and nothing else: a custom role with the TXT record actions, assignable
  in the zone's resource group (Azure advises resource groups, not resources, as assignable scopes:
  a tenant holds at most 5000 custom roles), assigned on the zone only. A record the platform
  serves (``api``, ``origin``) stays out of its reach. Custom role names are unique in the tenant,
  so the name carries the stack's.
- The ClusterIssuer takes that identity as ambient credentials (cert-manager allows them to cluster
  issuers only); the ACME account key is generated in the cluster and never leaves it.
- Issuance waits for the zone to be delegated at the registrar: until Let's Encrypt can resolve the
  zone, the challenge fails and cert-manager retries with back-off (docs/deploying.md).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pulumi
import pulumi_kubernetes as k8s
from pulumi_azure_native import authorization, resources

from bettafish.config.aks_charts import aks_charts
from components.base import NeutralComponent
from components.workloads import NAMESPACE
from providers.azure.common import grant
from providers.azure.kubernetes import AzureKubeCluster
from providers.azure.workloads.controllers import controller_identity, helm_release
from providers.azure.workloads.identity import USE_LABEL

ACME_SERVER = "https://acme-v02.api.letsencrypt.org/directory"
CERT_MANAGER_NAMESPACE = "cert-manager"
CERT_MANAGER_ACCOUNT = "cert-manager"
ISSUER = "letsencrypt"
SECRET = "origin-tls"
KEY = {"algorithm": "RSA", "size": 2048, "rotationPolicy": "Always"}
"""RSA 2048, what every TLS client and Front Door's origin connection accept; a new key each renewal."""
TXT_RECORD_ACTIONS = [
    "Microsoft.Network/dnszones/read",
    "Microsoft.Network/dnszones/TXT/read",
    "Microsoft.Network/dnszones/TXT/write",
    "Microsoft.Network/dnszones/TXT/delete",
]


@dataclass(frozen=True)
class OriginCertificate:
    secret: str
    """The Secret in the services' namespace that holds the certificate and its key."""
    certificate: k8s.apiextensions.CustomResource


def acme_role_id(component: str) -> str:
    """The custom role's GUID, stable per stack (role definition ids are chosen by the caller)."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, f"bettafish/{component}/acme-dns01-txt"))


def origin_certificate(
    parent: NeutralComponent,
    name: str,
    rg: resources.ResourceGroup,
    location: str,
    tags: dict[str, str],
    *,
    host: str,
    zone_name: pulumi.Input[str],
    zone_id: pulumi.Input[str],
    zone_group: resources.ResourceGroup,
    cluster: AzureKubeCluster,
    namespace: pulumi.Resource,
    issuer: pulumi.Input[str],
    subscription: pulumi.Output[str],
) -> OriginCertificate:
    ids = controller_identity(
        parent,
        f"{name}-cert-manager",
        rg,
        location,
        tags,
        issuer=issuer,
        namespace=CERT_MANAGER_NAMESPACE,
        account=CERT_MANAGER_ACCOUNT,
    )
    role_id = acme_role_id(name)
    role = authorization.RoleDefinition(
        f"{name}-acme-txt-role",
        role_definition_id=role_id,
        role_name=f"{name} ACME DNS-01 TXT records",
        description="Write and delete the TXT records of ACME DNS-01 challenges in the stack's zone",
        role_type="CustomRole",
        scope=subscription.apply(lambda sub: f"/subscriptions/{sub}"),
        assignable_scopes=[zone_group.id],
        permissions=[{"actions": TXT_RECORD_ACTIONS, "not_actions": []}],
        opts=parent.child(),
    )
    txt_grant = grant(
        parent,
        f"{name}-cert-manager-txt",
        principal_id=ids.identity.principal_id,
        role=role_id,
        scope=zone_id,
        subscription=subscription,
        description="cert-manager answers ACME DNS-01 challenges for the origin's certificate",
        depends_on=[role],
    )
    release = helm_release(
        parent,
        f"{name}-cert-manager",
        release_name="cert-manager",
        chart=aks_charts().cert_manager,
        namespace=CERT_MANAGER_NAMESPACE,
        create_namespace=True,
        values={
            "crds": {"enabled": True},
            "podLabels": {USE_LABEL: "true"},
            "serviceAccount": {"labels": {USE_LABEL: "true"}},
        },
        provider=cluster.provider,
        depends_on=[ids.federation, txt_grant],
    )
    cluster_issuer = k8s.apiextensions.CustomResource(
        f"{name}-letsencrypt",
        api_version="cert-manager.io/v1",
        kind="ClusterIssuer",
        metadata={"name": ISSUER},
        spec={
            "acme": {
                "server": ACME_SERVER,
                "privateKeySecretRef": {"name": f"{ISSUER}-account"},
                "solvers": [
                    {
                        "selector": {"dnsZones": [zone_name]},
                        "dns01": {
                            "azureDNS": {
                                "subscriptionID": subscription,
                                "resourceGroupName": zone_group.name,
                                "hostedZoneName": zone_name,
                                "environment": "AzurePublicCloud",
                                "managedIdentity": {"clientID": ids.identity.client_id},
                            }
                        },
                    }
                ],
            }
        },
        opts=parent.child(provider=cluster.provider, depends_on=[release]),
    )
    certificate = k8s.apiextensions.CustomResource(
        f"{name}-origin-certificate",
        api_version="cert-manager.io/v1",
        kind="Certificate",
        metadata={"name": "origin", "namespace": NAMESPACE},
        spec={
            "secretName": SECRET,
            "dnsNames": [host],
            "issuerRef": {"group": "cert-manager.io", "kind": "ClusterIssuer", "name": ISSUER},
            "privateKey": KEY,
        },
        opts=parent.child(provider=cluster.provider, depends_on=[cluster_issuer, namespace]),
    )
    return OriginCertificate(secret=SECRET, certificate=certificate)
