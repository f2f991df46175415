"""The pack as the Pulumi engine runs it: ``policy/__main__.py`` starts the analyzer's gRPC server,
which this test talks to as the engine would (GetAnalyzerInfo, Analyze, AnalyzeStack), with values
unknown during preview where the engine sends them."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from typing import Any

import grpc
import pytest
from google.protobuf import empty_pb2, struct_pb2
from pulumi.runtime.proto import analyzer_pb2, analyzer_pb2_grpc
from pulumi_policy.proxy import UNKNOWN_STRING_VALUE

from bettafish.policy import tokens as t
from bettafish.policy.crossguard import plain
from bettafish.policy.evaluate import evaluate
from bettafish.policy.model import COMPUTED, Resource
from bettafish.policy.rules import RULES
from tests.mocks import PROJECT_ROOT
from tests.policy.fixtures import edited, planned, violations

MANDATORY = analyzer_pb2.EnforcementLevel.Value("MANDATORY")


@pytest.fixture(scope="module")
def analyzer() -> Iterator[analyzer_pb2_grpc.AnalyzerStub]:
    server = subprocess.Popen(
        [sys.executable, "policy/__main__.py"], cwd=PROJECT_ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert server.stdout is not None
        port = int(server.stdout.readline())
        with grpc.insecure_channel(f"127.0.0.1:{port}") as channel:
            yield analyzer_pb2_grpc.AnalyzerStub(channel)
    finally:
        server.terminate()
        server.wait(timeout=30)


def _struct(values: dict[str, Any]) -> struct_pb2.Struct:
    message = struct_pb2.Struct()
    message.update(values)
    return message


def _stack_request(resources: list[Resource]) -> analyzer_pb2.AnalyzeStackRequest:
    request = analyzer_pb2.AnalyzeStackRequest()
    for resource in resources:
        entry = request.resources.add(type=resource.type, urn=resource.urn, name=resource.name)
        entry.properties.CopyFrom(_struct(dict(resource.inputs)))
        entry.options.protect = resource.protect
        for key, urns in resource.property_dependencies.items():
            entry.propertyDependencies[key].urns.extend(urns)
    return request


def test_the_pack_serves_forty_mandatory_rules(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    info = analyzer.GetAnalyzerInfo(empty_pb2.Empty())
    assert info.name == "bettafish-security"
    assert [p.name for p in info.policies] == [rule.policy_name for rule in RULES]
    assert {rule.number for rule in RULES} == set(range(1, 41))
    assert {p.enforcementLevel for p in info.policies} == {MANDATORY}
    backups = next(p for p in info.policies if p.name == "rule-04-database-backups")
    assert backups.configSchema.properties["minimumRetentionDays"]["default"] == 30


def test_a_public_database_is_refused_before_it_exists_even_with_unknowns(
    analyzer: analyzer_pb2_grpc.AnalyzerStub,
) -> None:
    request = analyzer_pb2.AnalyzeRequest(
        type=t.RDS, urn="urn:pulumi:prod::bettafish::aws:rds/instance:Instance::db", name="db"
    )
    # The key's ARN is unknown during preview: the rule reads it as set, and still runs.
    request.properties.CopyFrom(
        _struct({"publiclyAccessible": True, "storageEncrypted": True, "kmsKeyId": UNKNOWN_STRING_VALUE})
    )
    response = analyzer.Analyze(request)
    by_policy = {d.policyName: d for d in response.diagnostics}
    assert "rule-01-database-not-public" in by_policy
    assert "publiclyAccessible" in by_policy["rule-01-database-not-public"].message
    assert by_policy["rule-01-database-not-public"].enforcementLevel == MANDATORY
    assert "rule-02-database-customer-key" not in by_policy


def test_stack_rules_see_what_the_offline_run_sees(analyzer: analyzer_pb2_grpc.AnalyzerStub) -> None:
    broken = edited(
        planned("prod", "aws"), t.S3_VERSIONING, "store-reports", versioningConfiguration={"status": "Suspended"}
    )
    response = analyzer.AnalyzeStack(_stack_request(broken.resources))
    served = {(d.policyName, d.urn) for d in response.diagnostics}
    offline = {(v.policy, v.urn) for v in evaluate(broken)}
    assert served == offline
    assert [v.name for v in violations(broken, 16)] == ["bettafish-prod-store-reports"]


def test_unknown_values_become_computed_and_proxies_plain_data() -> None:
    from pulumi_policy.proxy import unknown_checking_proxy

    proxied = unknown_checking_proxy({"a": {"b": [UNKNOWN_STRING_VALUE, 1.0]}, "c": UNKNOWN_STRING_VALUE})
    assert plain(proxied) == {"a": {"b": [COMPUTED, 1.0]}, "c": COMPUTED}
