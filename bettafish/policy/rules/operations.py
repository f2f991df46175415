"""Rules 31 and 39: logs kept for the spec's retention, budget alerts; logs encrypted with the
customer key where the cloud allows it, bucket access logged."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bettafish.policy.model import Finding, Hit, Resource, Stack, as_list, is_set, number
from bettafish.policy.rule import Rule, Setting
from bettafish.policy.rules.storage import data_accounts
from bettafish.policy.tokens import (
    BILLING_BUDGET,
    BUDGET,
    CONSUMPTION_BUDGET,
    DIAGNOSTIC_SETTING,
    GCS,
    LOG_BUCKET,
    LOG_GROUP,
    NETWORK_FLOW_LOG,
    S3_BUCKETS,
    S3_LOGGING,
    WORKSPACE,
)

RETENTION = Rule(
    31,
    "log-retention-budget-alerts",
    "Logs kept for the spec's retention; budget alerts",
    settings={
        "minimumLogRetentionDays": Setting(
            30, "days every log store keeps (spec: 30 for application and database logs)"
        )
    },
)


@RETENTION.on(LOG_GROUP, LOG_BUCKET, WORKSPACE, NETWORK_FLOW_LOG)
def _retention(store: Resource, config: Mapping[str, Any]) -> Iterator[Finding]:
    keep = config["minimumLogRetentionDays"]
    prop = {
        LOG_GROUP: "retentionInDays",
        LOG_BUCKET: "retentionDays",
        WORKSPACE: "retentionInDays",
        NETWORK_FLOW_LOG: "retentionPolicy.days",
    }[store.type]
    # Unset means forever on CloudWatch, the provider's default elsewhere: say it.
    kept = number(store.get(prop))
    if kept is None or kept < keep:
        yield Finding(prop, f"must keep logs at least {keep} days (got {kept})")
    if store.type == NETWORK_FLOW_LOG and store.get("retentionPolicy.enabled") is not True:
        yield Finding("retentionPolicy.enabled", "must be true")


@RETENTION.on(BUDGET, BILLING_BUDGET, CONSUMPTION_BUDGET)
def _budget_alerts(budget: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    if budget.type == BUDGET:
        notifications = as_list(budget.get("notifications"))
        if not any(
            is_set(n.get("subscriberEmailAddresses")) or is_set(n.get("subscriberSnsTopicArns")) for n in notifications
        ):
            yield Finding("notifications", "must notify someone (e-mail or SNS) at a threshold")
    elif budget.type == BILLING_BUDGET:
        if not is_set(budget.get("thresholdRules")):
            yield Finding("thresholdRules", "must alert at a threshold")
    else:
        notifications = list((budget.get("notifications") or {}).values())
        if not any(
            n.get("enabled") is True and (is_set(n.get("contactEmails")) or is_set(n.get("contactGroups")))
            for n in notifications
        ):
            yield Finding("notifications", "an enabled notification must reach e-mails or an action group")


ENCRYPTED_LOGS = Rule(39, "logs-encrypted-access-logged", "Logs encrypted with the customer key; bucket access logged")
STORAGE_ACCESS = ("StorageRead", "StorageWrite", "StorageDelete")


@ENCRYPTED_LOGS.on(LOG_GROUP, LOG_BUCKET)
def _log_key(store: Resource, _: Mapping[str, Any]) -> Iterator[Finding]:
    # Log Analytics takes a customer key only through a dedicated cluster: optional, not checked.
    prop = "kmsKeyId" if store.type == LOG_GROUP else "cmekSettings.kmsKeyName"
    if not is_set(store.get(prop)):
        yield Finding(prop, "must name the stack's logs key")


@ENCRYPTED_LOGS.across(*S3_BUCKETS, GCS)
def _access_logged(stack: Stack, _: Mapping[str, Any]) -> Iterator[Hit]:
    targets = {urn for log in stack.of_type(S3_LOGGING) for urn in log.property_dependencies.get("targetBucket", ())}
    for bucket in stack.of_type(*S3_BUCKETS):
        if bucket.urn not in targets and not stack.referencing(bucket, "bucket", S3_LOGGING):
            yield Hit(bucket, "BucketLogging", "server access logs must go to the logs bucket")
    targets = {urn for b in stack.of_type(GCS) for urn in b.property_dependencies.get("logging", ())}
    for bucket in stack.of_type(GCS):
        if bucket.urn not in targets and not is_set(bucket.get("logging.logBucket")):
            yield Hit(bucket, "logging.logBucket", "usage logs must go to the logs bucket")
    for account in data_accounts(stack):
        logged = {
            str(log.get("category"))
            for setting in stack.referencing(account, "resourceUri", DIAGNOSTIC_SETTING)
            for log in as_list(setting.get("logs"))
            if log.get("enabled") is True
        }
        missing = [c for c in STORAGE_ACCESS if c not in logged]
        if missing:
            yield Hit(account, "DiagnosticSetting.logs", f"blob access must be logged ({', '.join(missing)})")


RULES = (RETENTION, ENCRYPTED_LOGS)
