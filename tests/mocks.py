"""Test harness: the fake cloud (shared with ``bettafish plan``) and helpers that run the real
program, or one component, offline and hand back what was registered."""

from __future__ import annotations

import copy
import json
from collections.abc import Callable
from functools import cache
from pathlib import Path
from typing import Any

import pulumi

from bettafish.config import StackConfig, load_stack_config
from bettafish.plan import FakeCloud, RecordedResource, Recording, read_stack, run_offline
from bettafish.program import main as program_main
from components import DeployContext, NeutralComponent
from providers import implementation

PROJECT_ROOT = Path(__file__).resolve().parents[1]
CLOUDS = ("aws", "gcp", "azure")
STACKS = ("prod", "staging")


class Mocks(FakeCloud):
    """The one mocks class of the suite: the plan's fake cloud."""


def physical_name(resource: RecordedResource) -> str:
    """The provider-side name: the last segment of a GCP or Azure id."""
    return resource.id.rsplit("/", 1)[-1]


def stack_values(stack: str = "prod", cloud: str | None = None) -> dict[str, str]:
    """The engine-level config of a stack file (``bettafish:network`` -> JSON text), cloud overridden."""
    overrides = {"bettafish:cloud": cloud} if cloud else None
    return dict(read_stack(PROJECT_ROOT, stack, overrides).config)


def edited(values: dict[str, str], key: str, change: Callable[[Any], Any]) -> dict[str, str]:
    """A copy of ``values`` where ``change`` rewrote the decoded value of ``key`` (return the new value)."""
    out = dict(values)
    decoded = json.loads(out[key]) if out[key][:1] in "{[" else out[key]
    new = change(copy.deepcopy(decoded))
    out[key] = new if isinstance(new, str) else json.dumps(new)
    return out


def load(values: dict[str, str], stack: str = "prod") -> StackConfig:
    return load_stack_config(values, project="bettafish", stack=stack)


def run_program(values: dict[str, str], stack: str = "prod", secret_keys: list[str] | None = None) -> Recording:
    """The whole program (``__main__.py``'s code path) under the recording engine."""
    return run_offline(
        program_main,
        project="bettafish",
        stack=stack,
        config=values,
        secret_keys=secret_keys or [],
        fake_cloud=Mocks(region=values.get("aws:region", "us-east-1")),
    )


@cache
def run_stack(stack: str = "prod", cloud: str = "aws") -> Recording:
    """The whole program for a stack file on a cloud, run once per test session: the record is
    read-only data, so every test module shares it."""
    return run_program(stack_values(stack, cloud), stack)


def build_component(
    component: type[NeutralComponent],
    make_args: Callable[[StackConfig, DeployContext], Any],
    *,
    cloud: str,
    stack: str = "prod",
) -> Recording:
    """Build one component on ``cloud`` from a stack file's config; its neutral outputs become the
    recording's outputs (awaited, secrets masked)."""
    config = load(stack_values(stack, cloud), stack)
    context = DeployContext(config.identity, config.cloud, config.provider, config.protect_stateful)

    def program() -> None:
        built = implementation(cloud, component)(f"test-{stack}", make_args(config, context))
        for name in component.OUTPUTS:
            pulumi.export(name, getattr(built, name))

    return run_offline(program, project="bettafish", stack=stack, config={}, secret_keys=[], fake_cloud=Mocks())
