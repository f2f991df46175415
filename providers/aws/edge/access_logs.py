"""CloudFront's access logs (standard logging v2): delivered by CloudWatch Logs' vended-log delivery
into a log group in us-east-1, where CloudFront's delivery source must live, kept for the
load-balancer retention and encrypted with the logs key usable there. Every request passes
CloudFront (the load balancer answers it alone), so this is the API's request log."""

from __future__ import annotations

import pulumi_aws as aws

from components.base import NeutralComponent
from providers.aws.keys import EDGE_REGION

LOG_TYPE = "ACCESS_LOGS"
OUTPUT_FORMAT = "json"


def access_logs(
    parent: NeutralComponent,
    name: str,
    distribution: aws.cloudfront.Distribution,
    retention_days: int,
    key: aws.kms.Key,
    tags: dict[str, str],
) -> aws.cloudwatch.LogGroup:
    """The log group, CloudFront's delivery source, the log group as a delivery destination, and the
    delivery joining them. CloudWatch Logs writes the log group's resource policy for its delivery
    service on the first delivery (the deployer needs ``logs:PutResourcePolicy``)."""
    group = aws.cloudwatch.LogGroup(
        f"{name}-cdn-logs",
        name=f"/bettafish/{name}/cloudfront-access",
        retention_in_days=retention_days,
        kms_key_id=key.arn,
        region=EDGE_REGION,
        tags=tags,
        opts=parent.child(),
    )
    source = aws.cloudwatch.LogDeliverySource(
        f"{name}-cdn-logs",
        name=f"{name}-cdn-access",
        log_type=LOG_TYPE,
        resource_arn=distribution.arn,
        region=EDGE_REGION,
        tags=tags,
        opts=parent.child(),
    )
    destination = aws.cloudwatch.LogDeliveryDestination(
        f"{name}-cdn-logs",
        name=f"{name}-cdn-access",
        output_format=OUTPUT_FORMAT,
        delivery_destination_configuration=aws.cloudwatch.LogDeliveryDestinationDeliveryDestinationConfigurationArgs(
            destination_resource_arn=group.arn
        ),
        region=EDGE_REGION,
        tags=tags,
        opts=parent.child(),
    )
    aws.cloudwatch.LogDelivery(
        f"{name}-cdn-logs",
        delivery_source_name=source.name,
        delivery_destination_arn=destination.arn,
        region=EDGE_REGION,
        tags=tags,
        opts=parent.child(),
    )
    return group
