"""Stacks for the policy tests: the offline plan of a stack and cloud as the rules see it, the same
plan with one resource broken on purpose, and tiny Pulumi programs for resources no stack has yet."""

from __future__ import annotations

import copy
from collections.abc import Callable, Mapping
from dataclasses import replace
from functools import cache
from typing import Any

from bettafish.plan import FakeCloud, run_offline
from bettafish.policy.evaluate import PolicyConfig, Violation, evaluate
from bettafish.policy.model import Resource, Stack
from bettafish.policy.offline import stack_config, stack_of
from bettafish.policy.rules import RULES
from tests.mocks import PROJECT_ROOT, run_stack

DELETE = object()
"""As a value: remove the input."""


@cache
def planned(stack: str, cloud: str) -> Stack:
    return stack_of(run_stack(stack, cloud))


def config_of(stack: str) -> PolicyConfig:
    return stack_config(PROJECT_ROOT, stack)


def violations(stack: Stack, rule: int, config: PolicyConfig | None = None) -> list[Violation]:
    (chosen,) = [r for r in RULES if r.number == rule]
    return evaluate(stack, config, [chosen])


def find(stack: Stack, token: str, suffix: str) -> Resource:
    (found,) = [r for r in stack.resources if r.type == token and r.name.endswith(suffix)]
    return found


def edited(stack: Stack, token: str, suffix: str, **changes: Any) -> Stack:
    """``stack`` with the inputs of the one resource of ``token`` named ``*suffix`` changed at dotted
    paths (``settings__availabilityType`` stands for ``settings.availabilityType``)."""
    target = find(stack, token, suffix)
    inputs = copy.deepcopy(dict(target.inputs))
    for key, value in changes.items():
        *path, last = key.split("__")
        node = inputs
        for part in path:
            node = node.setdefault(part, {})
        if value is DELETE:
            node.pop(last, None)
        else:
            node[last] = value
    return swapped(stack, target, replace(target, inputs=inputs))


def swapped(stack: Stack, old: Resource, new: Resource) -> Stack:
    return Stack(new if r is old else r for r in stack.resources)


def without(stack: Stack, token: str, suffix: str) -> Stack:
    target = find(stack, token, suffix)
    return Stack(r for r in stack.resources if r is not target)


def program(build: Callable[[], None]) -> Stack:
    """A tiny Pulumi program run offline: the real SDK classes register the real tokens and inputs."""
    recording = run_offline(build, project="fixture", stack="prod", config={}, secret_keys=[], fake_cloud=FakeCloud())
    return stack_of(recording)


def inputs_of(stack: Stack, token: str) -> Mapping[str, Any]:
    (found,) = stack.of_type(token)
    return found.inputs
