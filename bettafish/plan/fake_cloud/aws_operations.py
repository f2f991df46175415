"""AWS operations in the fake cloud: SNS topics and subscriptions, CloudWatch alarms and dashboards,
AWS Budgets, Cost Anomaly Detection and S3 replication, with the ids and ARNs those services form."""

from __future__ import annotations

import pulumi

from bettafish.plan.fake_cloud.common import ACCOUNT_ID, Computed, fake_uuid, physical_name


def operations_state(args: pulumi.runtime.MockResourceArgs, region: str) -> Computed | None:
    """The id and computed outputs of an operations resource, or None."""
    typ, name, inputs = args.typ, args.name, args.inputs
    if typ == "aws:sns/topic:Topic":
        topic = physical_name(name, inputs)
        arn = f"arn:aws:sns:{region}:{ACCOUNT_ID}:{topic}"
        return arn, {"arn": arn, "name": topic, "owner": ACCOUNT_ID}
    if typ == "aws:sns/topicSubscription:TopicSubscription":
        arn = f"{inputs['topic']}:{fake_uuid('sns-subscription', name)}"
        # An e-mail address confirms by mail: until then the subscription is pending.
        return arn, {"arn": arn, "ownerId": ACCOUNT_ID, "pendingConfirmation": inputs.get("protocol") == "email"}
    if typ == "aws:sns/topicPolicy:TopicPolicy":
        return str(inputs["arn"]), {"owner": ACCOUNT_ID}
    if typ == "aws:cloudwatch/metricAlarm:MetricAlarm":
        alarm = physical_name(name, inputs)
        return alarm, {"arn": f"arn:aws:cloudwatch:{region}:{ACCOUNT_ID}:alarm:{alarm}", "name": alarm}
    if typ == "aws:cloudwatch/dashboard:Dashboard":
        dashboard = str(inputs["dashboardName"])
        return dashboard, {"dashboardArn": f"arn:aws:cloudwatch::{ACCOUNT_ID}:dashboard/{dashboard}"}
    if typ == "aws:budgets/budget:Budget":
        budget = physical_name(name, inputs)
        return f"{ACCOUNT_ID}:{budget}", {
            "arn": f"arn:aws:budgets::{ACCOUNT_ID}:budget/{budget}",
            "name": budget,
            "accountId": ACCOUNT_ID,
        }
    if typ == "aws:costexplorer/anomalyMonitor:AnomalyMonitor":
        arn = f"arn:aws:ce::{ACCOUNT_ID}:anomalymonitor/{fake_uuid('ce-monitor', name)}"
        return arn, {"arn": arn}
    if typ == "aws:costexplorer/anomalySubscription:AnomalySubscription":
        arn = f"arn:aws:ce::{ACCOUNT_ID}:anomalysubscription/{fake_uuid('ce-subscription', name)}"
        return arn, {"arn": arn, "accountId": ACCOUNT_ID}
    if typ == "aws:s3/bucketReplicationConfig:BucketReplicationConfig":
        return str(inputs["bucket"]), {}
    if typ == "aws:cloudfront/monitoringSubscription:MonitoringSubscription":
        return str(inputs["distributionId"]), {}
    return None
