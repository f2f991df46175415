"""AWS Operations: container logs kept for their retention with the logs key, the configured alarms
and the operator's on the right signals, each to the region's encrypted topic, the dashboard, the
budget from config, anomaly detection, and user data and long-term snapshots in the DR region
(rules 31 and 39)."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from bettafish.plan import RecordedResource, Recording
from bettafish.plan.fake_cloud import ACCOUNT_ID
from bettafish.policy.evaluate import evaluate
from tests.aws.apps import STACKS, config, named, plan
from tests.mocks import edited, run_program, stack_values
from tests.policy.fixtures import config_of, planned

ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
TOPIC = "aws:sns/topic:Topic"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
BUDGET = "aws:budgets/budget:Budget"
REPLICATION = "aws:s3/bucketReplicationConfig:BucketReplicationConfig"
KEY = "aws:kms/key:Key"
GIB = 1024**3


def ops(stack: str) -> str:
    return f"bettafish-{stack}-ops"


def key_arn(recording: Recording, name: str, region: str = "us-east-1") -> str:
    return f"arn:aws:kms:{region}:{ACCOUNT_ID}:key/{named(recording, name, KEY).id}"


def alarms(recording: Recording) -> dict[str, dict[str, Any]]:
    """Alarm name (as CloudWatch knows it) -> its inputs."""
    return {a.inputs["name"]: a.inputs for a in recording.of_type(ALARM)}


def topic_arn(recording: Recording, stack: str) -> str:
    return named(recording, f"{ops(stack)}-alarms", TOPIC).id


@cache
def _edited(stack: str, section: str, text: str) -> Recording:
    change = json.loads(text)
    return run_program(edited(stack_values(stack, "aws"), f"bettafish:{section}", lambda v: {**v, **change}), stack)


def plan_with(stack: str, section: str, change: dict[str, Any]) -> Recording:
    """The stack with keys of ``bettafish:<section>`` replaced."""
    return _edited(stack, section, json.dumps(change, sort_keys=True))


@pytest.mark.parametrize("stack", STACKS)
def test_container_logs_are_kept_for_the_application_retention_with_the_logs_key(stack: str) -> None:
    days = config(stack).monitoring.log_retention.application_days
    assert days == {"prod": 30, "staging": 7}[stack]
    cluster = f"bettafish-{stack}-k8s"
    for kind in ("application", "dataplane", "host", "performance"):
        group = named(plan(stack), f"{ops(stack)}-containers-{kind}", LOG_GROUP)
        assert group.inputs["name"] == f"/aws/containerinsights/{cluster}/{kind}"
        assert group.inputs["retentionInDays"] == days
        assert group.inputs["kmsKeyId"] == key_arn(plan(stack), f"bettafish-{stack}-keys-logs")
    addon = named(plan(stack), f"{ops(stack)}-amazon-cloudwatch-observability", "aws:eks/addon:Addon")
    assert addon.inputs["addonName"] == "amazon-cloudwatch-observability"
    (association,) = addon.inputs["podIdentityAssociations"]
    assert association["serviceAccount"] == "cloudwatch-agent"
    # Fluent Bit would create the groups itself, kept forever and unencrypted, if it came first.
    groups = {named(plan(stack), f"{ops(stack)}-containers-{k}", LOG_GROUP).urn for k in ("application", "host")}
    assert groups <= set(addon.options["dependsOn"])


def test_the_database_and_load_balancer_retentions_reach_their_log_groups() -> None:
    retention = config("prod").monitoring.log_retention
    rds = [g for g in plan("prod").of_type(LOG_GROUP) if g.inputs["name"].startswith("/aws/rds/instance/")]
    assert rds
    assert {g.inputs["retentionInDays"] for g in rds} == {retention.database_days}
    waf = named(plan("prod"), "bettafish-prod-edge-waf-logs", LOG_GROUP)
    assert waf.inputs["retentionInDays"] == retention.load_balancer_days == 90
    recording = plan_with(
        "prod", "monitoring", {"logRetention": {"applicationDays": 60, "databaseDays": 90, "loadBalancerDays": 180}}
    )
    assert named(recording, "bettafish-prod-edge-waf-logs", LOG_GROUP).inputs["retentionInDays"] == 180
    assert named(recording, f"{ops('prod')}-containers-application", LOG_GROUP).inputs["retentionInDays"] == 60


@pytest.mark.parametrize("stack", STACKS)
def test_alarms_go_to_an_encrypted_topic_that_mails_the_configured_addresses(stack: str) -> None:
    topic = named(plan(stack), f"{ops(stack)}-alarms", TOPIC)
    assert topic.inputs["kmsMasterKeyId"] == key_arn(plan(stack), f"bettafish-{stack}-keys-logs")
    subscriptions = plan(stack).of_type(SUBSCRIPTION)
    assert [(s.inputs["protocol"], s.inputs["endpoint"], s.inputs["topic"]) for s in subscriptions] == [
        ("email", email, topic.id) for email in config(stack).monitoring.notification_emails
    ]
    policy = json.loads(named(plan(stack), f"{ops(stack)}-alarms", "aws:sns/topicPolicy:TopicPolicy").inputs["policy"])
    (publish,) = [s for s in policy["Statement"] if s["Principal"] == {"Service": "cloudwatch.amazonaws.com"}]
    assert publish["Condition"] == {"StringEquals": {"aws:SourceAccount": ACCOUNT_ID}}
    assert plan(stack).outputs["notificationTarget"] == topic.id
    for alarm in alarms(plan(stack)).values():
        assert alarm["alarmActions"] == alarm["okActions"] == [topic.id]


@pytest.mark.parametrize("stack", STACKS)
def test_the_error_rate_alarm_is_cloudfronts_5xx_share_exactly_as_configured(stack: str) -> None:
    (configured,) = [a for a in config(stack).monitoring.alarms if a.metric == "errorRate"]
    alarm = alarms(plan(stack))[f"bettafish-{stack}-{configured.name}-cdn"]
    distribution = plan(stack).one("aws:cloudfront/distribution:Distribution")
    assert (alarm["namespace"], alarm["metricName"], alarm["statistic"]) == (
        "AWS/CloudFront",
        "5xxErrorRate",
        "Average",
    )
    assert alarm["dimensions"] == {"DistributionId": distribution.id, "Region": "Global"}
    assert alarm["region"] == "us-east-1"  # CloudFront's metrics live there
    assert (alarm["threshold"], alarm["comparisonOperator"]) == (5.0, "GreaterThanThreshold")
    assert (alarm["evaluationPeriods"], alarm["period"], alarm["datapointsToAlarm"]) == (2, 300, 2)
    assert alarm["treatMissingData"] == "notBreaching"


@pytest.mark.parametrize("stack", STACKS)
def test_the_cpu_alarm_watches_the_nodes_and_every_database_instance(stack: str) -> None:
    found = alarms(plan(stack))
    prefix = f"bettafish-{stack}-HighCPUUtilization"
    nodes = found[f"{prefix}-nodes"]
    assert (nodes["namespace"], nodes["metricName"]) == ("ContainerInsights", "node_cpu_utilization")
    assert nodes["dimensions"] == {"ClusterName": f"bettafish-{stack}-k8s"}
    instances = [i for i in plan(stack).of_type("aws:rds/instance:Instance")]
    databases = sorted(n for n in found if n.startswith(f"{prefix}-db-"))
    assert len(databases) == len(instances) == {"prod": 3, "staging": 1}[stack]
    assert {found[n]["dimensions"]["DBInstanceIdentifier"] for n in databases} == {
        i.inputs["identifier"] for i in instances
    }
    for name in [f"{prefix}-nodes", *databases]:
        assert (found[name]["threshold"], found[name]["comparisonOperator"]) == (80.0, "GreaterThanThreshold")
        assert (found[name]["evaluationPeriods"], found[name]["period"]) == (3, 300)
    assert set(plan(stack).outputs["alarmNames"]) == set(found)


def test_an_alarm_follows_its_configured_comparison_threshold_and_periods() -> None:
    changed = [
        {
            "name": "LowCpu",
            "metric": "cpuUtilization",
            "threshold": 12.5,
            "comparison": "lessThanOrEqual",
            "evaluationPeriods": 4,
            "periodSeconds": 600,
        },
        {
            "name": "SlowOrigin",
            "metric": "latencyP95",
            "threshold": 2000,
            "comparison": "greaterThan",
            "evaluationPeriods": 2,
            "periodSeconds": 60,
        },
    ]
    recording = plan_with("staging", "monitoring", {"alarms": changed})
    low = alarms(recording)["bettafish-staging-LowCpu-nodes"]
    assert (low["threshold"], low["comparisonOperator"]) == (12.5, "LessThanOrEqualToThreshold")
    assert (low["evaluationPeriods"], low["period"]) == (4, 600)
    slow = alarms(recording)["bettafish-staging-SlowOrigin-cdn"]
    assert (slow["metricName"], slow["extendedStatistic"]) == ("OriginLatency", "p95")
    assert "statistic" not in slow
    # CloudFront publishes origin latency percentiles only with its additional metrics turned on.
    (subscription,) = recording.of_type("aws:cloudfront/monitoringSubscription:MonitoringSubscription")
    assert subscription.inputs["monitoringSubscription"] == {
        "realtimeMetricsSubscriptionConfig": {"realtimeMetricsSubscriptionStatus": "Enabled"}
    }
    assert not plan("staging").of_type("aws:cloudfront/monitoringSubscription:MonitoringSubscription")


def test_the_operator_alarms_watch_storage_lag_cache_memory_node_count_and_waf_blocks() -> None:
    found = alarms(plan("prod"))
    storage = found["bettafish-prod-DatabaseStorageLow-db-primary"]
    assert (storage["metricName"], storage["statistic"], storage["comparisonOperator"]) == (
        "FreeStorageSpace",
        "Minimum",
        "LessThanThreshold",
    )
    # monitoring.operatorAlarms.databaseStoragePercent 80 (used): below 20% free.
    assert storage["threshold"] == config("prod").database.storage.size_gb * GIB * 20 / 100
    assert "bettafish-prod-DatabaseStorageLow-db-replica-2" in found
    lag = found["bettafish-prod-DatabaseReplicaLag-db-replica-1"]
    assert (lag["metricName"], lag["threshold"]) == ("ReplicaLag", 60.0)
    assert "bettafish-prod-DatabaseReplicaLag-db-primary" not in found
    cache_nodes = [n for n in found if n.startswith("bettafish-prod-CacheMemoryHigh-")]
    assert len(cache_nodes) == 3 * 2  # three shards, a primary and a replica each
    group = plan("prod").one("aws:elasticache/replicationGroup:ReplicationGroup")
    assert found["bettafish-prod-CacheMemoryHigh-cache-1"]["dimensions"] == {"CacheClusterId": f"{group.id}-0001-001"}
    assert found["bettafish-prod-CacheMemoryHigh-cache-6"]["dimensions"] == {"CacheClusterId": f"{group.id}-0003-002"}
    nodes = found["bettafish-prod-NodesAtMaxSize-nodes"]
    max_sizes = [g.inputs["scalingConfig"]["maxSize"] for g in plan("prod").of_type("aws:eks/nodeGroup:NodeGroup")]
    assert (nodes["metricName"], nodes["threshold"]) == ("cluster_node_count", float(sum(max_sizes)))
    assert nodes["comparisonOperator"] == "GreaterThanOrEqualToThreshold"
    waf = found["bettafish-prod-WafBlocksSpiking-waf"]
    assert (waf["region"], waf["comparisonOperator"], waf["threshold"]) == ("us-east-1", "GreaterThanThreshold", 1000.0)
    assert (waf["metricName"], waf["statistic"], waf["period"]) == ("BlockedRequests", "Sum", 300)
    assert waf["dimensions"] == {"WebACL": "bettafish-prod-edge-waf", "Rule": "ALL"}


def test_outside_us_east_1_the_edge_alarms_notify_a_topic_there() -> None:
    from tests.aws.apps import plan_in

    recording = plan_in("us-east-2")
    edge_topic = named(recording, "bettafish-prod-ops-alarms-edge", TOPIC)
    assert edge_topic.inputs["region"] == "us-east-1"
    assert edge_topic.inputs["kmsMasterKeyId"] == key_arn(recording, "bettafish-prod-keys-logs-edge")
    found = alarms(recording)
    assert found["bettafish-prod-HighErrorRate-cdn"]["alarmActions"] == [edge_topic.id]
    assert found["bettafish-prod-HighCPUUtilization-nodes"]["region"] == "us-east-2"
    assert found["bettafish-prod-HighCPUUtilization-nodes"]["alarmActions"] == [topic_arn(recording, "prod")]


@pytest.mark.parametrize("stack", STACKS)
def test_the_dashboard_shows_the_edge_the_service_the_database_the_cache_and_the_apps_metrics(stack: str) -> None:
    dashboard = named(plan(stack), f"{ops(stack)}-dashboard", "aws:cloudwatch/dashboard:Dashboard")
    body = json.loads(dashboard.inputs["dashboardBody"])
    text = json.dumps(body)
    assert plan(stack).one("aws:cloudfront/distribution:Distribution").id in text
    for needle in ("BlockedRequests", "node_cpu_utilization", "AWS/RDS", "DatabaseMemoryUsagePercentage"):
        assert needle in text, needle
    for metric in config(stack).monitoring.custom_metrics:
        assert f'{{{metric.namespace}}} MetricName=\\"{metric.name}\\"' in text
    assert plan(stack).outputs["dashboard"] == f"arn:aws:cloudwatch::{ACCOUNT_ID}:dashboard/{ops(stack)}"


@pytest.mark.parametrize("stack", STACKS)
def test_the_budget_is_monthly_from_the_configured_date_with_actual_and_forecast_alerts(stack: str) -> None:
    budget = plan(stack).one(BUDGET)
    cfg = config(stack).budget
    assert (budget.inputs["limitAmount"], budget.inputs["limitUnit"]) == (f"{cfg.monthly_amount}.00", "USD")
    assert (budget.inputs["budgetType"], budget.inputs["timeUnit"]) == ("COST", "MONTHLY")
    assert budget.inputs["timePeriodStart"] == "2026-12-01_00:00"
    emails = config(stack).monitoring.notification_emails
    assert budget.inputs["notifications"] == [
        {
            "notificationType": kind,
            "comparisonOperator": "GREATER_THAN",
            "threshold": 80,
            "thresholdType": "PERCENTAGE",
            "subscriberEmailAddresses": emails,
        }
        for kind in ("ACTUAL", "FORECASTED")
    ]
    assert plan(stack).outputs["budgetName"] == budget.inputs["name"]


def test_the_budget_dates_and_thresholds_come_from_config_and_a_second_run_is_identical() -> None:
    recording = plan_with(
        "staging", "budget", {"startDate": "2027-03-01", "thresholdPercents": [50, 90], "monthlyAmount": 2500}
    )
    budget = recording.one(BUDGET)
    assert budget.inputs["timePeriodStart"] == "2027-03-01_00:00"
    assert budget.inputs["limitAmount"] == "2500.00"
    assert [(n["threshold"], n["notificationType"]) for n in budget.inputs["notifications"]] == [
        (50, "ACTUAL"),
        (50, "FORECASTED"),
        (90, "ACTUAL"),
        (90, "FORECASTED"),
    ]
    again = run_program(stack_values("staging", "aws"), "staging").one(BUDGET)
    assert again.inputs == plan("staging").one(BUDGET).inputs  # no clock: a second `up` changes nothing


def test_anomaly_detection_follows_the_config() -> None:
    monitor = plan("prod").one("aws:costexplorer/anomalyMonitor:AnomalyMonitor")
    assert (monitor.inputs["monitorType"], monitor.inputs["monitorDimension"]) == ("DIMENSIONAL", "SERVICE")
    subscription = plan("prod").one("aws:costexplorer/anomalySubscription:AnomalySubscription")
    assert subscription.inputs["monitorArnLists"] == [monitor.id]
    assert subscription.inputs["frequency"] == "DAILY"
    assert subscription.inputs["thresholdExpression"]["dimension"]["values"] == ["25"]  # medium
    assert [s["address"] for s in subscription.inputs["subscribers"]] == config("prod").monitoring.notification_emails
    off = plan_with("staging", "budget", {"anomalyDetection": {"enabled": False, "sensitivity": "high"}})
    assert not off.of_type("aws:costexplorer/anomalyMonitor:AnomalyMonitor")


def replicas(recording: Recording) -> list[RecordedResource]:
    return [b for b in recording.of_type("aws:s3/bucket:Bucket") if b.name.endswith("-dr")]


def test_user_data_is_replicated_to_the_dr_region_within_15_minutes() -> None:
    store = {b.name: b for b in plan("prod").of_type("aws:s3/bucket:Bucket")}
    dr_key = key_arn(plan("prod"), "bettafish-prod-keys-storage-dr", "us-west-2")
    configs = {c.inputs["bucket"]: c for c in plan("prod").of_type(REPLICATION)}
    sources = {store["bettafish-prod-store-media-content"].id, store["bettafish-prod-store-reports"].id}
    assert set(configs) == sources  # not the logs bucket
    for logical in ("media-content", "reports"):
        source, replica = store[f"bettafish-prod-store-{logical}"], store[f"bettafish-prod-ops-{logical}-dr"]
        assert (replica.inputs["region"], replica.protect) == ("us-west-2", True)
        (rule,) = configs[source.id].inputs["rules"]
        destination = rule["destination"]
        assert destination["bucket"] == f"arn:aws:s3:::{replica.id}"
        assert destination["encryptionConfiguration"] == {"replicaKmsKeyId": dr_key}
        assert destination["replicationTime"] == {"status": "Enabled", "time": {"minutes": 15}}
        assert destination["metrics"]["status"] == "Enabled"
        assert rule["deleteMarkerReplication"] == {"status": "Enabled"}
        waits = set(configs[source.id].options["dependsOn"])
        versioning = {
            v.urn
            for v in plan("prod").of_type("aws:s3/bucketVersioning:BucketVersioning")
            if v.inputs["bucket"] in (source.id, replica.id)
        }
        assert len(versioning) == 2
        assert versioning <= waits
    assert config("prod").disaster_recovery.recovery_point.user_data_minutes >= 15


def test_the_replicas_log_their_access_in_their_own_region_and_staging_replicates_nothing() -> None:
    dr_logs = named(plan("prod"), "bettafish-prod-ops-logs-dr", "aws:s3/bucket:Bucket")
    logging = [
        log
        for log in plan("prod").of_type("aws:s3/bucketLogging:BucketLogging")
        if log.inputs.get("region") == "us-west-2"
    ]
    assert len(logging) == 2
    assert {log.inputs["targetBucket"] for log in logging} == {dr_logs.id}
    assert not replicas(plan("staging"))
    assert not plan("staging").of_type(REPLICATION)


def test_long_term_snapshots_are_copied_to_the_dr_region() -> None:
    (backup_plan,) = plan("prod").of_type("aws:backup/plan:Plan")
    (rule,) = backup_plan.inputs["rules"]
    vault = named(plan("prod"), "bettafish-prod-db-snapshots-dr", "aws:backup/vault:Vault")
    assert vault.inputs["region"] == "us-west-2"
    assert vault.inputs["kmsKeyArn"] == key_arn(plan("prod"), "bettafish-prod-keys-database-dr", "us-west-2")
    assert rule["copyActions"] == [
        {
            "destinationVaultArn": f"arn:aws:backup:us-west-2:{ACCOUNT_ID}:backup-vault:{vault.id}",
            "lifecycle": {"deleteAfter": config("prod").database.snapshots.retention_days},
        }
    ]
    (staging_plan,) = plan("staging").of_type("aws:backup/plan:Plan")
    assert "copyActions" not in staging_plan.inputs["rules"][0]


@pytest.mark.parametrize("stack", STACKS)
def test_rules_31_and_39_hold_on_the_plan(stack: str) -> None:
    found = [v for v in evaluate(planned(stack, "aws"), config_of(stack)) if v.rule in (31, 39)]
    assert [v for v in found if v.level == "mandatory"] == []


ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
SERVICES = ["api-gateway", "insight-engine", "media-engine", "query-engine", "report-engine"]


def publish_statement(namespaces: list[str]) -> dict[str, Any]:
    return {
        "Sid": "PublishCustomMetrics",
        "Effect": "Allow",
        "Action": ["cloudwatch:PutMetricData"],
        "Resource": ["*"],
        "Condition": {"StringEquals": {"cloudwatch:namespace": namespaces}},
    }


def metrics_policies(recording: Recording, stack: str) -> dict[str, dict[str, Any]]:
    """Role (physical name) -> the document of every role policy of the plan that allows
    PutMetricData (each one Operations'; the CloudWatch agent's role has a managed policy)."""
    found = [p for p in recording.of_type(ROLE_POLICY) if "cloudwatch:PutMetricData" in p.inputs["policy"]]
    assert all(p.name.startswith(f"{ops(stack)}-") and p.name.endswith("-metrics") for p in found)
    return {p.inputs["role"]: json.loads(p.inputs["policy"]) for p in found}


@pytest.mark.parametrize("stack", STACKS)
def test_each_service_role_may_publish_in_the_configured_namespaces_only(stack: str) -> None:
    """PutMetricData has no resource type: Resource "*" narrowed by cloudwatch:namespace, nothing else."""
    recording = plan(stack)
    roles = {s: named(recording, f"bettafish-{stack}-apps-{s}", ROLE).id for s in SERVICES}
    assert metrics_policies(recording, stack) == {
        role: {"Version": "2012-10-17", "Statement": [publish_statement(["BettaFish/Agents", "BettaFish/Application"])]}
        for role in roles.values()
    }


def test_the_namespaces_of_the_condition_come_from_the_config() -> None:
    metrics = [
        {"name": "QueryProcessingTime", "namespace": "BettaFish/Queries", "unit": "Seconds"},
        {"name": "AgentSuccessRate", "namespace": "BettaFish/Queries", "unit": "Percent"},
    ]
    documents = metrics_policies(plan_with("staging", "monitoring", {"customMetrics": metrics}), "staging")
    assert len(documents) == len(SERVICES)
    assert all(d["Statement"] == [publish_statement(["BettaFish/Queries"])] for d in documents.values())
    assert metrics_policies(plan_with("staging", "monitoring", {"customMetrics": []}), "staging") == {}
