"""GCP part of the fake cloud for operations: Cloud Monitoring's notification channels, alert
policies, metric descriptors and dashboards, and Cloud Billing budgets, with the resource names the
APIs assign (numeric ids for channels and policies, the metric type for descriptors, a UUID under
the billing account for budgets)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pulumi

from bettafish.plan.fake_cloud.common import GCP_PROJECT_NUMBER, Computed, fake_uuid, hex_digest


def _numeric(*parts: str) -> str:
    return str(int(hex_digest(*parts, length=15), 16))


def _channel(args: pulumi.runtime.MockResourceArgs, project: str) -> Computed:
    resource_id = f"projects/{project}/notificationChannels/{_numeric(project, args.name)}"
    return resource_id, {"name": resource_id, "verificationStatus": "VERIFICATION_STATUS_UNSPECIFIED"}


def _policy(args: pulumi.runtime.MockResourceArgs, project: str) -> Computed:
    resource_id = f"projects/{project}/alertPolicies/{_numeric(project, args.name)}"
    conditions: list[dict[str, Any]] = [
        {**c, "name": f"{resource_id}/conditions/{_numeric(resource_id, str(i))}"}
        for i, c in enumerate(args.inputs.get("conditions", []))
    ]
    return resource_id, {"name": resource_id, "conditions": conditions}


def _descriptor(args: pulumi.runtime.MockResourceArgs, project: str) -> Computed:
    resource_id = f"projects/{project}/metricDescriptors/{args.inputs.get('type')}"
    return resource_id, {"name": resource_id, "monitoredResourceTypes": []}


def _dashboard(args: pulumi.runtime.MockResourceArgs, project: str) -> Computed:
    return f"projects/{GCP_PROJECT_NUMBER}/dashboards/{fake_uuid(project, args.name)}", {}


def _budget(args: pulumi.runtime.MockResourceArgs, project: str) -> Computed:
    resource_id = f"billingAccounts/{args.inputs.get('billingAccount')}/budgets/{fake_uuid(args.name)}"
    return resource_id, {"name": resource_id, "etag": hex_digest(resource_id, length=16)}


_BY_TYPE: dict[str, Callable[[pulumi.runtime.MockResourceArgs, str], Computed]] = {
    "gcp:monitoring/notificationChannel:NotificationChannel": _channel,
    "gcp:monitoring/alertPolicy:AlertPolicy": _policy,
    "gcp:monitoring/metricDescriptor:MetricDescriptor": _descriptor,
    "gcp:monitoring/dashboard:Dashboard": _dashboard,
    "gcp:billing/budget:Budget": _budget,
}


def operations_state(args: pulumi.runtime.MockResourceArgs, project: str) -> Computed | None:
    """The id and computed outputs of an operations resource, else None."""
    handler = _BY_TYPE.get(args.typ)
    return None if handler is None else handler(args, project)
