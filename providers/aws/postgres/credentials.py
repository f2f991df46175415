"""The master user's credentials: a generated password kept in a Secrets Manager secret encrypted
with the database key. The password is a Pulumi secret end to end; only the secret's ARN leaves
the component.

Not RDS-managed (``manage_master_user_password``): RDS refuses read replicas of an instance whose
master password it manages in Secrets Manager, on every engine but SQL Server ("Creating read
replicas for source instance with engine postgres where ManageMasterUserPassword is enabled is not
supported"), and prod has replicas. The secret holds what Secrets Manager's RDS credential format
and its rotation functions expect (engine, host, port, username, password, dbname).
"""

from __future__ import annotations

import pulumi
import pulumi_aws as aws
import pulumi_random as random

from components.base import NeutralComponent

MASTER_USERNAME = "bettafish_admin"
PASSWORD_LENGTH = 32
"""Letters and digits only (about 190 bits): RDS refuses ``/``, ``"``, ``@`` and spaces, and an
alphanumeric password needs no escaping in a connection string."""
RECOVERY_WINDOW_DAYS = 30
"""How long a deleted secret stays recoverable where stateful resources are protected."""


class MasterCredentials:
    """Children of ``parent``: ``random.RandomPassword``, then (once the instance exists) the
    ``secretsmanager.Secret`` and its ``SecretVersion``. Call ``store`` with the primary."""

    def __init__(self, parent: NeutralComponent, name: str) -> None:
        self.parent = parent
        self.name = name
        generated = random.RandomPassword(
            f"{name}-master-password", length=PASSWORD_LENGTH, special=False, opts=parent.child()
        )
        self.password: pulumi.Output[str] = pulumi.Output.secret(generated.result)

    def store(self, primary: aws.rds.Instance, key: aws.kms.Key, tags: dict[str, str]) -> aws.secretsmanager.Secret:
        """The secret, protected like the database it opens (its name is autonamed: Secrets Manager
        keeps a deleted secret's name for the recovery window, which would block the next ``up``)."""
        protect = self.parent.context.protect_stateful
        secret = aws.secretsmanager.Secret(
            f"{self.name}-credentials",
            description=f"BettaFish {self.name}: the PostgreSQL master user",
            kms_key_id=key.arn,
            recovery_window_in_days=RECOVERY_WINDOW_DAYS if protect else 0,
            tags=tags,
            opts=self.parent.child(stateful=True),
        )
        document: pulumi.Output[str] = pulumi.Output.secret(
            pulumi.Output.json_dumps(
                {
                    "engine": "postgres",
                    "host": primary.address,
                    "port": primary.port,
                    "username": MASTER_USERNAME,
                    "password": self.password,
                    "dbname": primary.db_name,
                }
            )
        )
        aws.secretsmanager.SecretVersion(
            f"{self.name}-credentials", secret_id=secret.id, secret_string=document, opts=self.parent.child()
        )
        return secret
