"""Workload settings Azure constrains: the records of the private zone ``internal.<zone>`` and the
registry's retention of untagged manifests."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.stack import StackConfig

ACR_RETENTION_DAYS_MAX = 365
"""ACR's retention policy keeps untagged manifests 0 to 365 days (``retentionPolicy.days``)."""


def check_azure_workloads(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "azure":
        return
    days = cfg.registry.untagged_expiry_days
    if days > ACR_RETENTION_DAYS_MAX:
        yield Issue(
            _key("registry.untaggedExpiryDays"),
            f"azure: the container registry's retention policy keeps untagged manifests at most"
            f" {ACR_RETENTION_DAYS_MAX} days, not {days}",
        )
    for i, record in enumerate(cfg.edge.dns.records):
        if record.target in ("database", "cache") and record.ttl_seconds is None:
            yield Issue(
                _key(f"edge.dns.records[{i}].ttlSeconds"),
                "azure: the internal records are CNAMEs in an Azure private DNS zone, which cannot alias the"
                " data services: give them a TTL",
            )
