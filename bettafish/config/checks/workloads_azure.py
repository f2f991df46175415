"""Workload settings Azure constrains: the records of the private zone ``internal.<zone>``."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.checks.issue import Issue
from bettafish.config.checks.issue import key as _key
from bettafish.config.stack import StackConfig


def check_azure_workloads(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "azure":
        return
    for i, record in enumerate(cfg.edge.dns.records):
        if record.target in ("database", "cache") and record.ttl_seconds is None:
            yield Issue(
                _key(f"edge.dns.records[{i}].ttlSeconds"),
                "azure: the internal records are CNAMEs in an Azure private DNS zone, which cannot alias the"
                " data services: give them a TTL",
            )
