"""``bettafish plan``: what a stack would create, computed offline from the real program, and what
it would cost (``bettafish cost``)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pulumi

from bettafish.config import CLOUDS, StackConfig, load_stack_config
from bettafish.config.disaster_recovery import RecoveryRow, recovery_table
from bettafish.cost import command as cost_command
from bettafish.cost.prices import CostError
from bettafish.cost.render import plan_summary
from bettafish.guard import command as guard_command
from bettafish.plan import FakeCloud, ProjectError, Recording, find_project_root, read_stack, run_offline
from bettafish.plan.fake_cloud.constraints import CloudRefusalError
from bettafish.plan.render import as_json, as_table, recovery_as_table
from bettafish.policy import offline as policy
from bettafish.program import main as program_main

EXIT_INVALID = 2
EXIT_REFUSED = 3
EXIT_POLICY = 4


def plan(start: Path, stack: str, cloud: str | None = None) -> tuple[Recording, str]:
    """Run the program for ``stack`` (optionally on another ``cloud``) and return the recording and cloud."""
    root = find_project_root(start)
    files = read_stack(root, stack, overrides={"bettafish:cloud": cloud} if cloud else None)
    chosen = files.config.get("bettafish:cloud", "")
    for key in files.unset_secrets:
        print(
            f"note: {key} is not set in Pulumi.{stack}.yaml; the offline plan uses a placeholder"
            f" (set it with: pulumi config set --secret {key} ...)",
            file=sys.stderr,
        )
    fake = FakeCloud(
        region=files.config.get("aws:region", "us-east-1"),
        gcp_project=files.config.get("gcp:project", "bettafish-offline"),
    )
    recording = run_offline(
        program_main,
        project=files.project,
        stack=stack,
        config=files.config,
        secret_keys=files.secret_keys,
        fake_cloud=fake,
    )
    return recording, chosen


def stack_config(start: Path, stack: str, cloud: str | None = None) -> StackConfig:
    """The stack's validated config (call after ``plan``, which reports an invalid one)."""
    root = find_project_root(start)
    files = read_stack(root, stack, overrides={"bettafish:cloud": cloud} if cloud else None)
    return load_stack_config(files.config, project=files.project, stack=stack)


def recovery(start: Path, stack: str, cloud: str | None = None) -> list[RecoveryRow]:
    """The stack's recovery objectives against the chosen cloud's mechanisms (a valid config)."""
    config = stack_config(start, stack, cloud)
    return recovery_table(config.disaster_recovery, config.cloud)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bettafish", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    plan_cmd = commands.add_parser("plan", help="show what a stack would create, offline")
    plan_cmd.add_argument("--stack", default="prod", help="stack name; reads Pulumi.<NAME>.yaml (default: prod)")
    plan_cmd.add_argument("--cloud", choices=CLOUDS, help="override bettafish:cloud")
    plan_cmd.add_argument("--format", choices=("table", "json"), default="table")
    plan_cmd.add_argument(
        "--dr", action="store_true", help="also show each recovery objective with the mechanism that keeps it"
    )
    plan_cmd.add_argument(
        "--policy",
        action="store_true",
        help="also check security rules 1-40 (the policy pack) over the plan; exit 4 on a mandatory violation",
    )
    guard_command.add_parser(commands)
    cost_command.add_parser(commands)
    return parser


def guard(args: argparse.Namespace) -> int:
    """``bettafish guard``: the offline plan of each stack and cloud against its snapshot."""
    try:
        root = find_project_root(Path.cwd())
        stacks = [args.stack] if args.stack else guard_command.stacks_of(root)
        clouds = [args.cloud] if args.cloud else list(CLOUDS)
        return guard_command.run(root, stacks, clouds, args.accept, lambda r, s, c: plan(r, s, c)[0])
    except (ProjectError, pulumi.RunError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except CloudRefusalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    if args.command == "guard":
        return guard(args)
    try:
        if args.command == "cost":
            return cost_command.run(args, plan, stack_config)
        recording, cloud = plan(Path.cwd(), args.stack, args.cloud)
    except (ProjectError, pulumi.RunError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_INVALID
    except CloudRefusalError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_REFUSED
    except CostError as exc:
        print(f"error: cost estimate: {exc}", file=sys.stderr)
        return EXIT_INVALID
    cost, cost_warning = cost_command.plan_estimate(recording, stack_config(Path.cwd(), args.stack, args.cloud))
    for warning in filter(None, [*recording.warnings, cost_warning]):
        print(f"warning: {warning}", file=sys.stderr)
    rows = recovery(Path.cwd(), args.stack, args.cloud) if args.dr else None
    violations = policy.for_stack(Path.cwd(), args.stack, recording) if args.policy else None
    if args.format == "json":
        document = as_json(recording, cloud, rows, cost.as_json() if cost else None)
        print(document if violations is None else policy.with_violations(document, violations))
    else:
        dr = f"\n\n{recovery_as_table(rows, cloud)}" if rows is not None else ""
        print(f"{as_table(recording, cloud)}{dr}" + (f"\n\n{plan_summary(cost)}" if cost else ""))
        if violations is not None:
            print(f"\n{policy.report(violations)}")
    return EXIT_POLICY if violations and policy.blocks(violations) else 0
