"""The curated list of replace-triggering inputs: every type is a real SDK type, every input a real
input of it, and every resource the program protects has a curated type."""

from __future__ import annotations

import importlib
import inspect
import re

import pytest
from pulumi._types import input_type_py_to_pulumi_names

from bettafish.guard import Trigger, curated_types, value_at
from bettafish.guard.curated import MISSING, curated_sources
from tests.mocks import CLOUDS, run_stack

SDK_PACKAGES = {"aws": "pulumi_aws", "gcp": "pulumi_gcp", "azure-native": "pulumi_azure_native"}


def sdk_inputs(token: str) -> set[str]:
    """The input names (as the engine receives them) of the SDK class registering ``token``."""
    package, module, name = token.split(":")
    sdk = importlib.import_module(f"{SDK_PACKAGES[package]}.{module.split('/')[0]}")
    assert re.search(rf"""['"]{re.escape(token)}['"]""", inspect.getsource(getattr(sdk, name))), token
    # A resource whose args class name an input type already takes is generated as ``{name}InitArgs``.
    args = getattr(sdk, f"{name}InitArgs", None) or getattr(sdk, f"{name}Args")
    return set(input_type_py_to_pulumi_names(args).values())


@pytest.mark.parametrize("token", sorted(curated_types()))
def test_every_curated_input_is_an_input_of_the_sdk_type(token: str) -> None:
    inputs = sdk_inputs(token)
    assert inputs, token
    unknown = {path for path in curated_types()[token].inputs if path.split(".")[0] not in inputs}
    assert not unknown, f"{token}: {sorted(unknown)} are not inputs of the SDK class"


def test_every_type_names_a_source_listed_with_its_address() -> None:
    for stateful in curated_types().values():
        assert stateful.source.split(" ")[0] in curated_sources(), stateful.type
        assert stateful.holds
        assert all(t.how for t in stateful.inputs.values())


@pytest.mark.parametrize("cloud", CLOUDS)
def test_every_protected_type_in_prod_is_curated(cloud: str) -> None:
    protected = {r.type for r in run_stack("prod", cloud).resources if r.protect}
    assert protected - set(curated_types()) == set()


def test_value_at_follows_objects_and_lists() -> None:
    inputs = {"replication": {"userManaged": {"replicas": [{"location": "us-east1"}, {"kms": "k"}]}}}
    assert value_at(inputs, "replication.userManaged.replicas.location") == ["us-east1"]
    assert value_at(inputs, "replication.auto") is MISSING
    assert value_at({"a": [{"b": 1}]}, "a.c") is MISSING


def test_conditional_triggers() -> None:
    downgrade, unlocked = Trigger("x", "downgrade"), Trigger("x", "was-true")
    assert downgrade.fires("7.1", "7.0")
    assert not downgrade.fires("7.0", "7.1")
    assert unlocked.fires(True, False)
    assert not unlocked.fires(False, True)
    assert Trigger("ForceNew").fires("a", "b")
