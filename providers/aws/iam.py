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
    *,
    source_account: bool = True,
) -> aws.iam.Role:
    """A role ``service`` (``backup.amazonaws.com``...) may assume on behalf of this account only
    (``aws:SourceAccount``), and of ``source_arn`` only when given (a pattern with ``{account}``).

    ``source_account=False`` for services that assume roles without those keys, where the condition
    would lock the service out: EC2 instance profiles and the EKS cluster role (their documented
    trust policies name the service alone)."""
    account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=parent)).account_id
    return aws.iam.Role(
        name,
        description=description,
        assume_role_policy=account_id.apply(
            lambda account: json.dumps(trust_policy(service, account, source_arn, source_account=source_account))
        ),
        tags=tags,
        opts=parent.child(),
    )


def trust_policy(
    service: str, account_id: str, source_arn: str | None = None, *, source_account: bool = True
) -> dict[str, object]:
    statement: dict[str, object] = {"Effect": "Allow", "Principal": {"Service": service}, "Action": "sts:AssumeRole"}
    if source_account:
        condition: dict[str, object] = {"StringEquals": {"aws:SourceAccount": account_id}}
        if source_arn:
            condition["ArnLike"] = {"aws:SourceArn": source_arn.format(account=account_id)}
        statement["Condition"] = condition
    return {"Version": "2012-10-17", "Statement": [statement]}
