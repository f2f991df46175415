"""IAM shared by the AWS components: roles only one AWS service of this account may assume."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components.base import NeutralComponent


def service_role(
    parent: NeutralComponent,
    name: str,
    service: str,
    description: str,
    tags: dict[str, str],
    source_arn: str | None = None,
) -> aws.iam.Role:
    """A role ``service`` (``backup.amazonaws.com``...) may assume on behalf of this account only
    (``aws:SourceAccount``), and of ``source_arn`` only when given (a pattern with ``{account}``)."""
    account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=parent)).account_id
    return aws.iam.Role(
        name,
        description=description,
        assume_role_policy=account_id.apply(lambda account: json.dumps(trust_policy(service, account, source_arn))),
        tags=tags,
        opts=parent.child(),
    )


def trust_policy(service: str, account_id: str, source_arn: str | None = None) -> dict[str, object]:
    condition: dict[str, object] = {"StringEquals": {"aws:SourceAccount": account_id}}
    if source_arn:
        condition["ArnLike"] = {"aws:SourceArn": source_arn.format(account=account_id)}
    return {
        "Version": "2012-10-17",
        "Statement": [
            {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole", "Condition": condition}
        ],
    }
