"""``bettafish guard``: the committed snapshots match today's plans, and a change that would delete
or replace a stateful resource is reported by URN while ordinary changes are not."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path
from typing import Any

import pulumi
import pytest

from bettafish import platform
from bettafish.cli import main
from bettafish.guard import Finding, compare, from_json, snapshot_of, snapshot_path, to_json
from bettafish.guard.command import EXIT_REPLACES, run
from bettafish.plan import RecordedResource, Recording
from bettafish.plan.aliases import urn_name
from providers import implementation
from tests.mocks import CLOUDS, PROJECT_ROOT, STACKS, edited, run_program, run_stack, stack_values

DB = "urn:pulumi:prod::bettafish::bettafish:database:PostgresCluster$aws:rds/instance:Instance::bettafish-prod-db-"
PRIMARY, REPLICA = DB + "primary", DB + "replica-1"


def committed(stack: str, cloud: str) -> Any:
    return from_json(snapshot_path(PROJECT_ROOT, stack, cloud).read_text())


def failures(findings: list[Finding]) -> list[tuple[str, str]]:
    return [(f.kind, f.urn) for f in findings if f.fails]


def with_resource(recording: Recording, target: str, **changes: Any) -> Recording:
    """A copy of ``recording`` whose resource ``target`` has ``changes`` (fields of RecordedResource)."""
    resources = [replace(r, **changes) if r.urn == target else r for r in recording.resources]
    return replace(recording, resources=resources)


def renamed(resource: RecordedResource, new_name: str) -> dict[str, Any]:
    return {"urn": resource.urn[: -len(resource.name)] + new_name, "name": new_name}


@pytest.mark.parametrize("cloud", CLOUDS)
@pytest.mark.parametrize("stack", STACKS)
def test_committed_snapshot_matches_todays_plan(stack: str, cloud: str) -> None:
    path = snapshot_path(PROJECT_ROOT, stack, cloud)
    assert path.read_text() == to_json(snapshot_of(run_stack(stack, cloud), cloud)), (
        f"{path.name} is stale: run `bettafish guard --stack {stack} --cloud {cloud}` to see why, "
        "and `--accept` if the change is deliberate"
    )
    assert compare(committed(stack, cloud), run_stack(stack, cloud)) == []


def test_snapshot_holds_replace_triggering_inputs_and_protect() -> None:
    entries = committed("prod", "aws").by_urn()
    primary = entries[PRIMARY]
    assert primary.protect
    assert primary.replace_on["username"] == "bettafish_admin"
    assert primary.replace_on["kmsKeyId"].startswith("arn:aws:kms:us-east-1:")
    assert "instanceClass" not in primary.replace_on  # resized in place
    assert not any(e.protect for e in committed("staging", "aws").resources)


def test_a_rename_without_an_alias_is_a_delete() -> None:
    plan = run_stack("prod", "aws")
    primary = next(r for r in plan.resources if r.urn == PRIMARY)
    findings = compare(
        committed("prod", "aws"), with_resource(plan, PRIMARY, **renamed(primary, "bettafish-prod-db-main"))
    )
    assert failures(findings) == [("delete", PRIMARY)]
    assert ("added", DB + "main") in [(f.kind, f.urn) for f in findings]
    assert "pulumi.Alias(name=" in next(f.detail for f in findings if f.kind == "delete")


@pytest.mark.parametrize("alias", [{"name": "bettafish-prod-db-primary"}, PRIMARY], ids=["alias name", "alias urn"])
def test_a_rename_with_an_alias_is_kept(alias: Any) -> None:
    plan = run_stack("prod", "aws")
    primary = next(r for r in plan.resources if r.urn == PRIMARY)
    options = {**primary.options, "aliases": [alias]}
    moved = with_resource(plan, PRIMARY, **renamed(primary, "bettafish-prod-db-main"), options=options)
    findings = compare(committed("prod", "aws"), moved)
    assert failures(findings) == []
    assert [(f.kind, f.urn) for f in findings] == [("aliased", DB + "main")]


def test_a_changed_replace_triggering_input_is_a_replacement() -> None:
    """Swapping the replicas' zones changes availabilityZone, which RDS cannot change in place."""
    values = edited(
        stack_values("prod", "aws"),
        "bettafish:database",
        lambda d: {**d, "readReplicas": {**d["readReplicas"], "zones": [3, 2]}},
    )
    findings = compare(committed("prod", "aws"), run_program(values))
    assert failures(findings) == [("replace", REPLICA), ("replace", DB + "replica-2")]
    detail = next(f.detail for f in findings if f.urn == REPLICA)
    assert detail.startswith("availabilityZone 'us-east-1b' -> 'us-east-1c' (ForceNew; tf-aws rds/instance.go)")


def test_ordinary_input_changes_are_not_reported() -> None:
    plan = run_stack("prod", "aws")
    primary = next(r for r in plan.resources if r.urn == PRIMARY)
    resized = {**primary.inputs, "instanceClass": "db.r5.2xlarge", "backupRetentionPeriod": 7}
    assert compare(committed("prod", "aws"), with_resource(plan, PRIMARY, inputs=resized)) == []


def test_unknown_and_secret_values_are_not_compared() -> None:
    plan = run_stack("prod", "aws")
    primary = next(r for r in plan.resources if r.urn == PRIMARY)
    unknown = {**primary.inputs, "kmsKeyId": "(computed)", "username": "[secret]"}
    assert compare(committed("prod", "aws"), with_resource(plan, PRIMARY, inputs=unknown)) == []
    changed = {**primary.inputs, "username": "admin"}
    assert failures(compare(committed("prod", "aws"), with_resource(plan, PRIMARY, inputs=changed))) == [
        ("replace", PRIMARY)
    ]


def test_protect_turned_off_is_reported() -> None:
    plan = run_stack("prod", "gcp")
    findings = compare(
        committed("prod", "gcp"), replace(plan, resources=[replace(r, protect=False) for r in plan.resources])
    )
    protected = sorted(e.urn for e in committed("prod", "gcp").resources if e.protect)
    assert failures(findings) == [("unprotect", urn) for urn in protected]


def test_a_new_stateful_resource_is_shown_as_added() -> None:
    before = committed("prod", "azure")
    newest = before.resources[-1]
    fewer = replace(before, resources=before.resources[:-1])
    findings = compare(fewer, run_stack("prod", "azure"))
    assert [(f.kind, f.urn) for f in findings] == [("added", newest.urn)]


class _Renamed:
    """``bettafish.platform.implementation`` with one component renamed, aliased to its old name."""

    def __init__(self, real: Any, old: str, new: str) -> None:
        self.real, self.old, self.new = real, old, new

    def __call__(self, cloud: str, component: type) -> Any:
        cls = self.real(cloud, component)

        def build(name: str, args: Any, opts: pulumi.ResourceOptions | None = None) -> Any:
            if name != self.old:
                return cls(name, args, opts)
            aliased = pulumi.ResourceOptions(aliases=[pulumi.Alias(name=self.old)])
            return cls(self.new, args, pulumi.ResourceOptions.merge(opts, aliased))

        return build


def test_renaming_a_component_with_an_alias_keeps_its_children_and_their_ids(monkeypatch: pytest.MonkeyPatch) -> None:
    """The refactor the guard exists for: the Keys component renamed with
    ``aliases=[pulumi.Alias(name=old)]``. Every key is kept through the alias it inherits, and the
    key ARNs the database, cache, vault and cluster were given do not change."""
    monkeypatch.setattr(
        platform,
        "implementation",
        _Renamed(implementation, "bettafish-prod-keys", "bettafish-prod-kms"),
    )
    findings = compare(committed("prod", "aws"), run_program(stack_values("prod", "aws")))
    assert failures(findings) == []
    kept = [f for f in findings if f.kind == "aliased"]
    keys = [r for r in committed("prod", "aws").resources if "bettafish:security:Keys$" in r.urn]
    assert len(kept) == len(keys) >= 6
    assert all(urn_name(f.urn).startswith("bettafish-prod-kms-") for f in kept)


def test_accept_rewrites_the_snapshot_deterministically(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (tmp_path / "guard").mkdir()
    path = snapshot_path(tmp_path, "prod", "aws")
    path.write_text(to_json(replace(committed("prod", "aws"), resources=[])))

    def planner(root: Path, stack: str, cloud: str) -> Recording:
        return run_stack(stack, cloud)

    assert run(tmp_path, ["prod"], ["aws"], accept=False, planner=planner) == 0  # only additions
    assert run(tmp_path, ["prod"], ["aws"], accept=True, planner=planner) == 0
    first = path.read_bytes()
    assert run(tmp_path, ["prod"], ["aws"], accept=True, planner=planner) == 0
    assert path.read_bytes() == first == snapshot_path(PROJECT_ROOT, "prod", "aws").read_bytes()
    count = len(committed("prod", "aws").resources)
    assert f"guard prod/aws: wrote guard/prod-aws.json ({count} stateful resources)" in capsys.readouterr().out


def test_cli_exits_non_zero_naming_the_resource(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.staging.yaml"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    shutil.copytree(PROJECT_ROOT / "guard", tmp_path / "guard")
    path = snapshot_path(tmp_path, "staging", "gcp")
    path.write_text(
        path.read_text()
        .replace('"databaseVersion"', '"databaseVersion-was"')
        .replace('"region": "us-east1"', '"region": "us-central1"', 1)
    )
    monkeypatch.chdir(tmp_path)
    assert main(["guard", "--stack", "staging", "--cloud", "gcp"]) == EXIT_REPLACES
    out, err = capsys.readouterr()
    assert "REPLACE  urn:pulumi:staging::bettafish::" in out
    assert "region 'us-central1' -> 'us-east1'" in out
    assert "bettafish guard --stack staging --cloud gcp --accept" in err
    assert main(["guard", "--stack", "staging", "--cloud", "gcp", "--accept"]) == 0
    assert path.read_text() == snapshot_path(PROJECT_ROOT, "staging", "gcp").read_text()
