"""Kubernetes settings only AKS constrains (the shared ones are in ``checks.kubernetes``)."""

from __future__ import annotations

from collections.abc import Iterator

from bettafish.config.checks.issue import Issue
from bettafish.config.stack import StackConfig


def check_azure_kubernetes(cfg: StackConfig) -> Iterator[Issue]:
    if cfg.cloud != "azure":
        return
    yield from ()
