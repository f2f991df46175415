"""Azure operations (issue 10): logs kept for each retention, the configured alarms and the operator's,
all to the on-call action group, the dashboard, the consumption budget and the anomaly alert."""

from __future__ import annotations

from typing import Any

import pytest

from bettafish.plan import RecordedResource
from bettafish.policy.evaluate import evaluate
from bettafish.policy.offline import stack_config, stack_of
from providers.azure.object_store import container_name as kebab
from tests.azure.operations import alert, built, built_from, criterion, of_type, profile_id
from tests.azure.stacks import STACKS, computed, config
from tests.mocks import PROJECT_ROOT, edited, stack_values

WINDOWS = {5: "PT5M", 15: "PT15M"}


def workspace(stack: str, suffix: str) -> RecordedResource:
    (found,) = [w for w in of_type(stack, "operationalinsights:Workspace") if w.name.endswith(suffix)]
    return found


def settings_on(stack: str, resource_id: str) -> list[RecordedResource]:
    return [s for s in of_type(stack, "monitor:DiagnosticSetting") if s.inputs["resourceUri"] == resource_id]


def one(stack: str, token: str, suffix: str = "") -> RecordedResource:
    (found,) = [r for r in of_type(stack, token) if r.name.endswith(suffix)]
    return found


def action_group_id(stack: str) -> str:
    return one(stack, "monitor:ActionGroup").id


# -- logs -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", STACKS)
def test_each_log_kind_is_kept_for_its_configured_retention(stack: str) -> None:
    retention = config(stack).monitoring.log_retention
    assert workspace(stack, "-k8s-logs").inputs["retentionInDays"] == retention.application_days
    assert workspace(stack, "-database-logs").inputs["retentionInDays"] == retention.database_days
    assert workspace(stack, "-lb-logs").inputs["retentionInDays"] == retention.load_balancer_days


@pytest.mark.parametrize("stack", STACKS)
def test_every_database_server_and_the_cache_log_everything_to_the_database_workspace(stack: str) -> None:
    servers = of_type(stack, "dbforpostgresql:Server")
    (redis_database,) = of_type(stack, "redisenterprise:Database")
    assert len(servers) == 1 + config(stack).database.read_replicas.count
    for resource in [*servers, redis_database]:
        (setting,) = settings_on(stack, resource.id)
        assert setting.inputs["workspaceId"] == workspace(stack, "-database-logs").id
        assert setting.inputs["logs"] == [{"categoryGroup": "allLogs", "enabled": True}]


@pytest.mark.parametrize("stack", STACKS)
def test_the_load_balancer_logs_to_the_load_balancer_workspace(stack: str) -> None:
    (agc,) = of_type(stack, "servicenetworking:TrafficControllerInterface")
    (setting,) = settings_on(stack, agc.id)
    assert setting.inputs["workspaceId"] == workspace(stack, "-lb-logs").id
    assert setting.inputs["logs"] == [{"categoryGroup": "allLogs", "enabled": True}]


@pytest.mark.parametrize("stack", STACKS)
def test_container_logs_reach_the_cluster_workspace_through_container_insights(stack: str) -> None:
    cluster, logs = one(stack, "containerservice:ManagedCluster"), workspace(stack, "-k8s-logs")
    addon = cluster.inputs["addonProfiles"]["omsagent"]
    assert addon == {"enabled": True, "config": {"logAnalyticsWorkspaceResourceID": logs.id, "useAADAuth": "true"}}
    assert logs.urn in cluster.dependencies
    rule, association = one(stack, "monitor:DataCollectionRule"), one(stack, "monitor:DataCollectionRuleAssociation")
    (destination,) = rule.inputs["destinations"]["logAnalytics"]
    assert destination["workspaceResourceId"] == logs.id
    (flow,) = rule.inputs["dataFlows"]
    assert flow == {"streams": ["Microsoft-ContainerInsights-Group-Default"], "destinations": [destination["name"]]}
    (extension,) = rule.inputs["dataSources"]["extensions"]
    assert extension["extensionSettings"]["dataCollectionSettings"]["enableContainerLogV2"] is True
    assert association.inputs["resourceUri"] == cluster.id
    assert association.inputs["dataCollectionRuleId"] == rule.id


# -- alarms -----------------------------------------------------------------------------------------


def assert_notifies_on_call(stack: str, resource: RecordedResource) -> None:
    assert resource.inputs["actions"] == [{"actionGroupId": action_group_id(stack)}]
    assert resource.inputs["enabled"] is True


@pytest.mark.parametrize("stack", STACKS)
def test_the_action_group_emails_the_configured_addresses(stack: str) -> None:
    group = one(stack, "monitor:ActionGroup")
    emails = config(stack).monitoring.notification_emails
    assert [r["emailAddress"] for r in group.inputs["emailReceivers"]] == emails
    assert built(stack).outputs["notification_target"] == group.id


@pytest.mark.parametrize("stack", STACKS)
def test_each_configured_alarm_has_its_metric_threshold_periods_and_comparison(stack: str) -> None:
    cfg = config(stack)
    servers = of_type(stack, "dbforpostgresql:Server")
    cluster = one(stack, "containerservice:ManagedCluster")
    expected = {
        "errorRate": [("edge", profile_id(stack), "Percentage5XX")],
        "cpuUtilization": [
            ("nodes", cluster.id, "node_cpu_usage_percentage"),
            *[("database-" + s.name.removeprefix("dep-db-"), s.id, "cpu_percent") for s in servers],
        ],
    }
    for alarm in cfg.monitoring.alarms:
        for role, scope, metric in expected[alarm.metric]:
            found = alert(stack, f"{alarm.name}-{role}")
            assert found.inputs["scopes"] == [scope]
            assert found.inputs["windowSize"] == WINDOWS[alarm.evaluation_periods * alarm.period_seconds // 60]
            assert found.inputs["evaluationFrequency"] == WINDOWS[alarm.period_seconds // 60]
            got = criterion(found)
            assert got["metricName"] == metric
            assert got["threshold"] == alarm.threshold
            assert got["operator"] == {"greaterThan": "GreaterThan", "lessThan": "LessThan"}[alarm.comparison]
            assert got["timeAggregation"] == "Average"
            assert_notifies_on_call(stack, found)


def test_prod_error_rate_is_5_percent_over_15_minutes_on_azure() -> None:
    """The spec's 2 x 300 s cannot be an Azure window; cloudOverrides.azure makes it 3 x 300 s."""
    found = alert("prod", "HighErrorRate-edge")
    assert (criterion(found)["threshold"], found.inputs["windowSize"]) == (5.0, "PT15M")
    cpu = alert("prod", "HighCPUUtilization-nodes")
    assert (criterion(cpu)["threshold"], cpu.inputs["windowSize"], cpu.inputs["evaluationFrequency"]) == (
        80.0,
        "PT15M",
        "PT5M",
    )


@pytest.mark.parametrize("stack", STACKS)
def test_the_operator_alerts_watch_storage_lag_cache_memory_pool_size_and_waf_blocks(stack: str) -> None:
    cfg = config(stack)
    limits = cfg.monitoring.operator_alarms
    primary = one(stack, "dbforpostgresql:Server", "-primary")
    storage = alert(stack, "DatabaseStorage-database-primary")
    assert storage.inputs["scopes"] == [primary.id]
    assert (criterion(storage)["metricName"], criterion(storage)["threshold"]) == (
        "storage_percent",
        limits.database_storage_percent,
    )
    for i in range(cfg.database.read_replicas.count):
        replica = one(stack, "dbforpostgresql:Server", f"-replica-{i + 1}")
        lag = alert(stack, f"ReplicaLag-database-replica-{i + 1}")
        assert lag.inputs["scopes"] == [replica.id]
        assert criterion(lag)["metricName"] == "physical_replication_delay_in_seconds"
        assert (criterion(lag)["threshold"], criterion(lag)["timeAggregation"]) == (
            limits.replica_lag_seconds,
            "Maximum",
        )
    memory = alert(stack, "CacheMemory-cache")
    assert memory.inputs["scopes"] == [one(stack, "redisenterprise:RedisEnterprise").id]
    assert (criterion(memory)["metricName"], criterion(memory)["threshold"]) == (
        "usedmemorypercentage",
        limits.cache_memory_percent,
    )
    pool = alert(stack, "NodePoolAtMaxSize-nodes")
    assert criterion(pool)["metricName"] == "cluster_autoscaler_unschedulable_pods_count"
    assert (criterion(pool)["operator"], criterion(pool)["threshold"], pool.inputs["windowSize"]) == (
        "GreaterThan",
        0,
        "PT15M",
    )
    waf = alert(stack, "WafBlocked-edge")
    assert waf.inputs["scopes"] == [profile_id(stack)]
    assert criterion(waf)["metricName"] == "WebApplicationFirewallRequestCount"
    assert (criterion(waf)["timeAggregation"], criterion(waf)["threshold"]) == (
        "Total",
        limits.waf_blocked_requests,
    )
    assert criterion(waf)["dimensions"] == [{"name": "Action", "operator": "Include", "values": ["Block"]}]
    # monitoring.operatorAlarms: every 300 s over a window of its 3 periods.
    for found in (storage, memory, pool, waf):
        assert (found.inputs["windowSize"], found.inputs["evaluationFrequency"]) == ("PT15M", "PT5M")
    for found in (storage, memory, pool, waf):
        assert_notifies_on_call(stack, found)


def test_the_operator_thresholds_come_from_config() -> None:
    def change(monitoring: dict[str, Any]) -> dict[str, Any]:
        return monitoring | {
            "operatorAlarms": {
                "databaseStoragePercent": 91,
                "replicaLagSeconds": 42,
                "cacheMemoryPercent": 67,
                "wafBlockedRequests": 250,
            }
        }

    recording = built_from(edited(stack_values("prod", "azure"), "bettafish:monitoring", change), "prod")
    thresholds = {
        a.inputs["ruleName"]: a.inputs["criteria"]["allOf"][0]["threshold"]
        for a in recording.of_type("azure-native:monitor:MetricAlert")
    }
    assert thresholds["DatabaseStorage-database-primary"] == 91
    assert thresholds["ReplicaLag-database-replica-1"] == 42
    assert thresholds["CacheMemory-cache"] == 67
    assert thresholds["WafBlocked-edge"] == 250


@pytest.mark.parametrize("stack", STACKS)
def test_every_alert_is_published_by_its_rule_name(stack: str) -> None:
    rules = sorted(a.inputs["ruleName"] for a in of_type(stack, "monitor:MetricAlert"))
    assert sorted(built(stack).outputs["alarm_names"]) == rules


# -- dashboard and custom metrics -------------------------------------------------------------------


def charted(board: RecordedResource) -> list[tuple[str, str, str]]:
    (lens,) = board.inputs["properties"]["lenses"]
    out = []
    for part in lens["parts"]:
        (metric,) = part["metadata"]["inputs"][0]["value"]["chart"]["metrics"]
        out.append((metric["resourceMetadata"]["id"], metric["namespace"], metric["name"]))
    return out


@pytest.mark.parametrize("stack", STACKS)
def test_the_dashboard_charts_edge_service_database_cache_and_custom_metrics(stack: str) -> None:
    board = one(stack, "portal:Dashboard")
    assert built(stack).outputs["dashboard"] == board.id
    charts = charted(board)
    cluster = one(stack, "containerservice:ManagedCluster").id
    assert (profile_id(stack), "microsoft.cdn/profiles", "Percentage5XX") in charts
    assert (cluster, "microsoft.containerservice/managedclusters", "node_cpu_usage_percentage") in charts
    primary = one(stack, "dbforpostgresql:Server", "-primary").id
    assert (primary, "microsoft.dbforpostgresql/flexibleservers", "cpu_percent") in charts
    redis = one(stack, "redisenterprise:RedisEnterprise").id
    assert (redis, "microsoft.cache/redisenterprise", "usedmemorypercentage") in charts
    for metric in config(stack).monitoring.custom_metrics:
        assert (cluster, metric.namespace.lower(), metric.name) in charts


@pytest.mark.parametrize("stack", STACKS)
def test_every_service_identity_may_publish_custom_metrics_against_the_cluster(stack: str) -> None:
    cluster = one(stack, "containerservice:ManagedCluster").id
    grants = {g.name: g for g in of_type(stack, "authorization:RoleAssignment") if g.name.endswith("-metrics")}
    identities = {i.name: i for i in of_type(stack, "managedidentity:UserAssignedIdentity")}
    services = sorted(kebab(name) for name, _ in config(stack).services.items())
    assert sorted(grants) == [f"test-{stack}-{name}-metrics" for name in services]
    for name in services:
        grant = grants[f"test-{stack}-{name}-metrics"]
        assert grant.inputs["scope"] == cluster
        assert grant.inputs["roleDefinitionId"].endswith("/3913510d-42f4-4e42-8a64-420c390055eb")
        assert grant.inputs["principalId"] == computed(identities[f"dep-apps-{name}-identity"])["principalId"]


# -- budget -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", STACKS)
def test_the_budget_alerts_on_actual_and_forecast_at_each_threshold(stack: str) -> None:
    cfg = config(stack)
    budget = one(stack, "consumption:Budget")
    assert budget.inputs["amount"] == cfg.budget.monthly_amount
    assert budget.inputs["timeGrain"] == "Monthly"
    assert budget.inputs["timePeriod"] == {"startDate": f"{cfg.budget.start_date.isoformat()}T00:00:00Z"}
    assert budget.inputs["scope"] == "/subscriptions/" + budget.id.split("/")[2]
    notifications: dict[str, dict[str, Any]] = budget.inputs["notifications"]
    expected = {(kind, p) for p in cfg.budget.threshold_percents for kind in ("Actual", "Forecasted")}
    assert {(n["thresholdType"], n["threshold"]) for n in notifications.values()} == expected
    for notification in notifications.values():
        assert notification["enabled"] is True
        assert notification["contactEmails"] == cfg.monitoring.notification_emails
        assert notification["contactGroups"] == [action_group_id(stack)]
    assert built(stack).outputs["budget_name"] == budget.id.rsplit("/", 1)[-1]


@pytest.mark.parametrize("stack", STACKS)
def test_cost_anomalies_are_emailed_daily_from_the_subscription(stack: str) -> None:
    cfg = config(stack)
    anomaly = one(stack, "costmanagement:ScheduledActionByScope")
    subscription = anomaly.id.split("/")[2]
    assert anomaly.inputs["kind"] == "InsightAlert"
    assert anomaly.inputs["scope"] == f"subscriptions/{subscription}"
    assert anomaly.inputs["viewId"].endswith("/providers/Microsoft.CostManagement/views/ms:DailyAnomalyByResourceGroup")
    assert anomaly.inputs["notification"]["to"] == cfg.monitoring.notification_emails
    assert len(anomaly.inputs["displayName"]) <= 25
    start = cfg.budget.start_date
    assert anomaly.inputs["schedule"] == {
        "frequency": "Daily",
        "startDate": f"{start.isoformat()}T00:00:00Z",
        "endDate": f"{start.year + 1}-{start.month:02d}-{start.day:02d}T00:00:00Z",
    }


def test_the_budget_follows_the_config_and_nothing_else() -> None:
    """Amount, start date, thresholds and anomaly detection come from bettafish:budget (no clock)."""

    def change(budget: dict[str, Any]) -> dict[str, Any]:
        return budget | {
            "monthlyAmount": 1234,
            "startDate": "2027-03-01",
            "thresholdPercents": [50, 90],
            "anomalyDetection": {"enabled": False, "sensitivity": "low"},
        }

    recording = built_from(edited(stack_values("staging", "azure"), "bettafish:budget", change), "staging")
    (budget,) = recording.of_type("azure-native:consumption:Budget")
    assert budget.inputs["amount"] == 1234
    assert budget.inputs["timePeriod"] == {"startDate": "2027-03-01T00:00:00Z"}
    assert sorted(budget.inputs["notifications"]) == ["actual-50", "actual-90", "forecasted-50", "forecasted-90"]
    assert recording.of_type("azure-native:costmanagement:ScheduledActionByScope") == []


# -- policy -----------------------------------------------------------------------------------------


@pytest.mark.parametrize("stack", STACKS)
def test_operations_pass_every_mandatory_rule_and_rule_31_sees_the_budget(stack: str) -> None:
    planned = stack_of(built(stack))
    found = evaluate(planned, stack_config(PROJECT_ROOT, stack))
    assert [v for v in found if v.level == "mandatory"] == []
    assert any(r.type == "azure-native:consumption:Budget" for r in planned.resources)
