"""Where alarms go: an SNS topic per region that has alarms (CloudWatch alarms notify topics of their
own region only: the stack's, and us-east-1 where CloudFront's and the WAF's metrics are), encrypted
with the logs key of that region, with the configured e-mail subscriptions."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components.base import NeutralComponent


def topic_policy(topic_arn: str, account_id: str) -> dict[str, object]:
    """The account administers the topic; CloudWatch alarms of this account may publish to it."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "AccountAdministers",
                "Effect": "Allow",
                "Principal": {"AWS": f"arn:aws:iam::{account_id}:root"},
                "Action": ["sns:GetTopicAttributes", "sns:SetTopicAttributes", "sns:Subscribe", "sns:Publish"],
                "Resource": topic_arn,
            },
            {
                "Sid": "CloudWatchAlarmsOfThisAccount",
                "Effect": "Allow",
                "Principal": {"Service": "cloudwatch.amazonaws.com"},
                "Action": "sns:Publish",
                "Resource": topic_arn,
                "Condition": {"StringEquals": {"aws:SourceAccount": account_id}},
            },
        ],
    }


def alarm_topic(
    parent: NeutralComponent,
    name: str,
    region: str,
    key: aws.kms.Key,
    emails: list[str],
    tags: dict[str, str],
) -> aws.sns.Topic:
    """The topic, its policy and one e-mail subscription per address. Each address receives a
    confirmation mail and gets alarms once it confirms (SNS keeps an unconfirmed subscription three
    days); ``pulumi destroy`` cannot delete an unconfirmed one, SNS drops it by itself."""
    account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=parent)).account_id
    topic = aws.sns.Topic(
        name,
        display_name=name[:100],
        kms_master_key_id=key.arn,
        region=region,
        tags=tags,
        opts=parent.child(),
    )
    aws.sns.TopicPolicy(
        name,
        arn=topic.arn,
        policy=pulumi.Output.all(topic.arn, account_id).apply(lambda v: json.dumps(topic_policy(v[0], v[1]))),
        region=region,
        opts=parent.child(),
    )
    for index, email in enumerate(emails):
        aws.sns.TopicSubscription(
            f"{name}-email-{index}",
            topic=topic.arn,
            protocol="email",
            endpoint=email,
            region=region,
            opts=parent.child(),
        )
    return topic
