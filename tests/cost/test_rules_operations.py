"""Price rules for the Operations component and the rest of the edge, which no plan creates yet:
hand-made recordings with the inputs the real resources take, priced through the real price files
(alarms by metric and kind, custom metrics, uptime checks, log search alerts, DR copies of the
buckets, CloudFront functions and metrics), and the companions declared free."""

from __future__ import annotations

import pytest

from tests.cost.synthetic import Child, line, priced, recording

HOURS = 730
REQUESTS = 500 * 0.5 * HOURS * 3600
OPERATIONS = ("bettafish:operations:Operations", "prod-ops")
EDGE = ("bettafish:edge:Cdn", "prod-edge")


def test_aws_alarms_are_billed_per_metric_by_resolution_and_kind() -> None:
    standard: Child = ("aws:cloudwatch/metricAlarm:MetricAlarm", "prod-ops-cpu", {"period": 300})
    fast: Child = ("aws:cloudwatch/metricAlarm:MetricAlarm", "prod-ops-latency", {"period": 10})
    anomaly: Child = (
        "aws:cloudwatch/metricAlarm:MetricAlarm",
        "prod-ops-errors",
        {
            "thresholdMetricId": "band",
            "metricQueries": [{"id": "m1", "metric": {"metricName": "5xx", "period": 300}}, {"id": "band"}],
        },
    )
    composite: Child = ("aws:cloudwatch/compositeAlarm:CompositeAlarm", "prod-ops-any", {})
    cost = priced("aws", recording(*OPERATIONS, standard, fast, anomaly, composite))
    alarms = {(item.quantity, item.unit_price) for item in cost.items if item.item == "alarms"}
    # 1 + 3 standard alarm metrics (the anomaly band counts three), 1 high-resolution, 1 composite.
    assert alarms == {(4, 0.10), (1, 0.30), (1, 0.50)}
    assert round(sum(item.monthly for item in cost.items), 2) == 0.40 + 0.30 + 0.50
    assert cost.unpriced == []


def test_aws_metric_filters_logs_and_free_notification_and_budget_resources() -> None:
    children: list[Child] = [
        ("aws:cloudwatch/logMetricFilter:LogMetricFilter", "prod-ops-errors", {}),
        ("aws:cloudwatch/logGroup:LogGroup", "prod-ops-app", {"retentionInDays": 30}),
        ("aws:sns/topic:Topic", "prod-ops-alerts", {}),
        ("aws:sns/topicPolicy:TopicPolicy", "prod-ops-alerts", {}),
        ("aws:sns/topicSubscription:TopicSubscription", "prod-ops-oncall", {}),
        ("aws:budgets/budget:Budget", "prod-ops-budget", {}),
        ("aws:costexplorer/anomalyMonitor:AnomalyMonitor", "prod-ops-anomalies", {}),
        ("aws:costexplorer/anomalySubscription:AnomalySubscription", "prod-ops-anomalies", {}),
        ("aws:cloudwatch/dashboard:Dashboard", "prod-ops-dashboard", {}),
    ]
    cost = priced("aws", recording(*OPERATIONS, *children))
    assert line(cost, "Operations", "custom metrics").monthly == 0.30
    assert line(cost, "Operations", "dashboards").monthly == 3.00
    requests_log_gb = REQUESTS * 1000 / 1e9
    assert line(cost, "Operations", "log ingestion").monthly == round(requests_log_gb * 0.50, 2)
    assert line(cost, "Operations", "log storage").quantity == pytest.approx(requests_log_gb)
    assert cost.unpriced == []


def test_aws_replication_prices_the_dr_copy_and_its_transfer_and_frees_the_replica_bucket() -> None:
    replication: Child = (
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        "prod-ops-media-content-replication",
        {
            "bucket": "bettafish-prod-store-media-content-1be8861",
            "rules": [{"status": "Enabled", "destination": {"replicationTime": {"status": "Enabled"}}}],
        },
    )
    reports: Child = (
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        "prod-ops-reports-replication",
        {
            "bucket": "bettafish-prod-store-reports-0003f4e",
            "rules": [{"status": "Enabled", "destination": {"storageClass": "STANDARD_IA"}}],
        },
    )
    replica: Child = ("aws:s3/bucket:Bucket", "prod-ops-media-content-replica", {})
    cost = priced("aws", recording(*OPERATIONS, replication, reports, replica))
    copies = {item.unit_price: item.quantity for item in cost.items if item.item == "object storage DR copies"}
    # Media: 40 GB a month kept 365 days holds 486.7 GB (under its 500) in Standard; reports: its
    # 200 GB in Standard-IA.
    assert copies == {0.023: pytest.approx(40 * 365 / 30), 0.0125: 200}
    transfer = {item.unit_price: item.quantity for item in cost.items if item.item == "object storage DR transfer"}
    assert transfer == {0.02 + 0.015: 40, 0.02: 10}
    assert cost.unpriced == []


def test_a_replication_of_a_bucket_the_assumptions_do_not_know_is_unpriced() -> None:
    unknown: Child = (
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        "prod-ops-other",
        {"bucket": "someone-elses-bucket", "rules": [{"destination": {}}]},
    )
    cost = priced("aws", recording(*OPERATIONS, unknown))
    assert cost.unpriced == ["aws:s3/bucketReplicationConfig:BucketReplicationConfig"]


def test_aws_cloudfront_functions_metrics_and_free_companions() -> None:
    enabled = {"realtimeMetricsSubscriptionConfig": {"realtimeMetricsSubscriptionStatus": "Enabled"}}
    children: list[Child] = [
        ("aws:cloudfront/function:Function", "prod-edge-rewrite", {}),
        (
            "aws:cloudfront/monitoringSubscription:MonitoringSubscription",
            "prod-edge-metrics",
            {"monitoringSubscription": enabled},
        ),
        ("aws:cloudfront/originAccessControl:OriginAccessControl", "prod-edge-oac", {}),
        ("aws:cloudfront/cachePolicy:CachePolicy", "prod-edge-static", {}),
        ("aws:cloudfront/originRequestPolicy:OriginRequestPolicy", "prod-edge-api", {}),
        ("aws:cloudfront/responseHeadersPolicy:ResponseHeadersPolicy", "prod-edge-headers", {}),
        ("aws:wafv2/webAclLoggingConfiguration:WebAclLoggingConfiguration", "prod-edge-waf-logs", {}),
        ("aws:wafv2/ipSet:IpSet", "prod-edge-blocked", {}),
    ]
    cost = priced("aws", recording(*EDGE, *children))
    assert line(cost, "Cdn", "CDN functions").monthly == round(REQUESTS / 1e6 * 0.10, 2) == 65.70
    assert line(cost, "Cdn", "CDN additional metrics").monthly == round(8 * 0.30, 2)
    assert cost.unpriced == []
    disabled = {"realtimeMetricsSubscriptionConfig": {"realtimeMetricsSubscriptionStatus": "Disabled"}}
    off: Child = (
        "aws:cloudfront/monitoringSubscription:MonitoringSubscription",
        "prod-edge-m",
        {"monitoringSubscription": disabled},
    )
    assert priced("aws", recording(*EDGE, off)).items == []


@pytest.mark.parametrize(
    ("period", "regions", "executions"),
    [("60s", ["USA_VIRGINIA", "EUROPE", "ASIA_PACIFIC"], 131_400), (None, [], 52_560)],
)
def test_gcp_uptime_checks_past_the_free_million(period: str | None, regions: list[str], executions: int) -> None:
    # 20 checks make the project pass its free million executions a month; each pays its share.
    checks = [
        (
            "gcp:monitoring/uptimeCheckConfig:UptimeCheckConfig",
            f"prod-ops-check-{i}",
            {"period": period, "selectedRegions": regions},
        )
        for i in range(20)
    ]
    cost = priced("gcp", recording(*OPERATIONS, *checks))
    uptime = line(cost, "Operations", "uptime checks")
    assert uptime.quantity == pytest.approx(max(0, 20 * executions - 1_000_000) / 1000)
    assert uptime.monthly == round(max(0, 20 * executions - 1_000_000) / 1000 * 0.30, 2)


def test_gcp_alert_conditions_dr_transfer_and_free_edge_companions() -> None:
    children: list[Child] = [
        ("gcp:monitoring/alertPolicy:AlertPolicy", "prod-ops-errors", {"conditions": [{}, {}]}),
        ("gcp:monitoring/notificationChannel:NotificationChannel", "prod-ops-email", {}),
        ("gcp:billing/budget:Budget", "prod-ops-budget", {}),
        ("gcp:pubsub/topic:Topic", "prod-ops-budget-alerts", {}),
        (
            "gcp:storage/transferJob:TransferJob",
            "prod-ops-reports-dr",
            {"transferSpec": {"gcsDataSource": {"bucketName": "bettafish-prod-store-reports-0003f4e"}}},
        ),
        ("gcp:storage/bucket:Bucket", "prod-ops-reports-dr", {}),
    ]
    cost = priced("gcp", recording(*OPERATIONS, *children))
    assert line(cost, "Operations", "alarms").monthly == 2 * 0.10
    assert line(cost, "Operations", "object storage DR copies").monthly == round(200 * 0.020, 2)
    assert line(cost, "Operations", "object storage DR transfer").monthly == 10 * 0.02
    assert cost.unpriced == []
    edge: list[Child] = [
        ("gcp:compute/uRLMap:URLMap", "prod-edge-map", {}),
        ("gcp:compute/targetHttpsProxy:TargetHttpsProxy", "prod-edge-https", {}),
        ("gcp:compute/globalNetworkEndpointGroup:GlobalNetworkEndpointGroup", "prod-edge-origin", {}),
        ("gcp:compute/globalNetworkEndpoint:GlobalNetworkEndpoint", "prod-edge-origin", {}),
        ("gcp:certificatemanager/certificate:Certificate", "prod-edge-cert", {}),
        ("gcp:certificatemanager/certificateMap:CertificateMap", "prod-edge-certs", {}),
        ("gcp:certificatemanager/certificateMapEntry:CertificateMapEntry", "prod-edge-api", {}),
        ("gcp:certificatemanager/dnsAuthorization:DnsAuthorization", "prod-edge-auth", {}),
    ]
    assert (priced("gcp", recording(*EDGE, *edge)).items, priced("gcp", recording(*EDGE, *edge)).unpriced) == ([], [])


@pytest.mark.parametrize(("frequency", "monthly"), [("PT1M", 3.00), ("PT5M", 1.50), ("PT15M", 0.50), ("PT1H", 0.50)])
def test_azure_log_search_alerts_by_frequency(frequency: str, monthly: float) -> None:
    rule: Child = ("azure-native:monitor:ScheduledQueryRule", "prod-ops-errors", {"evaluationFrequency": frequency})
    assert line(priced("azure", recording(*OPERATIONS, rule)), "Operations", "alarms").monthly == monthly


def test_azure_metric_alerts_workspace_and_free_action_group_budget_and_front_door_parts() -> None:
    children: list[Child] = [
        ("azure-native:monitor:MetricAlert", "prod-ops-cpu", {"criteria": {"allOf": [{}, {}]}}),
        ("azure-native:monitor:ActionGroup", "prod-ops-oncall", {}),
        ("azure-native:monitor:DiagnosticSetting", "prod-ops-diag", {}),
        ("azure-native:consumption:Budget", "prod-ops-budget", {}),
        ("azure-native:operationalinsights:Workspace", "prod-ops-logs", {"retentionInDays": 90}),
    ]
    cost = priced("azure", recording(*OPERATIONS, *children))
    assert line(cost, "Operations", "alarms").monthly == 2 * 0.10
    requests_log_gb = REQUESTS * 1000 / 1e9
    assert line(cost, "Operations", "log ingestion").monthly == round(requests_log_gb * 2.30, 2)
    assert line(cost, "Operations", "log storage").quantity == pytest.approx(requests_log_gb * 59 / 30)
    assert cost.unpriced == []
    front_door: list[Child] = [
        ("azure-native:cdn:AFDCustomDomain", "prod-edge-api", {}),
        ("azure-native:cdn:Secret", "prod-edge-cert", {}),
        ("azure-native:cdn:RuleSet", "prod-edge-rules", {}),
        ("azure-native:cdn:Rule", "prod-edge-static", {}),
        ("azure-native:cdn:SecurityPolicy", "prod-edge-waf", {}),
    ]
    edge = priced("azure", recording(*EDGE, *front_door))
    assert (edge.items, edge.unpriced) == ([], [])


def test_azure_database_logs_workspace_holds_the_database_and_cache_logs_not_request_logs() -> None:
    # Operations' two workspaces: the database and cache diagnostics (30 days) and the origin load
    # balancer's access logs (90 days). Only the second takes the request logs, and all of them.
    children: list[Child] = [
        ("azure-native:operationalinsights:Workspace", "prod-ops-database-logs", {"retentionInDays": 30}),
        ("azure-native:operationalinsights:Workspace", "prod-ops-lb-logs", {"retentionInDays": 90}),
    ]
    cost = priced("azure", recording(*OPERATIONS, *children))
    ingestion = sorted(item.quantity for item in cost.items if item.item == "log ingestion")
    requests_log_gb = REQUESTS * 1000 / 1e9
    assert ingestion == [10 + 1, pytest.approx(requests_log_gb)]
    storage = line(cost, "Operations", "log storage")
    assert storage.quantity == pytest.approx(requests_log_gb * 59 / 30)
    assert round(sum(item.monthly for item in cost.items), 2) == round(
        11 * 2.30 + round(requests_log_gb * 2.30, 2) + round(requests_log_gb * 59 / 30 * 0.10, 2), 2
    )


DELIVERY_DESTINATION = "aws:cloudwatch/logDeliveryDestination:LogDeliveryDestination"


@pytest.mark.parametrize(
    ("destination_arn", "unpriced"),
    [
        ("arn:aws:logs:us-east-1:123456789012:log-group:/bettafish/prod-edge/cloudfront-access", []),
        ("arn:aws:s3:::bettafish-prod-cdn-logs", [DELIVERY_DESTINATION]),
    ],
)
def test_aws_cloudfront_log_delivery_is_free_into_a_log_group_only(destination_arn: str, unpriced: list[str]) -> None:
    # Into a log group the delivery is billed as that group's ingestion; into S3 per GB delivered.
    children: list[Child] = [
        ("aws:cloudwatch/logDeliverySource:LogDeliverySource", "prod-edge-cdn-logs", {"logType": "ACCESS_LOGS"}),
        (
            DELIVERY_DESTINATION,
            "prod-edge-cdn-logs",
            {"deliveryDestinationConfiguration": {"destinationResourceArn": destination_arn}},
        ),
        ("aws:cloudwatch/logDelivery:LogDelivery", "prod-edge-cdn-logs", {}),
    ]
    cost = priced("aws", recording(*EDGE, *children))
    assert (cost.items, cost.unpriced) == ([], unpriced)
