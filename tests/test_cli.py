"""``bettafish plan`` and ``python -m bettafish``: both formats, project discovery, overrides,
secret masking, and invalid configs that end in messages, not tracebacks."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from bettafish.cli import main
from bettafish.plan.fake_cloud import constraints
from bettafish.plan.fake_cloud.constraints import Constraint
from tests.mocks import PROJECT_ROOT, run_stack

JSON_KEYS = {"urn", "type", "name", "parent", "dependencies", "protect", "options", "inputs"}
COMPONENT_TYPES = [
    "bettafish:network:Vpc",
    "bettafish:security:Keys",
    "bettafish:database:PostgresCluster",
    "bettafish:cache:CacheCluster",
    "bettafish:storage:ObjectStore",
    "bettafish:kubernetes:KubeCluster",
    "bettafish:edge:Dns",
    "bettafish:kubernetes:Workloads",
    "bettafish:edge:Cdn",
    "bettafish:operations:Operations",
]


def run_cli(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's Pulumi files, free to edit."""
    for name in ("Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.staging.yaml"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    return tmp_path


@pytest.mark.parametrize("cloud", ["aws", "gcp", "azure"])
@pytest.mark.parametrize("stack", ["prod", "staging"])
def test_json_plan_lists_every_resource(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, stack: str, cloud: str
) -> None:
    monkeypatch.chdir(PROJECT_ROOT)
    code, out, _ = run_cli(capsys, "plan", "--stack", stack, "--cloud", cloud, "--format", "json")
    assert code == 0
    plan = json.loads(out)
    assert (plan["stack"], plan["cloud"]) == (stack, cloud)
    assert all(set(r) == JSON_KEYS for r in plan["resources"])
    components = {r["urn"]: r["type"] for r in plan["resources"] if r["type"].startswith("bettafish:")}
    assert sorted(components.values()) == sorted(COMPONENT_TYPES)
    own_sdk = "azure-native:" if cloud == "azure" else f"{cloud}:"
    kubernetes = ("kubernetes:", "pulumi:providers:kubernetes")
    assert all(
        r["type"].startswith((own_sdk, "random:", "time:", "bettafish:", *kubernetes)) for r in plan["resources"]
    )
    assert all(r["parent"] in components for r in plan["resources"] if r["urn"] not in components)
    protected = {r["type"] for r in plan["resources"] if r["protect"]}
    assert bool(protected) is (stack == "prod")


def test_table_shows_the_component_tree_and_totals(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PROJECT_ROOT)
    code, out, _ = run_cli(capsys, "plan")
    assert code == 0
    assert "Plan for stack 'prod' of project 'bettafish' on aws (offline)" in out
    assert "bettafish:network:Vpc  bettafish-prod-net" in out
    assert "      3  aws:ec2/natGateway:NatGateway" in out
    assert "      9  aws:ec2/subnet:Subnet" in out
    assert "bettafish:database:PostgresCluster  bettafish-prod-db  (24 resources)" in out
    assert "      3  aws:rds/instance:Instance  [3 protected]" in out
    recorded = run_stack("prod", "aws").resources
    custom = [r for r in recorded if r.custom]
    components = len(recorded) - len(custom)
    protected = sum(1 for r in custom if r.protect)
    assert f"Total: {len(custom)} resources in {components} components, {protected} protected" in out


def test_project_is_found_from_a_subdirectory(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, project: Path
) -> None:
    nested = project / "docs" / "deep"
    nested.mkdir(parents=True)
    monkeypatch.chdir(nested)
    code, out, _ = run_cli(capsys, "plan", "--stack", "staging", "--format", "json")
    assert code == 0
    assert len([r for r in json.loads(out)["resources"] if r["type"] == "aws:ec2/natGateway:NatGateway"]) == 1


def test_no_project_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.chdir(tmp_path)
    code, _, err = run_cli(capsys, "plan")
    assert code == 2
    assert err.startswith("error: no Pulumi.yaml in ")


def test_unknown_stack_is_a_clear_error(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT_ROOT)
    code, _, err = run_cli(capsys, "plan", "--stack", "qa")
    assert (code, err.strip()) == (2, f"error: no stack file Pulumi.qa.yaml in {PROJECT_ROOT}")


def test_a_refusal_of_the_fake_cloud_is_a_clear_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    refuse_keys = Constraint(
        id="test-refuse-kms-keys",
        type="aws:kms/key:Key",
        refuses=lambda resource, before: True,
        error="KMS said no",
        doc="https://example.com/kms",
    )
    monkeypatch.setattr(constraints, "_by_type", lambda: {"aws:kms/key:Key": (refuse_keys,)})
    monkeypatch.chdir(PROJECT_ROOT)
    code, out, err = run_cli(capsys, "plan", "--format", "json")
    assert (code, out) == (3, "")
    assert re.search(
        r"aws:kms/key:Key 'bettafish-prod-keys-[a-z-]+' would be refused by the cloud \[test-refuse-kms-keys\]", err
    )
    assert "KMS said no (see https://example.com/kms)" in err
    assert "Traceback" not in err


def test_invalid_config_lists_every_problem_and_registers_nothing(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, project: Path
) -> None:
    stack_file = project / "Pulumi.prod.yaml"
    text = stack_file.read_text().replace("10.0.12.0/24", "10.0.12.0/33").replace("minReplicas: 3", "minReplicas: 30")
    stack_file.write_text(text)
    monkeypatch.chdir(project)
    code, out, err = run_cli(capsys, "plan", "--format", "json")
    assert (code, out) == (2, "")
    assert "bettafish:network.subnets.private[1]: '10.0.12.0/33' is not a valid IPv4 CIDR" in err
    assert "bettafish:services.apiGateway: minReplicas 30 is above maxReplicas 10" in err
    assert "Traceback" not in err


def test_secure_values_are_read_as_secrets_with_a_placeholder(project: Path) -> None:
    from bettafish.plan import read_stack
    from bettafish.plan.project import SECRET_PLACEHOLDER

    stack_file = project / "Pulumi.prod.yaml"
    stack_file.write_text(
        stack_file.read_text() + "  bettafish:redisAuthToken:\n    secure: v1:c2VjcmV0LWNpcGhlcnRleHQ=\n"
    )
    files = read_stack(project, "prod")
    assert files.config["bettafish:redisAuthToken"] == SECRET_PLACEHOLDER
    assert files.secret_keys == ["bettafish:redisAuthToken"]
    assert "c2VjcmV0LWNpcGhlcnRleHQ" not in repr(files)


def test_python_dash_m_reports_an_invalid_config_without_a_traceback(project: Path) -> None:
    stack_file = project / "Pulumi.prod.yaml"
    stack_file.write_text(stack_file.read_text().replace("bettafish:cloud: aws", "bettafish:cloud: oracle"))
    result = subprocess.run(
        [sys.executable, "-m", "bettafish", "plan"], cwd=project, capture_output=True, text=True, check=False
    )
    assert result.returncode == 2
    assert "bettafish:cloud: unknown cloud 'oracle'; choose one of aws, gcp, azure" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("cloud", "others"),
    [
        ("aws", ("pulumi_gcp", "pulumi_azure_native")),
        ("gcp", ("pulumi_aws", "pulumi_azure_native")),
        ("azure", ("pulumi_aws", "pulumi_gcp")),
    ],
)
def test_a_plan_never_imports_another_clouds_sdk(cloud: str, others: tuple[str, ...]) -> None:
    script = (
        "import sys, pathlib; from bettafish.cli import plan; "
        f"plan(pathlib.Path('.'), 'prod', {cloud!r}); "
        "print(sorted({m.split('.')[0] for m in sys.modules if m.startswith('pulumi_')}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True
    )
    loaded = result.stdout.strip()
    assert not [sdk for sdk in others if sdk in loaded], loaded


def test_the_json_plan_is_byte_identical_across_processes() -> None:
    """String hashing differs between interpreters (PYTHONHASHSEED): nothing in the plan may follow it.
    One cloud in two processes (the largest plan); tests/test_engine.py runs every stack in-process."""
    cloud = "azure"

    def plan_in_a_new_process(seed: str) -> str:
        result = subprocess.run(
            [sys.executable, "-m", "bettafish", "plan", "--cloud", cloud, "--format", "json"],
            cwd=PROJECT_ROOT,
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        )
        return result.stdout

    assert plan_in_a_new_process("1") == plan_in_a_new_process("2")


def test_the_dr_table_follows_the_plan(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT_ROOT)
    code, out, _ = run_cli(capsys, "plan", "--dr")
    assert code == 0
    table = out.split("Disaster recovery on aws (target / documented worst case, minutes)\n", 1)[1]
    assert table.splitlines()[0].split()[:2] == ["recoveryPoint.database", "5"]
    code, out, _ = run_cli(capsys, "plan", "--dr", "--format", "json")
    rows = json.loads(out)["disasterRecovery"]
    assert [row["class"] for row in rows][-1] == "recoveryTime.nonCritical"
    assert rows[0]["targetMinutes"] == 5
