"""GCP Operations as recorded from the real program run offline: logs kept per
``monitoring.logRetention`` under the stack's key (rules 31, 39), the configured alarms and the
operator's, their notification channels, the custom metrics, the dashboard, the monthly budget, and
user data replicated to the DR region."""

from __future__ import annotations

import json
from functools import cache
from typing import Any

import pytest

from bettafish.plan import RecordedResource, Recording
from bettafish.plan.fake_cloud.common import GCP_PROJECT_NUMBER
from tests.gcp.test_workloads import PROD_GRANTS, identity_member
from tests.mocks import edited, load, run_program, run_stack, stack_values

STACKS = ("prod", "staging")
POLICY = "gcp:monitoring/alertPolicy:AlertPolicy"
CHANNEL = "gcp:monitoring/notificationChannel:NotificationChannel"
LOG_BUCKET = "gcp:logging/projectBucketConfig:ProjectBucketConfig"
BUCKET = "gcp:storage/bucket:Bucket"


@cache
def plan(stack: str) -> Recording:
    return run_stack(stack, "gcp")


@cache
def _edited(key: str, change_json: str) -> Recording:
    changes: dict[str, Any] = json.loads(change_json)

    def apply(tree: Any) -> Any:
        for path, value in changes.items():
            node = tree
            parts = path.split(".")
            for part in parts[:-1]:
                node = node[int(part)] if isinstance(node, list) else node[part]
            last: Any = int(parts[-1]) if isinstance(node, list) else parts[-1]
            node[last] = value
        return tree

    return run_program(edited(stack_values("prod", "gcp"), key, apply))


def edited_plan(key: str, **changes: Any) -> Recording:
    """Prod on GCP with ``bettafish:<key>`` changed at each dotted path."""
    return _edited(key, json.dumps({k.replace("__", "."): v for k, v in changes.items()}, sort_keys=True))


def config(stack: str) -> Any:
    return load(stack_values(stack, "gcp"), stack)


def policy(recording: Recording, display: str) -> RecordedResource:
    (found,) = [
        p for p in recording.of_type(POLICY) if p.inputs["displayName"] == f"bettafish-{recording.stack} {display}"
    ]
    return found


def threshold(resource: RecordedResource, index: int = 0) -> dict[str, Any]:
    condition: dict[str, Any] = resource.inputs["conditions"][index]["conditionThreshold"]
    return condition


def channels(recording: Recording) -> list[str]:
    return [c.id for c in recording.of_type(CHANNEL)]


# Logs (rules 31 and 39).


@pytest.mark.parametrize("stack", STACKS)
def test_each_kind_of_log_is_kept_its_configured_days_under_the_logs_key(stack: str) -> None:
    days = config(stack).monitoring.log_retention
    buckets = {r.name.removeprefix(f"bettafish-{stack}-"): r for r in plan(stack).of_type(LOG_BUCKET)}
    assert buckets["k8s-logs"].inputs["retentionDays"] == days.application_days
    assert buckets["db-logs"].inputs["retentionDays"] == days.database_days
    assert buckets["edge-lb-logs"].inputs["retentionDays"] == days.load_balancer_days
    logs_key = plan(stack).outputs["keyIds"]["logs"]
    for bucket in buckets.values():
        assert bucket.inputs["cmekSettings"] == {"kmsKeyName": logs_key}


def test_retention_follows_the_config() -> None:
    recording = edited_plan(
        "bettafish:monitoring", logRetention={"applicationDays": 45, "databaseDays": 60, "loadBalancerDays": 120}
    )
    kept = {r.name: r.inputs["retentionDays"] for r in recording.of_type(LOG_BUCKET)}
    assert kept["bettafish-prod-k8s-logs"] == 45
    assert kept["bettafish-prod-db-logs"] == 60
    assert kept["bettafish-prod-edge-lb-logs"] == 120


# Notifications.


@pytest.mark.parametrize("stack", STACKS)
def test_one_email_channel_per_configured_address(stack: str) -> None:
    found = plan(stack).of_type(CHANNEL)
    assert [c.inputs["labels"] for c in found] == [
        {"email_address": a} for a in config(stack).monitoring.notification_emails
    ]
    assert all(c.inputs["type"] == "email" for c in found)
    assert plan(stack).outputs["notificationTarget"] == ",".join(channels(plan(stack)))


@pytest.mark.parametrize("stack", STACKS)
def test_every_alarm_notifies_the_channels(stack: str) -> None:
    policies = plan(stack).of_type(POLICY)
    replicas = config(stack).database.read_replicas.count
    # 3 configured (error rate; CPU on nodes and database), 4 or 5 of the operator's (replica lag with replicas).
    assert len(policies) == (8 if replicas else 7)
    for found in policies:
        assert found.inputs["notificationChannels"] == channels(plan(stack)), found.name
    assert plan(stack).outputs["alarmNames"] == sorted(p.inputs["displayName"] for p in policies)


# The configured alarms: metric, threshold, periods, comparison.


@pytest.mark.parametrize("stack", STACKS)
def test_the_error_rate_alarm_is_5xx_over_requests_at_the_edge(stack: str) -> None:
    condition = threshold(policy(plan(stack), "HighErrorRate edge"))
    url_map = plan(stack).named(f"bettafish-{stack}-edge-routes").id.rsplit("/", 1)[-1]
    requests = (
        'metric.type = "loadbalancing.googleapis.com/https/request_count" AND resource.type = "https_lb_rule"'
        f' AND resource.labels.url_map_name = "{url_map}"'
    )
    assert condition["denominatorFilter"] == requests
    assert condition["filter"] == f"{requests} AND metric.labels.response_code_class = 500"
    assert condition["thresholdValue"] == 0.05
    assert condition["comparison"] == "COMPARISON_GT"
    assert condition["duration"] == "600s"
    aggregation = {"alignmentPeriod": "300s", "perSeriesAligner": "ALIGN_DELTA", "crossSeriesReducer": "REDUCE_SUM"}
    assert condition["aggregations"] == condition["denominatorAggregations"] == [aggregation]


@pytest.mark.parametrize("stack", STACKS)
def test_the_cpu_alarm_watches_the_nodes_and_the_database(stack: str) -> None:
    cluster = plan(stack).outputs["clusterName"]
    nodes = threshold(policy(plan(stack), "HighCPUUtilization nodes"))
    assert nodes["filter"] == (
        'metric.type = "kubernetes.io/node/cpu/allocatable_utilization" AND resource.type = "k8s_node"'
        f' AND resource.labels.cluster_name = "{cluster}"'
    )
    primary = plan(stack).named(f"bettafish-{stack}-db-primary").id
    database = threshold(policy(plan(stack), "HighCPUUtilization database"))
    assert database["filter"] == (
        'metric.type = "cloudsql.googleapis.com/database/cpu/utilization" AND resource.type = "cloudsql_database"'
        f' AND resource.labels.database_id = "bettafish-{stack}:{primary}"'
    )
    for condition in (nodes, database):
        assert condition["thresholdValue"] == 0.8
        assert condition["comparison"] == "COMPARISON_GT"
        assert condition["duration"] == "900s"
        assert condition["aggregations"][0]["alignmentPeriod"] == "300s"


def test_an_alarm_follows_its_configured_numbers() -> None:
    recording = edited_plan(
        "bettafish:monitoring",
        **{
            "alarms.1.threshold": 65.0,
            "alarms.1.comparison": "greaterThanOrEqual",
            "alarms.1.evaluationPeriods": 4,
            "alarms.1.periodSeconds": 120,
        },
    )
    for where in ("nodes", "database"):
        condition = threshold(policy(recording, f"HighCPUUtilization {where}"))
        assert condition["thresholdValue"] == 0.65
        assert condition["comparison"] == "COMPARISON_GE"
        assert condition["duration"] == "480s"
        assert condition["aggregations"][0]["alignmentPeriod"] == "120s"


def test_a_latency_alarm_reads_the_edge_p95_in_milliseconds() -> None:
    alarm = {"name": "SlowApi", "metric": "latencyP95", "threshold": 2000.0, "comparison": "greaterThan"}
    recording = edited_plan(
        "bettafish:monitoring", **{"alarms.1": {**alarm, "evaluationPeriods": 1, "periodSeconds": 60}}
    )
    condition = threshold(policy(recording, "SlowApi edge"))
    assert "loadbalancing.googleapis.com/https/total_latencies" in condition["filter"]
    assert condition["aggregations"][0]["perSeriesAligner"] == "ALIGN_PERCENTILE_95"
    assert condition["thresholdValue"] == 2000


# The operator's alarms.


@pytest.mark.parametrize("stack", STACKS)
def test_the_operator_alarms_watch_storage_lag_cache_waf_and_node_pools(stack: str) -> None:
    recording = plan(stack)
    storage = threshold(policy(recording, "DatabaseStorage"))
    assert "cloudsql.googleapis.com/database/disk/utilization" in storage["filter"]
    assert storage["thresholdValue"] == 0.8
    replicas = [r.id for r in recording.of_type("gcp:sql/databaseInstance:DatabaseInstance") if "replica" in r.name]
    if replicas:
        lag = policy(recording, "ReplicaLag").inputs["conditions"]
        assert len(lag) == len(replicas)
        for condition, replica in zip(lag, replicas, strict=True):
            assert f":{replica}" in condition["conditionThreshold"]["filter"]
            assert condition["conditionThreshold"]["thresholdValue"] == 60
    else:
        assert not any("ReplicaLag" in p.inputs["displayName"] for p in recording.of_type(POLICY))
    cache_memory = threshold(policy(recording, "CacheMemory"))
    assert "redis.googleapis.com/cluster/memory/maximum_utilization" in cache_memory["filter"]
    assert cache_memory["thresholdValue"] == 0.8
    waf = threshold(policy(recording, "WafBlocked"))
    waf_name = recording.named(f"bettafish-{stack}-edge-waf").id.rsplit("/", 1)[-1]
    assert f'resource.labels.policy_name = "{waf_name}"' in waf["filter"]
    assert "metric.labels.blocked = true" in waf["filter"]
    assert waf["thresholdValue"] == 1000
    pools = policy(recording, "NodePoolsAtMaxSize")
    log = pools.inputs["conditions"][0]["conditionMatchedLog"]["filter"]
    assert "cluster-autoscaler-visibility" in log
    assert "noScaleUp" in log
    assert pools.inputs["alertStrategy"]["notificationRateLimit"] == {"period": "300s"}


def test_operator_thresholds_come_from_the_config() -> None:
    recording = edited_plan(
        "bettafish:monitoring", operatorAlarms={"databaseStoragePercent": 90, "wafBlockedRequests": 50}
    )
    assert threshold(policy(recording, "DatabaseStorage"))["thresholdValue"] == 0.9
    assert threshold(policy(recording, "WafBlocked"))["thresholdValue"] == 50


# Custom metrics and the dashboard.


@pytest.mark.parametrize("stack", STACKS)
def test_the_custom_metrics_are_declared_with_their_units(stack: str) -> None:
    found = {
        d.inputs["type"]: d.inputs for d in plan(stack).of_type("gcp:monitoring/metricDescriptor:MetricDescriptor")
    }
    assert set(found) == {
        "custom.googleapis.com/BettaFish/Application/QueryProcessingTime",
        "custom.googleapis.com/BettaFish/Agents/AgentSuccessRate",
    }
    assert found["custom.googleapis.com/BettaFish/Application/QueryProcessingTime"]["unit"] == "s"
    assert found["custom.googleapis.com/BettaFish/Agents/AgentSuccessRate"]["unit"] == "%"
    assert all((d["metricKind"], d["valueType"]) == ("GAUGE", "DOUBLE") for d in found.values())


WRITER = "roles/monitoring.metricWriter"


def metric_writers(recording: Recording) -> dict[str, RecordedResource]:
    """The project grants of the metric writer role but the nodes' own (their agents write system
    metrics), by their member."""
    grants = [
        g
        for g in recording.of_type("gcp:projects/iAMMember:IAMMember")
        if g.inputs["role"] == WRITER and "-k8s-nodes@" not in g.inputs["member"]
    ]
    return {g.inputs["member"]: g for g in grants}


@pytest.mark.parametrize("stack", STACKS)
def test_each_service_identity_may_write_the_custom_metrics_to_the_project(stack: str) -> None:
    """Each service's own identity (its Google service account, or its federated principal) and no
    one else; the principals name the workload pool, so the grants wait for the cluster."""
    recording = plan(stack)
    writers = metric_writers(recording)
    assert set(writers) == {identity_member(recording, stack, ksa) for ksa in PROD_GRANTS}
    assert sum(m.startswith("principal://") for m in writers) == 1  # report-engine has no Google account
    cluster = recording.one("gcp:container/cluster:Cluster").urn
    for grant in writers.values():
        assert grant.inputs["project"] == f"bettafish-{stack}"
        assert cluster in grant.dependencies


def test_without_custom_metrics_no_service_may_write_metrics() -> None:
    assert metric_writers(edited_plan("bettafish:monitoring", customMetrics=[])) == {}


@pytest.mark.parametrize("stack", STACKS)
def test_the_dashboard_shows_edge_service_database_and_cache(stack: str) -> None:
    board = plan(stack).one("gcp:monitoring/dashboard:Dashboard")
    layout = json.loads(board.inputs["dashboardJson"])
    titles = [t["widget"]["title"] for t in layout["mosaicLayout"]["tiles"]]
    for prefix in ("Edge:", "Service:", "Database:", "Cache:", "App:"):
        assert any(t.startswith(prefix) for t in titles), prefix
    text = board.inputs["dashboardJson"]
    assert plan(stack).outputs["clusterName"] in text
    assert plan(stack).outputs["dashboard"] == board.id


# The budget.


@pytest.mark.parametrize("stack", STACKS)
def test_the_monthly_budget_alerts_on_actual_and_forecast_spend(stack: str) -> None:
    budget_config = config(stack).budget
    budget = plan(stack).one("gcp:billing/budget:Budget").inputs
    assert budget["billingAccount"] == budget_config.gcp.billing_account
    assert budget["amount"] == {"specifiedAmount": {"currencyCode": "USD", "units": str(budget_config.monthly_amount)}}
    assert budget["budgetFilter"]["calendarPeriod"] == "MONTH"
    assert budget["budgetFilter"]["projects"] == [f"projects/{GCP_PROJECT_NUMBER}"]
    assert budget["thresholdRules"] == [
        {"thresholdPercent": p / 100, "spendBasis": basis}
        for p in budget_config.threshold_percents
        for basis in ("CURRENT_SPEND", "FORECASTED_SPEND")
    ]
    assert budget["allUpdatesRule"]["monitoringNotificationChannels"] == channels(plan(stack))
    assert plan(stack).outputs["budgetName"] == budget["displayName"]


def test_the_budget_follows_the_config_and_reads_no_clock() -> None:
    recording = edited_plan("bettafish:budget", monthlyAmount=12500, thresholdPercents=[50, 90])
    budget = recording.one("gcp:billing/budget:Budget").inputs
    assert budget["amount"]["specifiedAmount"]["units"] == "12500"
    assert [r["thresholdPercent"] for r in budget["thresholdRules"]] == [0.5, 0.5, 0.9, 0.9]
    later = edited_plan("bettafish:budget", monthlyAmount=12500, thresholdPercents=[50, 90], startDate="2027-03-01")
    # Cloud Billing counts calendar months: the start date reaches no input, and nothing is dated.
    assert later.one("gcp:billing/budget:Budget").inputs == budget
    assert "customPeriod" not in budget["budgetFilter"]


# User data in the DR region.


def test_prod_user_data_is_dual_region_with_turbo_replication_under_a_multi_region_key() -> None:
    dr_region = config("prod").database.cross_region_copy.target("gcp")
    buckets = {b.name.removeprefix("bettafish-prod-store-"): b.inputs for b in plan("prod").of_type(BUCKET)}
    for logical in ("media-content", "reports"):
        assert buckets[logical]["location"] == "US"
        assert buckets[logical]["customPlacementConfig"] == {"dataLocations": ["US-EAST1", dr_region.upper()]}
        assert buckets[logical]["rpo"] == "ASYNC_TURBO"
    assert "/locations/us/keyRings/" in buckets["reports"]["encryption"]["defaultKmsKeyName"]
    assert buckets["logs"]["location"] == "US-EAST1"
    assert "rpo" not in buckets["logs"]


def test_staging_without_a_dr_region_keeps_regional_buckets() -> None:
    for bucket in plan("staging").of_type(BUCKET):
        assert bucket.inputs["location"] == "US-EAST1"
        assert "rpo" not in bucket.inputs
