"""The PostgreSQL admin credentials: a generated password set on a Cloud SQL built-in user and kept
in Secret Manager, encrypted with the database key. The password is a Pulumi secret end to end;
only the secret's id leaves the component."""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp
import pulumi_random as random

from components.base import NeutralComponent
from providers.gcp.agents import grant_key_use, service_identity
from providers.gcp.project import SECRET_MANAGER

ADMIN_USER = "bettafish_admin"
PASSWORD_LENGTH = 32
"""Letters and digits only (about 190 bits): safe in connection strings without escaping."""


class Credentials:
    """Children of ``parent``: RandomPassword, sql.User, the Secret Manager agent with its grant on
    the database key, the Secret (one user-managed replica in the region, CMEK) and its version.

    The secret id is fixed (``<name>-credentials``), so the reference apps read never changes:
    Secret Manager deletes a secret at once and lets its id be used again, so a staging destroyed
    and brought up again gets the same id back."""

    def __init__(
        self,
        parent: NeutralComponent,
        name: str,
        *,
        instance: gcp.sql.DatabaseInstance,
        key: gcp.kms.CryptoKey,
        project: str,
        region: str,
        labels: dict[str, str],
        api: gcp.projects.Service,
    ) -> None:
        self.password = random.RandomPassword(
            f"{name}-password", length=PASSWORD_LENGTH, special=False, opts=parent.child()
        )
        secret_password: pulumi.Output[str] = pulumi.Output.secret(self.password.result)
        self.user = gcp.sql.User(
            f"{name}-admin",
            project=project,
            instance=instance.name,
            name=ADMIN_USER,
            type="BUILT_IN",
            password=secret_password,
            # PostgreSQL refuses to drop a role that owns objects; the instance takes it along.
            deletion_policy="ABANDON",
            opts=parent.child(),
        )
        agent = service_identity(parent, f"{name}-secrets-agent", project, SECRET_MANAGER, api)
        grant = grant_key_use(parent, f"{name}-secrets-key-user", key, agent)
        self.secret = gcp.secretmanager.Secret(
            f"{name}-credentials",
            project=project,
            secret_id=f"{name}-credentials",
            replication={
                "user_managed": {
                    "replicas": [{"location": region, "customer_managed_encryption": {"kms_key_name": key.id}}]
                }
            },
            labels=labels,
            annotations={"username": ADMIN_USER},
            opts=parent.child(depends_on=[grant]),
        )
        document: pulumi.Output[str] = pulumi.Output.secret(
            pulumi.Output.json_dumps({"username": ADMIN_USER, "password": secret_password})
        )
        self.version = gcp.secretmanager.SecretVersion(
            f"{name}-credentials-value",
            secret=self.secret.id,
            secret_data=document,
            opts=parent.child(depends_on=[self.user]),
        )
