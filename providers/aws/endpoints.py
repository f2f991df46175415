"""The S3 gateway endpoint: the private tier reaches S3 inside AWS (security rule 37), without the
NAT gateways and their per-gigabyte charge."""

from __future__ import annotations

import json

import pulumi
import pulumi_aws as aws

from components.base import NeutralComponent

READ_ACTIONS = ["s3:GetObject", "s3:GetObjectVersion", "s3:GetBucketLocation", "s3:ListBucket"]


def s3_gateway_endpoint(
    parent: NeutralComponent,
    name: str,
    vpc: aws.ec2.Vpc,
    route_tables: list[aws.ec2.RouteTable],
    region: str,
    tags: dict[str, str],
) -> aws.ec2.VpcEndpoint:
    """A gateway endpoint on the private route tables: S3's prefix list then routes to it instead of
    the NAT gateway. Connections to S3 open while the route appears may drop once (AWS documents a
    brief interruption when an S3 gateway endpoint is added to a VPC in use)."""
    account_id = aws.get_caller_identity_output(opts=pulumi.InvokeOutputOptions(parent=parent)).account_id
    return aws.ec2.VpcEndpoint(
        f"{name}-s3",
        vpc_id=vpc.id,
        service_name=f"com.amazonaws.{region}.s3",
        vpc_endpoint_type="Gateway",
        route_table_ids=[rt.id for rt in route_tables],
        policy=account_id.apply(lambda account: json.dumps(endpoint_policy(account))),
        tags={**tags, "Name": f"{name}-s3"},
        opts=parent.child(),
    )


def endpoint_policy(account_id: str) -> dict[str, object]:
    """Reads from any bucket; everything else only on buckets this account owns.

    Once the endpoint exists, every S3 request of the private subnets in this region goes through
    it, and not only to our buckets: container image layers that ECR serves from AWS's own bucket
    (``prod-<region>-starport-layer-bucket``), OS packages from the Amazon Linux repositories (AWS
    buckets read anonymously), public data sets. Limiting the endpoint to our buckets would break
    image pulls and package installs on the nodes. Writes, deletes and configuration changes are
    limited to this account's buckets (``s3:ResourceAccount``), so nothing in the private subnets
    can copy data into someone else's bucket through the endpoint. Access to our own buckets is
    decided by IAM and the bucket policies; this policy grants nothing by itself.
    """
    everything = ["arn:aws:s3:::*", "arn:aws:s3:::*/*"]
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "ReadAnyBucket",
                "Effect": "Allow",
                "Principal": "*",
                "Action": READ_ACTIONS,
                "Resource": everything,
            },
            {
                "Sid": "ChangeOnlyThisAccountsBuckets",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:*",
                "Resource": everything,
                "Condition": {"StringEquals": {"s3:ResourceAccount": account_id}},
            },
        ],
    }
