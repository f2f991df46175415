"""GCP flow logs (security rules 26 and 39): routed into a log bucket of their own, kept the
configured days, encrypted with the logs key, with an id new for each lifetime of the stack, as
recorded from the real program run offline on GCP."""

from __future__ import annotations

import pytest

from bettafish.plan import RecordedResource
from bettafish.plan.fake_cloud.common import hex_digest
from tests.gcp.network import BUCKET, EXCLUSION, FLOW_LOG_FILTER, PREFIX, REGION, SINK, STACKS, by_name, plan, typed
from tests.mocks import physical_name


def flow_log_bucket(stack: str) -> RecordedResource:
    return typed(stack, BUCKET, "flow-logs")


@pytest.mark.parametrize(("stack", "days"), [("prod", 90), ("staging", 14)])
def test_flow_logs_are_kept_in_a_bucket_for_the_configured_days(stack: str, days: int) -> None:
    bucket = flow_log_bucket(stack)
    assert bucket.type == BUCKET
    assert bucket.inputs["retentionDays"] == days
    assert bucket.inputs["location"] == REGION
    assert bucket.inputs["project"] == f"bettafish-{stack}"


@pytest.mark.parametrize(("stack", "protected"), [("prod", True), ("staging", False)])
def test_flow_log_bucket_id_is_new_for_each_lifetime_of_the_stack(stack: str, protected: bool) -> None:
    """A deleted log bucket's id stays reserved 7 days: the id carries a suffix made with the stack."""
    bucket, suffix = flow_log_bucket(stack), by_name(stack, "flow-logs-id")
    assert suffix.inputs == {"byteLength": 4}
    hex_suffix = hex_digest("random-id", suffix.name, length=8)
    assert bucket.inputs["bucketId"] == f"{PREFIX[stack]}-flow-logs-{hex_suffix}"
    assert suffix.urn in bucket.dependencies
    assert bucket.protect is protected


@pytest.mark.parametrize("stack", STACKS)
def test_rule_39_flow_logs_are_encrypted_with_the_logs_key_granted_to_cloud_logging_first(stack: str) -> None:
    logs_key = plan(stack).named(f"bettafish-{stack}-keys-logs")
    grant = plan(stack).named(f"bettafish-{stack}-keys-logging-key-user")
    bucket = flow_log_bucket(stack)
    assert bucket.inputs["cmekSettings"] == {"kmsKeyName": logs_key.id}
    assert f"/locations/{REGION}/" in logs_key.id
    assert grant.inputs == {
        "cryptoKeyId": logs_key.id,
        "role": "roles/cloudkms.cryptoKeyEncrypterDecrypter",
        "member": "serviceAccount:service-409871234567@gcp-sa-logging.iam.gserviceaccount.com",
    }
    assert grant.urn in bucket.dependencies


@pytest.mark.parametrize("stack", STACKS)
def test_flow_log_sink_routes_vpc_flows_into_that_bucket(stack: str) -> None:
    sink = typed(stack, SINK, "flow-logs").inputs
    assert sink["destination"] == "logging.googleapis.com/" + flow_log_bucket(stack).id
    assert sink["filter"] == this_networks_flows(stack)
    assert sink["uniqueWriterIdentity"] is True
    assert sink["project"] == f"bettafish-{stack}"


def this_networks_flows(stack: str) -> str:
    names = [physical_name(by_name(stack, role)) for role in ("public", "private", "cache")]
    return f'{FLOW_LOG_FILTER} AND resource.labels.subnetwork_name=("{names[0]}" OR "{names[1]}" OR "{names[2]}")'


@pytest.mark.parametrize("stack", STACKS)
def test_flow_logs_are_kept_out_of_the_default_bucket(stack: str) -> None:
    excluding = typed(stack, EXCLUSION, "flow-logs")
    assert typed(stack, SINK, "flow-logs").urn in excluding.dependencies
    exclusion = excluding.inputs
    assert exclusion["filter"] == this_networks_flows(stack)
    assert exclusion["project"] == f"bettafish-{stack}"
    assert not exclusion.get("disabled")
