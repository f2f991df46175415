"""Who may publish the application's custom metrics (``monitoring.customMetrics``) to CloudWatch.

CloudWatch declares no metric ahead: one exists once the app calls ``PutMetricData`` in its
namespace (``BettaFish/Application`` for QueryProcessingTime, ``BettaFish/Agents`` for
AgentSuccessRate), with its service's EKS Pod Identity role. ``PutMetricData`` has no resource type,
so its statement names ``Resource: "*"``; the ``cloudwatch:namespace`` condition key narrows it to
the configured namespaces, and nothing else is granted (CloudWatch user guide, "Using condition keys
to limit access to CloudWatch namespaces",
https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/iam-cw-condition-keys-namespace.html).
Each service's role gets this as a policy of its own, created here since Operations owns the metrics.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

import pulumi_aws as aws

from bettafish.config.operations import CustomMetric
from components.base import NeutralComponent


def publish_policy(metrics: Sequence[CustomMetric]) -> dict[str, Any]:
    """``PutMetricData`` in the namespaces of ``metrics`` only."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublishCustomMetrics",
                "Effect": "Allow",
                "Action": ["cloudwatch:PutMetricData"],
                "Resource": ["*"],
                "Condition": {"StringEquals": {"cloudwatch:namespace": sorted({m.namespace for m in metrics})}},
            }
        ],
    }


def publish_grants(
    parent: NeutralComponent, name: str, roles: dict[str, aws.iam.Role], metrics: Sequence[CustomMetric]
) -> list[aws.iam.RolePolicy]:
    """A ``RolePolicy`` on each service's role (by ServiceAccount); none without custom metrics."""
    if not metrics:
        return []
    document = json.dumps(publish_policy(metrics))
    return [
        aws.iam.RolePolicy(f"{name}-{account}-metrics", role=role.id, policy=document, opts=parent.child())
        for account, role in sorted(roles.items())
    ]
