"""User data in the disaster-recovery region: each bucket but the logs bucket replicated by S3 to a
replica there, with Replication Time Control (99.99% of objects within 15 minutes, inside the spec's
1-hour RPO), encrypted with the DR region's storage key. The replicas carry the settings of every
bucket of the platform and log their access into a logs bucket of their own region (S3 delivers
access logs within a region only)."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components.base import NeutralComponent
from providers.aws.bucket_policies import ACCESS_LOGS_PREFIX, bucket_policy
from providers.aws.bucket_settings import bucket_settings
from providers.aws.iam import service_role
from providers.aws.object_store import LOGS_BUCKET, AwsObjectStore, kebab

REPLICATION_MINUTES = 15
"""S3 Replication Time Control's commitment (and the only value it takes)."""


def replication_policy(
    sources: list[str], replicas: list[str], source_keys: list[str], dr_key: str
) -> dict[str, object]:
    """S3's replication role: read the sources' versions, write replicas, decrypt with the source
    keys, encrypt with the DR key; nothing else."""
    statements: list[dict[str, object]] = [
        {
            "Sid": "ReadSourceConfiguration",
            "Effect": "Allow",
            "Action": ["s3:GetReplicationConfiguration", "s3:ListBucket"],
            "Resource": sources,
        },
        {
            "Sid": "ReadSourceVersions",
            "Effect": "Allow",
            "Action": ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"],
            "Resource": [f"{arn}/*" for arn in sources],
        },
        {
            "Sid": "WriteReplicas",
            "Effect": "Allow",
            "Action": ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"],
            "Resource": [f"{arn}/*" for arn in replicas],
        },
        {
            "Sid": "EncryptReplicas",
            "Effect": "Allow",
            "Action": ["kms:Encrypt", "kms:GenerateDataKey"],
            "Resource": [dr_key],
        },
    ]
    if source_keys:
        statements.append(
            {"Sid": "DecryptSources", "Effect": "Allow", "Action": ["kms:Decrypt"], "Resource": source_keys}
        )
    return {"Version": "2012-10-17", "Statement": statements}


def replicate_user_data(
    parent: NeutralComponent,
    name: str,
    store: AwsObjectStore,
    dr_region: str,
    dr_key: aws.kms.Key,
    tags: dict[str, str],
) -> dict[str, aws.s3.Bucket]:
    """The DR logs bucket, a replica per user-data bucket (stateful: protected in prod), S3's role
    and each source's replication configuration. Returns logical name -> replica."""
    storage = store.storage
    configs = dict(storage.buckets.items())
    account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=parent)).account_id
    sources = [logical for logical in store.buckets if logical != LOGS_BUCKET]

    def bucket(logical: str) -> aws.s3.Bucket:
        return aws.s3.Bucket(
            f"{name}-{kebab(logical)}-dr",
            force_destroy=not parent.context.protect_stateful,
            region=dr_region,
            tags={**tags, "bucket": f"{name}-{kebab(logical)}-dr", "replicaOf": logical},
            opts=parent.child(stateful=True),
        )

    logs = bucket(LOGS_BUCKET)
    replicas = {logical: bucket(logical) for logical in sources}

    def policy(target: aws.s3.Bucket, log_sources: list[aws.s3.Bucket]) -> pulumi.Output[str]:
        document: pulumi.Output[str] = pulumi.Output.all(target.arn, account_id, *[b.arn for b in log_sources]).apply(
            lambda v: json.dumps(bucket_policy(v[0], log_sources=list(v[2:]), account_id=v[1]))
        )
        return document

    logs_settings = bucket_settings(
        parent,
        f"{name}-{kebab(LOGS_BUCKET)}-dr",
        logs,
        configs[LOGS_BUCKET],
        storage,
        dr_key,
        policy(logs, list(replicas.values())),
        region=dr_region,
    )
    role = service_role(
        parent, f"{name}-replication", "s3.amazonaws.com", f"Lets S3 replicate {name}'s user data to {dr_region}", tags
    )
    for logical, replica in replicas.items():
        replica_name = f"{name}-{kebab(logical)}-dr"
        settings = bucket_settings(
            parent,
            replica_name,
            replica,
            configs[logical],
            storage,
            dr_key,
            policy(replica, []),
            region=dr_region,
        )
        aws.s3.BucketLogging(
            replica_name,
            bucket=replica.id,
            target_bucket=logs.id,
            target_prefix=f"{ACCESS_LOGS_PREFIX}{kebab(logical)}-dr/",
            region=dr_region,
            opts=parent.child(depends_on=[logs_settings.encryption, logs_settings.policy]),
        )
        source_key = store.encryption_keys[logical]
        permissions = aws.iam.RolePolicy(
            replica_name,
            role=role.id,
            policy=pulumi.Output.all(
                store.buckets[logical].arn, replica.arn, dr_key.arn, *([source_key.arn] if source_key else [])
            ).apply(lambda v: json.dumps(replication_policy([v[0]], [v[1]], list(v[3:]), v[2]))),
            opts=parent.child(),
        )
        aws.s3.BucketReplicationConfig(
            f"{name}-{kebab(logical)}",
            bucket=store.buckets[logical].id,
            role=role.arn,
            rules=[
                aws.s3.BucketReplicationConfigRuleArgs(
                    id="user-data-to-dr",
                    status="Enabled",
                    priority=1,
                    filter=aws.s3.BucketReplicationConfigRuleFilterArgs(prefix=""),
                    delete_marker_replication=aws.s3.BucketReplicationConfigRuleDeleteMarkerReplicationArgs(
                        status="Enabled"
                    ),
                    source_selection_criteria=aws.s3.BucketReplicationConfigRuleSourceSelectionCriteriaArgs(
                        sse_kms_encrypted_objects=aws.s3.BucketReplicationConfigRuleSourceSelectionCriteriaSseKmsEncryptedObjectsArgs(
                            status="Enabled"
                        )
                    ),
                    destination=aws.s3.BucketReplicationConfigRuleDestinationArgs(
                        bucket=replica.arn,
                        storage_class="STANDARD",
                        encryption_configuration=aws.s3.BucketReplicationConfigRuleDestinationEncryptionConfigurationArgs(
                            replica_kms_key_id=dr_key.arn
                        ),
                        replication_time=aws.s3.BucketReplicationConfigRuleDestinationReplicationTimeArgs(
                            status="Enabled",
                            time=aws.s3.BucketReplicationConfigRuleDestinationReplicationTimeTimeArgs(
                                minutes=REPLICATION_MINUTES
                            ),
                        ),
                        metrics=aws.s3.BucketReplicationConfigRuleDestinationMetricsArgs(
                            status="Enabled",
                            event_threshold=aws.s3.BucketReplicationConfigRuleDestinationMetricsEventThresholdArgs(
                                minutes=REPLICATION_MINUTES
                            ),
                        ),
                    ),
                )
            ],
            # S3 refuses replication unless both buckets are versioned, and replicates only once the
            # role may read and write.
            opts=parent.child(depends_on=[store.settings[logical].versioning, settings.versioning, permissions]),
        )
    return replicas
