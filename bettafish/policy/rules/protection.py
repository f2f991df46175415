"""Rule 32: stateful resources (databases, caches, buckets, keys and vaults) are ``protect``ed and
never force-destroyed; on Azure a management lock guards them too."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from bettafish.policy.model import Hit, Stack
from bettafish.policy.rule import Rule, Setting
from bettafish.policy.rules.common import is_replica, locked
from bettafish.policy.tokens import CK, EC, GCS, KMS, KV, KV_KEY, MR, MR_CLUSTER, PG, RDS, RE, RED, S3_BUCKETS, SA, SQL

STATEFUL = (RDS, SQL, PG, EC, MR, MR_CLUSTER, RED, RE, *S3_BUCKETS, GCS, SA, KMS, CK, KV, KV_KEY)
AZURE_LOCKED = (PG, RE, RED, SA, KV)

PROTECTED = Rule(
    32,
    "stateful-protected",
    "Stateful resources protected; no force-destroy",
    settings={"requireProtect": Setting(True, "stateful resources carry protect and Azure locks (prod)")},
)


@PROTECTED.across(*STATEFUL)
def _protected(stack: Stack, config: Mapping[str, Any]) -> Iterator[Hit]:
    for resource in stack.of_type(*STATEFUL):
        if resource.get("forceDestroy") is True:
            yield Hit(resource, "forceDestroy", "must not be true: a non-empty bucket must stop its deletion")
        if not config["requireProtect"]:
            continue
        if not resource.protect:
            yield Hit(resource, "protect", "a stateful resource must be protected")
        if resource.type in AZURE_LOCKED and not is_replica(resource) and not locked(stack, resource):
            yield Hit(resource, "(management lock)", "needs a CanNotDelete management lock")


RULES = (PROTECTED,)
