"""A fake cloud for offline runs: realistic ids and computed outputs per resource type, and
answers to the data sources the program reads. Shared by ``bettafish plan`` and the tests.

Each cloud's part lives in its own module (``aws``, ``gcp``, ``azure``): a ``*_state`` function
computing a resource's id and outputs, and ``CALLS`` answering its data sources.
"""

from __future__ import annotations

from typing import Any

import pulumi

from bettafish.plan.fake_cloud import aws, aws_cdn, aws_edge, azure, gcp
from bettafish.plan.fake_cloud.clock import time_state
from bettafish.plan.fake_cloud.common import (
    ACCOUNT_ID,
    GCP_PROJECT_NUMBER,
    SUBSCRIPTION_ID,
    TENANT_ID,
    Computed,
    hex_digest,
)
from bettafish.plan.fake_cloud.kubernetes import kubernetes_state
from bettafish.plan.fake_cloud.random import random_state

__all__ = ["ACCOUNT_ID", "GCP_PROJECT_NUMBER", "SUBSCRIPTION_ID", "TENANT_ID", "FakeCloud"]

_CALLS: dict[str, dict[str, Any]] = {**aws.CALLS, **gcp.CALLS, **azure.CALLS}
_REGIONAL_CALLS = {**aws_edge.REGIONAL_CALLS, **aws_cdn.REGIONAL_CALLS}
"""Data sources whose answer depends on their arguments and the provider's region."""


class FakeCloud(pulumi.runtime.Mocks):
    """Computed outputs per type token; inputs pass through as a real provider's state would."""

    def __init__(self, region: str = "us-east-1", gcp_project: str = "bettafish-test") -> None:
        self.region = region
        self.gcp_project = gcp_project

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        if not args.custom:
            return None, {}
        resource_id, computed = self._state(args)
        return resource_id, {**args.inputs, **computed}

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        if args.token in _REGIONAL_CALLS:
            return _REGIONAL_CALLS[args.token](dict(args.args), self.region), []
        if args.token not in _CALLS:
            raise NotImplementedError(f"the fake cloud does not answer {args.token}")
        return dict(_CALLS[args.token]), []

    def _state(self, args: pulumi.runtime.MockResourceArgs) -> Computed:
        provider = args.typ.split(":", 1)[0]
        if provider == "aws":
            return aws.aws_state(args, self.region)
        if provider == "gcp":
            return gcp.gcp_state(args, self.gcp_project)
        if provider == "azure-native":
            return azure.azure_state(args)
        if provider == "random":
            return random_state(args)
        if provider == "time":
            return time_state(args)
        if provider == "kubernetes":
            return kubernetes_state(args)
        return f"{args.name}-{hex_digest(args.typ, args.name, length=8)}", {}
