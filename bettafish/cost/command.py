"""``bettafish cost``: the monthly estimate of a stack, on its cloud or on all three side by side,
and ``--check`` against ``budget.monthlyAmount``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable
from pathlib import Path

from bettafish.config import CLOUDS, StackConfig
from bettafish.cost.estimate import estimate
from bettafish.cost.lines import Estimate
from bettafish.cost.prices import CostError
from bettafish.cost.render import budget_check, budget_warning, compare_json, compare_table, estimate_table
from bettafish.plan import Recording

EXIT_OVER_BUDGET = 1

Planner = Callable[[Path, str, str | None], tuple[Recording, str]]
"""``bettafish.cli.plan``: (project dir, stack, cloud override) -> the recording and its cloud."""
ConfigLoader = Callable[[Path, str, str | None], StackConfig]
"""``bettafish.cli.stack_config``: the same stack's validated config."""


def add_parser(commands: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    cost = commands.add_parser("cost", help="estimate a stack's monthly cost from its offline plan")
    cost.add_argument("--stack", default="prod", help="stack name; reads Pulumi.<NAME>.yaml (default: prod)")
    where = cost.add_mutually_exclusive_group()
    where.add_argument("--cloud", choices=CLOUDS, help="override bettafish:cloud")
    where.add_argument(
        "--compare-clouds", action="store_true", help="the stack on aws, gcp and azure side by side, line by line"
    )
    cost.add_argument("--format", choices=("table", "json"), default="table")
    cost.add_argument(
        "--check", action="store_true", help="exit 1 when the estimate passes bettafish:budget.monthlyAmount"
    )


def stack_estimate(
    start: Path, stack: str, cloud: str | None, plan: Planner, config: ConfigLoader
) -> tuple[Recording, Estimate]:
    recording, _ = plan(start, stack, cloud)
    return recording, estimate(recording, config(start, stack, cloud))


def plan_estimate(recording: Recording, config: StackConfig) -> tuple[Estimate | None, str | None]:
    """What ``bettafish plan`` ends with: the estimate, and the warning to print (the budget alert
    passed, or why there is no estimate: the plan itself stands without it)."""
    try:
        cost = estimate(recording, config)
    except CostError as exc:
        return None, f"no cost estimate: {exc}"
    return cost, budget_warning(cost)


def run(args: argparse.Namespace, plan: Planner, config: ConfigLoader) -> int:
    """Print the estimate (or the comparison); with ``--check``, the verdict on stderr and its code."""
    clouds: list[str | None] = list(CLOUDS) if args.compare_clouds else [args.cloud]
    estimates = [stack_estimate(Path.cwd(), args.stack, cloud, plan, config)[1] for cloud in clouds]
    if args.compare_clouds:
        print(json.dumps(compare_json(estimates), indent=2) if args.format == "json" else compare_table(estimates))
    else:
        (single,) = estimates
        print(json.dumps(single.as_json(), indent=2) if args.format == "json" else estimate_table(single))
    if not args.check:
        return 0
    code = 0
    for each in estimates:
        within, message = budget_check(each)
        print(message, file=sys.stderr)
        code = code if within else EXIT_OVER_BUDGET
    return code
