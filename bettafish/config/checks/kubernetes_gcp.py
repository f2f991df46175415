"""Kubernetes settings only GKE constrains (the shared ones are in ``checks.kubernetes``)."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.checks.issue import Issue
from bettafish.config.stack import StackConfig


def check_gcp_kubernetes(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "gcp":
        return
    yield from ()
