"""AWS Keys: one rotated customer-managed KMS key per purpose, an alias each, and a database key
in the disaster-recovery region for the copied backups."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from bettafish.config.encryption import Encryption
from components.keys import KEY_PURPOSES, KeyPurpose, Keys, KeysArgs

_DESCRIPTIONS: dict[KeyPurpose, str] = {
    "database": "PostgreSQL storage, snapshots, Performance Insights and the master user secret",
    "cache": "Redis data at rest and its snapshots",
    "storage": "Object storage buckets that ask for customer-managed encryption",
    "kubernetes": "Kubernetes Secrets envelope encryption, node and persistent volumes",
    "logs": "Log groups and log storage",
}


class AwsKeys(Keys):
    """Children: per purpose a ``kms.Key`` (rotation, deletion window, explicit key policy) and a
    ``kms.Alias``; with a DR region, one more rotated key (and alias) there for database backups.

    Extra attributes for sibling AWS components: ``keys`` (purpose -> ``kms.Key``),
    ``dr_region`` and ``dr_database_key`` (the ``kms.Key`` there, or None).
    """

    def __init__(self, name: str, args: KeysArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args, opts)
        tags = args.context.tags("keys")
        account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=self)).account_id

        def policy(purpose: KeyPurpose) -> pulumi.Output[str]:
            rendered: pulumi.Output[str] = account_id.apply(lambda account: json.dumps(key_policy(account, purpose)))
            return rendered

        self.keys: dict[KeyPurpose, aws.kms.Key] = {
            purpose: self._key(
                f"{name}-{purpose}", _DESCRIPTIONS[purpose], args.encryption, policy(purpose), tags, purpose
            )
            for purpose in KEY_PURPOSES
        }
        self.dr_region = args.dr_region
        self.dr_database_key: aws.kms.Key | None = None
        if args.dr_region:
            self.dr_database_key = self._key(
                f"{name}-database-dr",
                f"Copies of the PostgreSQL automated backups in {args.dr_region}",
                args.encryption,
                policy("database"),
                tags,
                "database",
                region=args.dr_region,
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


def key_policy(account_id: str, purpose: KeyPurpose | None = None) -> dict[str, object]:
    """The account administers and delegates use to IAM; no other principal, never ``*``.

    In a key policy ``Resource: "*"`` means "this key". Services (RDS, ElastiCache, S3, Secrets
    Manager, AWS Backup, EKS) use the key through the caller's IAM permissions and grants, except
    where a service-linked role needs the key policy itself (``_purpose_statements``).
    """
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministersAndDelegatesToIam",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": "kms:*",
                "Resource": "*",
            },
            *(_purpose_statements(account_id, purpose) if purpose else []),
        ],
    }


def _purpose_statements(account_id: str, purpose: KeyPurpose) -> list[dict[str, object]]:
    """``kubernetes``: EKS node groups launch through EC2 Auto Scaling, whose service-linked role
    encrypts the nodes' root volumes. IAM policies cannot be attached to a service-linked role, so
    the key policy names it (the EC2 Auto Scaling guide's key policy for encrypted volumes). The role
    must exist when the key policy is written: in a fresh account, create it first (docs/deploying.md).
    """
    if purpose != "kubernetes":
        return []
    autoscaling = {
        "AWS": f"arn:aws:iam::{account_id}:role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling"
    }
    return [
        {
            "Sid": "AutoScalingUsesKeyForNodeVolumes",
            "Effect": "Allow",
            "Principal": autoscaling,
            "Action": ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
            "Resource": "*",
        },
        {
            "Sid": "AutoScalingGrantsKeyToAttachedVolumes",
            "Effect": "Allow",
            "Principal": autoscaling,
            "Action": "kms:CreateGrant",
            "Resource": "*",
            "Condition": {"Bool": {"kms:GrantIsForAWSResource": True}},
        },
    ]
