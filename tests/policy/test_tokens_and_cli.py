"""The tokens the rules key on are the ones the installed SDKs register, and ``bettafish plan
--policy`` reports violations with rule, resource and property, failing on a mandatory one."""

from __future__ import annotations

import importlib
import inspect
import json
import shutil
from pathlib import Path

import pytest

from bettafish.cli import EXIT_POLICY, main
from bettafish.policy import tokens
from tests.mocks import PROJECT_ROOT

PACKAGES = {
    "aws": "pulumi_aws",
    "gcp": "pulumi_gcp",
    "azure-native": "pulumi_azure_native",
    "kubernetes": "pulumi_kubernetes",
}


def _all_tokens() -> list[str]:
    found: list[str] = []
    for value in vars(tokens).values():
        found += [value] if isinstance(value, str) and value.count(":") == 2 else []
        found += [v for v in value if isinstance(v, str)] if isinstance(value, tuple) else []
    return sorted(set(found))


def _sdk_class(token: str) -> type:
    provider, module, cls = token.split(":")
    if provider == "kubernetes":  # apps/v1 -> apps.v1, networking.k8s.io/v1 -> networking.v1
        group, version = module.rsplit("/", 1)
        path = f"{group.split('.')[0]}.{version}"
    else:  # rds/instance -> rds; storage -> storage
        path = module.split("/")[0]
    found: type = getattr(importlib.import_module(f"{PACKAGES[provider]}.{path}"), cls)
    return found


@pytest.mark.parametrize("token", _all_tokens())
def test_the_sdk_registers_the_token(token: str) -> None:
    assert f"'{token}'" in inspect.getsource(_sdk_class(token)), token


def test_plan_policy_fails_on_a_mandatory_violation_and_names_rule_resource_and_property(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A policy config asking for PostgreSQL 16 where the stack pins 15: every database server breaks rule 7.
    for name in ("Pulumi.yaml", "Pulumi.prod.yaml"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    (tmp_path / "policy").mkdir()
    (tmp_path / "policy" / "config.prod.json").write_text('{"rule-07-postgres-version": {"majorVersion": 16}}')
    monkeypatch.chdir(tmp_path)
    assert main(["plan", "--cloud", "azure", "--policy"]) == EXIT_POLICY
    out = capsys.readouterr().out
    assert (
        "[mandatory] rule 7 (rule-07-postgres-version): urn:pulumi:prod::bettafish::bettafish:database:PostgresCluster"
        "$azure-native:dbforpostgresql:Server::bettafish-prod-db-primary version:"
    ) in out
    assert "policy: 3 violation(s), 3 mandatory" in out


def test_plan_policy_passes_and_adds_the_violations_to_the_json(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PROJECT_ROOT)
    assert main(["plan", "--stack", "staging", "--cloud", "aws", "--format", "json", "--policy"]) == 0
    document = json.loads(capsys.readouterr().out)
    assert document["policy"], "staging's advisory findings (policy/config.staging.json)"
    assert {v["level"] for v in document["policy"]} == {"advisory"}
    assert set(document["policy"][0]) == {"rule", "policy", "level", "urn", "type", "name", "property", "message"}


def test_the_rule_catalog_in_docs_is_current() -> None:
    from bettafish.policy.evaluate import catalog

    assert (PROJECT_ROOT / "docs" / "policy-rules.md").read_text() == catalog(), (
        "regenerate: python -m bettafish.policy.evaluate > docs/policy-rules.md"
    )
