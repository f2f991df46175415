"""Each service's own Microsoft Entra identity (security rule 36): a user-assigned managed identity
federated with the service's Kubernetes ServiceAccount (AKS Workload Identity), holding exactly the
grants of the service's ``access`` list and nothing else.

- Federation: issuer the cluster's OIDC issuer, subject ``system:serviceaccount:bettafish:<sa>``,
  audience ``api://AzureADTokenExchange``. The AKS webhook injects the projected token into pods
  labelled ``azure.workload.identity/use: "true"`` whose ServiceAccount names the identity's client
  id; the Azure SDKs exchange it at Entra ID (HTTPS to ``login.microsoftonline.com``). No secret,
  no key, no node identity is involved.
- Buckets: Storage Blob Data Reader (``read``) or Contributor (``readWrite``) on the bucket's
  container, not its account: another bucket, or another container, stays out of reach. The
  accounts' customer-managed keys are used by Storage itself, so no key grant is needed.
- Secrets: Key Vault Secrets User on the database credentials secret only (the vault uses Azure
  RBAC, which scopes to a single secret); services read it with their identity through the vault's
  private endpoint. Nothing is copied into a Kubernetes Secret.
- Cache: an Azure Managed Redis access policy assignment (Microsoft Entra authentication, policy
  ``default``) for the identity's object id; the client authenticates with an Entra token as the
  object id, so no access key exists anywhere (the database's access keys are disabled).
- Database: reached on the network with the credentials above (the server takes password
  authentication only); ``access.database`` opens the network path, the secret grant the login.
"""

from __future__ import annotations

import pulumi
from pulumi_azure_native import managedidentity, redisenterprise, resources

from bettafish.config.services import Service
from components.base import NeutralComponent
from components.workloads import NAMESPACE, ServiceIdentity
from providers.azure.cache_cluster import AzureCacheCluster
from providers.azure.common import grant, user_identity
from providers.azure.object_store import AzureObjectStore
from providers.azure.postgres import AzurePostgresCluster

TOKEN_AUDIENCE = "api://AzureADTokenExchange"
CLIENT_ID_ANNOTATION = "azure.workload.identity/client-id"
USE_LABEL = "azure.workload.identity/use"
STORAGE_BLOB_DATA_READER = "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1"
STORAGE_BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
BUCKET_ROLES = {"read": STORAGE_BLOB_DATA_READER, "readWrite": STORAGE_BLOB_DATA_CONTRIBUTOR}
KEY_VAULT_SECRETS_USER = "4633458b-17de-408a-b874-0445c86b69e6"
"""Built-in role: read a secret's value, nothing about keys or certificates."""
REDIS_ACCESS_POLICY = "default"
"""The one access policy Azure Managed Redis offers to Entra principals (data access, no admin)."""


def federate(
    parent: NeutralComponent,
    name: str,
    identity: managedidentity.UserAssignedIdentity,
    rg: resources.ResourceGroup,
    issuer: pulumi.Input[str],
    namespace: str,
    account: str,
) -> managedidentity.FederatedIdentityCredential:
    """Trust ``namespace/account``'s tokens from the cluster's issuer for ``identity``."""
    return managedidentity.FederatedIdentityCredential(
        name,
        resource_group_name=rg.name,
        resource_name_=identity.name,
        federated_identity_credential_resource_name=account,
        issuer=issuer,
        subject=f"system:serviceaccount:{namespace}:{account}",
        audiences=[TOKEN_AUDIENCE],
        opts=parent.child(),
    )


class ServiceIdentities:
    """Builds the identity of each service in turn; Azure Managed Redis takes one access policy
    assignment at a time on a database, so each waits for the one before."""

    def __init__(
        self,
        parent: NeutralComponent,
        rg: resources.ResourceGroup,
        location: str,
        tags: dict[str, str],
        *,
        issuer: pulumi.Input[str],
        subscription: pulumi.Output[str],
        store: AzureObjectStore,
        database: AzurePostgresCluster,
        cache: AzureCacheCluster,
    ) -> None:
        self.parent, self.rg, self.location, self.tags = parent, rg, location, tags
        self.issuer, self.subscription = issuer, subscription
        self.store, self.database, self.cache = store, database, cache
        self.identities: dict[str, managedidentity.UserAssignedIdentity] = {}
        self._last_cache_assignment: list[pulumi.Resource] = []

    def build(self, account: str, service: Service) -> ServiceIdentity:
        parent, prefix = self.parent, f"{self.parent.name}-{account}"
        identity = user_identity(parent, f"{prefix}-identity", self.rg, self.location, self.tags)
        self.identities[account] = identity
        ready: list[pulumi.Resource] = [
            federate(parent, f"{prefix}-federation", identity, self.rg, self.issuer, NAMESPACE, account)
        ]
        for bucket, mode in sorted(service.access.buckets.items()):
            ready.append(
                self._grant(
                    f"{prefix}-{bucket}",
                    identity,
                    BUCKET_ROLES[mode],
                    self.store.containers[bucket].id,
                    f"{account} may {mode} the {bucket} bucket",
                )
            )
        if "databaseCredentials" in service.access.secrets:
            ready.append(
                self._grant(
                    f"{prefix}-database-credentials",
                    identity,
                    KEY_VAULT_SECRETS_USER,
                    self.database.secret.id,
                    f"{account} reads the database credentials",
                )
            )
        if service.access.cache:
            ready.append(self._cache_access(f"{prefix}-cache", account, identity))
        return ServiceIdentity(
            annotations={CLIENT_ID_ANNOTATION: identity.client_id},
            pod_labels={USE_LABEL: "true"},
            ready=ready,
        )

    def _grant(
        self,
        resource_name: str,
        identity: managedidentity.UserAssignedIdentity,
        role: str,
        scope: pulumi.Input[str],
        why: str,
    ) -> pulumi.Resource:
        assignment: pulumi.Resource = grant(
            self.parent,
            resource_name,
            principal_id=identity.principal_id,
            role=role,
            scope=scope,
            subscription=self.subscription,
            description=why,
        )
        return assignment

    def _cache_access(
        self, resource_name: str, account: str, identity: managedidentity.UserAssignedIdentity
    ) -> pulumi.Resource:
        assignment: pulumi.Resource = redisenterprise.AccessPolicyAssignment(
            resource_name,
            resource_group_name=self.cache.resource_group.name,
            cluster_name=self.cache.cluster.name,
            database_name=self.cache.database.name,
            # Letters and digits only.
            access_policy_assignment_name=account.replace("-", ""),
            access_policy_name=REDIS_ACCESS_POLICY,
            user={"object_id": identity.principal_id},
            opts=self.parent.child(depends_on=self._last_cache_assignment or None),
        )
        self._last_cache_assignment = [assignment]
        return assignment
