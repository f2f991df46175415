"""AWS Keys: one rotated customer-managed KMS key per purpose, an alias each, and a database key
in the disaster-recovery region for the copied backups."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from bettafish.config.encryption import Encryption
from components.keys import KEY_PURPOSES, KeyPurpose, Keys, KeysArgs
from providers.aws.key_policies import KeyPolicyContext, key_policy

_DESCRIPTIONS: dict[KeyPurpose, str] = {
    "database": "PostgreSQL storage, snapshots, Performance Insights and the master user secret",
    "cache": "Redis data at rest and its snapshots",
    "storage": "Object storage buckets that ask for customer-managed encryption",
    "kubernetes": "Kubernetes Secrets envelope encryption, node and persistent volumes",
    "logs": "CloudWatch log groups and alarm topics of this stack",
}
EDGE_REGION = "us-east-1"
"""Where CloudFront takes its ACM certificate and its WAF web ACL, and where both log."""


class AwsKeys(Keys):
    """Children: per purpose a ``kms.Key`` (rotation, deletion window, the purpose's key policy) and
    a ``kms.Alias``; with a DR region, two more rotated keys (and aliases) there, for database backups
    and for the buckets' replicas.

    ``encryption.protectionLevel`` needs no setting here: AWS KMS generates and keeps the material of
    every symmetric key in FIPS 140-validated hardware security modules, so ``hsm`` and ``software``
    both get an HSM-backed key (security rule 40).

    Extra attributes for sibling AWS components: ``keys`` (purpose -> ``kms.Key``),
    ``dr_region``, ``dr_database_key`` and ``dr_storage_key`` (the ``kms.Key`` there, or None), ``edge_logs_key`` (the
    logs key usable in us-east-1: the logs key itself in a us-east-1 stack, else one more key there).
    """

    def __init__(self, name: str, args: KeysArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        ctx = args.context
        tags = ctx.tags("keys")
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        def policy(purpose: KeyPurpose, region: str) -> pulumi.Output[str]:
            document: pulumi.Output[str] = account_id.apply(
                lambda account: json.dumps(key_policy(purpose, KeyPolicyContext(account, region)))
            )
            return document

        self.keys: dict[KeyPurpose, aws.kms.Key] = {
            purpose: self._key(
                f"{name}-{purpose}",
                _DESCRIPTIONS[purpose],
                args.encryption,
                policy(purpose, ctx.provider.region),
                tags,
                purpose,
            )
            for purpose in KEY_PURPOSES
        }
        self.dr_region = args.dr_region
        self.dr_database_key: aws.kms.Key | None = None
        self.dr_storage_key: aws.kms.Key | None = None
        if args.dr_region:
            self.dr_storage_key = self._key(
                f"{name}-storage-dr",
                f"Replicas of the user-data buckets in {args.dr_region}",
                args.encryption,
                policy("storage", args.dr_region),
                tags,
                "storage",
                region=args.dr_region,
            )
            self.dr_database_key = self._key(
                f"{name}-database-dr",
                f"Copies of the PostgreSQL automated backups in {args.dr_region}",
                args.encryption,
                policy("database", args.dr_region),
                tags,
                "database",
                region=args.dr_region,
            )

        # CloudFront's WAF and access logs are written in us-east-1, where CloudWatch Logs takes a key of
        # that region only: the logs key itself when the stack lives there, else its twin in us-east-1.
        self.edge_logs_key = (
            self.keys["logs"]
            if ctx.provider.region == EDGE_REGION
            else self._key(
                f"{name}-logs-edge",
                f"CloudWatch log groups of this stack's CDN and WAF in {EDGE_REGION}",
                args.encryption,
                policy("logs", EDGE_REGION),
                tags,
                "logs",
                region=EDGE_REGION,
            )
        )

        self._publish(key_ids=pulumi.Output.all(**{purpose: key.arn for purpose, key in self.keys.items()}))

    def _key(
        self,
        key_name: str,
        description: str,
        encryption: Encryption,
        policy: pulumi.Output[str],
        tags: dict[str, str],
        purpose: KeyPurpose,
        region: str | None = None,
    ) -> aws.kms.Key:
        key = aws.kms.Key(
            key_name,
            description=f"BettaFish {key_name}: {description}",
            key_usage="ENCRYPT_DECRYPT",
            customer_master_key_spec="SYMMETRIC_DEFAULT",
            is_enabled=True,
            enable_key_rotation=True,
            rotation_period_in_days=encryption.key_rotation_days,
            deletion_window_in_days=encryption.key_deletion_window_days,
            multi_region=False,
            bypass_policy_lockout_safety_check=False,
            policy=policy,
            region=region,
            tags={**tags, "purpose": purpose},
            opts=self.child(stateful=True),
        )
        aws.kms.Alias(key_name, name=f"alias/{key_name}", target_key_id=key.key_id, region=region, opts=self.child())
        return key
