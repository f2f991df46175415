"""``bettafish cost`` and the estimate at the end of ``bettafish plan``: formats, the budget
warning, ``--check`` exit codes and messages, ``--compare-clouds``, determinism. The plans come
from the suite's cached recordings (the config, budget included, is read from the project files)."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from bettafish.cli import main
from bettafish.cost.prices import Rule, price_book
from bettafish.plan import Recording
from tests.mocks import PROJECT_ROOT, run_stack

STACK_CLOUD = "aws"


def cached_plan(start: Path, stack: str, cloud: str | None = None) -> tuple[Recording, str]:
    return run_stack(stack, cloud or STACK_CLOUD), cloud or STACK_CLOUD


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the project's stack files, the working directory, planned from the cached recordings."""
    for name in ("Pulumi.yaml", "Pulumi.prod.yaml", "Pulumi.staging.yaml"):
        shutil.copy(PROJECT_ROOT / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("bettafish.cli.plan", cached_plan)
    return tmp_path


def set_budget(project: Path, stack: str, amount: int) -> None:
    path = project / f"Pulumi.{stack}.yaml"
    data = yaml.safe_load(path.read_text())
    data["config"]["bettafish:budget"]["monthlyAmount"] = amount
    path.write_text(yaml.safe_dump(data))


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_check_passes_within_the_budget(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    # Prod on GCP stays under its 10,000 a month (on AWS and Azure it does not: see below).
    code, out, err = run(capsys, "cost", "--check", "--cloud", "gcp")
    assert code == 0
    assert out.startswith("Estimated monthly cost of stack 'prod' on gcp (us-east1), USD, list prices as of 2026-11-30")
    assert re.search(
        r"^within budget: stack 'prod' on gcp is estimated at [\d,.]+ USD a month, [\d,.]+ under", err, re.M
    )


@pytest.mark.parametrize(
    ("cloud", "heaviest"),
    [
        ("aws", ("PostgresCluster", "database provisioned IOPS")),
        ("azure", ("Cdn", "log ingestion")),
    ],
)
def test_check_fails_on_the_real_prod_budget_naming_the_heaviest_line(
    capsys: pytest.CaptureFixture[str], project: Path, cloud: str, heaviest: tuple[str, str]
) -> None:
    # The edge's per-request fees and access logs take prod past its 10,000 a month on AWS
    # (RDS provisioned IOPS weigh most) and on Azure (Front Door logs into Log Analytics).
    code, out, err = run(capsys, "cost", "--check", "--cloud", cloud, "--format", "json")
    total = json.loads(out)["total"]
    assert code == 1
    assert total > 10_000
    assert f"over budget: stack 'prod' on {cloud} is estimated at {total:,.2f} USD a month" in err
    first = err.splitlines()[-3]
    assert first.split()[0] == heaviest[0]
    assert heaviest[1] in first


def test_check_fails_over_the_budget_saying_by_how_much_and_what_weighs_most(
    capsys: pytest.CaptureFixture[str], project: Path
) -> None:
    set_budget(project, "prod", 5000)
    code, out, err = run(capsys, "cost", "--check", "--format", "json")
    total = json.loads(out)["total"]
    assert code == 1
    over = total - 5000
    assert (
        f"over budget: stack 'prod' on aws is estimated at {total:,.2f} USD a month, {over:,.2f}"
        f" ({over / 5000:.1%}) over bettafish:budget.monthlyAmount 5,000.00; the lines that weigh most:" in err
    )
    heaviest = err.splitlines()[-3].split()
    assert heaviest[:4] == ["PostgresCluster", "database", "provisioned", "IOPS"]
    assert heaviest[4:] == ["4,000.00", f"({4000 / total:.0%})"]


def test_plan_warns_past_the_first_alert_threshold(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    code, out, err = run(capsys, "plan")
    total = float(re.findall(r"^Total cost: ([\d,.]+) USD a month", out, re.M)[0].replace(",", ""))
    assert code == 0
    assert total > 8000, "the prod estimate passes 80% of 10,000"
    assert (
        f"warning: estimated monthly cost {total:,.2f} USD passes the first budget alert (80% of"
        f" bettafish:budget.monthlyAmount 10,000.00 = 8,000.00) by {total - 8000:,.2f}" in err
    )
    assert "Estimated monthly cost (bettafish cost for every line):\n    Vpc" in out
    assert "list prices as of 2026-11-30" in out
    set_budget(project, "prod", 20000)
    _, _, quiet = run(capsys, "plan")
    assert "budget alert" not in quiet


def test_plan_json_carries_the_cost(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    code, out, _ = run(capsys, "plan", "--stack", "staging", "--format", "json")
    cost = json.loads(out)["cost"]
    assert code == 0
    assert {"currency", "pricesAsOf", "total", "byComponent", "items"} <= set(cost)
    assert (cost["currency"], cost["pricesAsOf"]) == ("USD", "2026-11-30")
    assert cost["total"] == round(sum(item["monthly"] for item in cost["items"]), 2)
    assert cost["byComponent"]["PostgresCluster"] == round(
        sum(i["monthly"] for i in cost["items"] if i["component"] == "PostgresCluster"), 2
    )
    keys = {"component", "item", "quantity", "unit", "unitPrice", "monthly"}
    assert all(keys <= set(item) <= keys | {"assumption", "source", "ceiling"} for item in cost["items"])


def test_compare_clouds_json_has_every_cloud_per_line(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    code, out, _ = run(capsys, "cost", "--compare-clouds", "--format", "json")
    compared = json.loads(out)
    assert code == 0
    assert list(compared["totals"]) == ["aws", "gcp", "azure"]
    (plane,) = [row for row in compared["rows"] if row["item"] == "control plane"]
    assert {cloud: plane["clouds"][cloud]["monthly"] for cloud in compared["totals"]} == {
        "aws": 73.0,
        "gcp": 73.0,
        "azure": 73.0,
    }


def test_compare_clouds_and_cloud_exclude_each_other(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    with pytest.raises(SystemExit) as exit_:
        main(["cost", "--compare-clouds", "--cloud", "gcp"])
    assert exit_.value.code == 2
    assert "not allowed with argument" in capsys.readouterr().err


def test_the_estimate_is_deterministic_and_dated_by_its_data(capsys: pytest.CaptureFixture[str], project: Path) -> None:
    first = run(capsys, "cost", "--cloud", "gcp", "--format", "json")[1]
    second = run(capsys, "cost", "--cloud", "gcp", "--format", "json")[1]
    assert first == second
    prices = yaml.safe_load((PROJECT_ROOT / "bettafish" / "data" / "prices" / "gcp.yaml").read_text())
    assert json.loads(first)["pricesAsOf"] == prices["pricesAsOf"]


def test_cost_runs_the_real_plan(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(PROJECT_ROOT)
    code, out, _ = run(capsys, "cost", "--stack", "staging", "--format", "json")
    assert code == 0
    assert json.loads(out)["byComponent"]["KubeCluster"] > 0


def test_the_cost_code_reads_no_clock() -> None:
    sources = (PROJECT_ROOT / "bettafish" / "cost").glob("*.py")
    clock = re.compile(r"\b(today|now|utcnow|time\.time|perf_counter)\(")
    assert [path.name for path in sources if clock.search(path.read_text())] == []


def test_a_failing_price_rule_leaves_the_plan_and_stops_the_cost(
    capsys: pytest.CaptureFixture[str], project: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    book = price_book("aws")
    broken = Rule.model_validate(
        {"type": "aws:ec2/eip:Eip", "item": "x", "quantity": "inputs.missing * 2", "unit": "h", "unitPrice": "1"}
    )
    monkeypatch.setattr("bettafish.cost.estimate.price_book", lambda cloud: book.model_copy(update={"rules": [broken]}))
    code, out, err = run(capsys, "plan", "--stack", "staging")
    assert code == 0
    assert "Plan for stack 'staging'" in out
    assert "Estimated monthly cost" not in out
    assert "warning: no cost estimate: price rule for aws:ec2/eip:Eip (quantity) on bettafish-staging-net-nat-a" in err
    code, _, err = run(capsys, "cost", "--stack", "staging")
    assert code == 2
    assert err.startswith("error: cost estimate: price rule for aws:ec2/eip:Eip (quantity)")
