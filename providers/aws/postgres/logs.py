"""The CloudWatch log groups an RDS instance exports to, created before the instance.

RDS names them ``/aws/rds/instance/<identifier>/<log type>`` and, when they are missing, creates
them itself on the first export: unencrypted and kept forever. Creating them first, with the logs
key and the database log retention (security rules 31 and 39), needs the instance's identifier
before the instance exists, so the instances have explicit identifiers.
"""

from __future__ import annotations

import pulumi_aws as aws

from components.base import NeutralComponent

LOG_EXPORTS = ["postgresql", "upgrade"]


def instance_log_groups(
    parent: NeutralComponent,
    identifier: str,
    retention_days: int,
    logs_key: aws.kms.Key,
    tags: dict[str, str],
) -> list[aws.cloudwatch.LogGroup]:
    return [
        aws.cloudwatch.LogGroup(
            f"{identifier}-{log_type}-logs",
            name=f"/aws/rds/instance/{identifier}/{log_type}",
            retention_in_days=retention_days,
            kms_key_id=logs_key.arn,
            tags=tags,
            opts=parent.child(),
        )
        for log_type in LOG_EXPORTS
    ]
