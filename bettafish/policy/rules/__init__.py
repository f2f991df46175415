"""Rules 1-40 of ``security-rules.md``, one small module per group."""

from __future__ import annotations

from bettafish.policy.rule import Rule
from bettafish.policy.rules import (
    cache,
    database,
    edge,
    identity,
    keys,
    kubernetes,
    network,
    operations,
    protection,
    storage,
    workloads,
)

RULES: tuple[Rule, ...] = tuple(
    sorted(
        (
            *database.RULES,
            *cache.RULES,
            *storage.RULES,
            *kubernetes.RULES,
            *network.RULES,
            *edge.RULES,
            *keys.RULES,
            *identity.RULES,
            *operations.RULES,
            *protection.RULES,
            *workloads.RULES,
        ),
        key=lambda rule: rule.number,
    )
)

__all__ = ["RULES"]
