"""AWS: what the real APIs refuse that the SDK's types allow (see the package docstring), by area:
network, keys and logs (``aws_network``), databases and backups (``aws_database``), caches
(``aws_cache``), object storage (``aws_storage``), DNS, certificates and the registry (``aws_edge``),
CloudFront and its WAF (``aws_cdn``), replication, alarms and budgets (``aws_operations``)."""

from __future__ import annotations

from bettafish.plan.fake_cloud.constraints import (
    Constraint,
    aws_cache,
    aws_cdn,
    aws_database,
    aws_edge,
    aws_network,
    aws_operations,
    aws_storage,
)

CONSTRAINTS: tuple[Constraint, ...] = (
    *aws_network.CONSTRAINTS,
    *aws_database.CONSTRAINTS,
    *aws_cache.CONSTRAINTS,
    *aws_storage.CONSTRAINTS,
    *aws_edge.CONSTRAINTS,
    *aws_cdn.CONSTRAINTS,
    *aws_operations.CONSTRAINTS,
)
