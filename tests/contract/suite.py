"""The contract every neutral component honours on every cloud. A component's suite is a small
subclass naming the component and how to build its args; adding a cloud means making it pass."""

from __future__ import annotations

import importlib
import inspect
import re
from abc import ABC, abstractmethod
from functools import cache
from typing import Any, ClassVar

import pytest

from bettafish.config import StackConfig
from bettafish.plan import Recording
from components import DeployContext, NeutralComponent
from providers import implementation
from tests.mocks import CLOUDS, STACKS, build_component

REQUIRED_TAGS = ("project", "stack", "component", "managed-by")
_SDK = {
    "aws": "pulumi_aws",
    "gcp": "pulumi_gcp",
    "azure-native": "pulumi_azure_native",
    "random": "pulumi_random",
    "time": "pulumiverse_time",
}
_GCP_LABEL = r"^[a-z][a-z0-9_-]{0,62}$"


_LABELS_ARE_NOT_METADATA = frozenset({"gcp:monitoring/metricDescriptor:MetricDescriptor"})
"""Classes whose ``labels`` are something else (a metric's label descriptors) and take no metadata."""


@cache
def tag_argument(type_token: str) -> str | None:
    """``tags`` or ``labels`` if the SDK class behind ``type_token`` takes one, else None.

    On GCP, labels are what we set: a few classes also take ``tags``, which are Resource Manager
    tag bindings (``tagKeys/...``), not key/value metadata.
    """
    package, module, kind = type_token.split(":")
    if package not in _SDK:  # Kubernetes objects label themselves in metadata; providers take no tags
        return None
    if type_token in _LABELS_ARE_NOT_METADATA:
        return None
    root = module.split("/")[0]
    module_path = _SDK[package] if root == "index" else f"{_SDK[package]}.{root}"
    cls = getattr(importlib.import_module(module_path), kind)
    params = inspect.signature(cls._internal_init).parameters
    # Cloud Monitoring's channels and policies take their metadata as user_labels (labels configure a channel).
    order = ("user_labels", "labels") if package == "gcp" else ("tags", "labels")
    found = next((arg for arg in order if arg in params), None)
    return "userLabels" if found == "user_labels" else found  # the recorded inputs are camelCase


class ComponentContract(ABC):
    """Subclass with ``component`` and ``make_args``; pytest collects the tests once per cloud and stack."""

    component: ClassVar[type[NeutralComponent]]
    stateful: ClassVar[dict[str, frozenset[str]]] = {}
    """Type tokens per cloud holding data that must survive a mistaken destroy."""

    @staticmethod
    @abstractmethod
    def make_args(config: StackConfig, context: DeployContext) -> Any:
        """The component's args, built from a stack's config (and sibling components if needed)."""

    @pytest.fixture(scope="class", params=CLOUDS)
    @classmethod
    def cloud(cls, request: pytest.FixtureRequest) -> str:
        return str(request.param)

    @pytest.fixture(scope="class", params=STACKS)
    @classmethod
    def stack(cls, request: pytest.FixtureRequest) -> str:
        return str(request.param)

    @pytest.fixture(scope="class")
    @classmethod
    def built(cls, cloud: str, stack: str) -> Recording:
        """One build per component, cloud and stack, shared by the class's tests (a read-only record)."""
        return build_component(cls.component, cls.make_args, cloud=cloud, stack=stack)

    def _component(self, built: Recording) -> Any:
        (component,) = built.of_type(self.component.TYPE)
        return component

    def test_output_names_are_the_neutral_ones(self, cloud: str) -> None:
        impl = implementation(cloud, self.component)
        assert issubclass(impl, self.component)
        assert impl.OUTPUTS == self.component.OUTPUTS
        assert impl.TYPE == self.component.TYPE

    def test_builds_real_children(self, built: Recording) -> None:
        assert [r for r in built.resources if r.custom], "no cloud resources were created"

    def test_every_neutral_output_resolves_to_a_value(self, built: Recording) -> None:
        assert set(built.outputs) == set(self.component.OUTPUTS)
        for name, value in built.outputs.items():
            assert value not in (None, "", [], {}, "(computed)"), f"{name} resolved to {value!r}"
            if isinstance(value, list):
                assert all(item for item in value), f"{name} holds an empty item: {value!r}"

    def test_every_child_is_parented_under_the_component(self, built: Recording) -> None:
        root = self._component(built).urn
        components = {r.urn for r in built.resources if not r.custom}
        assert built.children_of(root), "the component has no children"
        for resource in built.resources:
            if resource.custom:  # its own children, or those of a sibling it depends on
                assert resource.parent in components, f"{resource.name} is parented to {resource.parent}"

    def test_children_are_named_after_the_component(self, built: Recording) -> None:
        root = self._component(built)
        for resource in built.children_of(root.urn):
            assert resource.name.startswith(f"{root.name}-"), resource.name

    def test_stateful_resources_are_protected_in_prod_only(self, built: Recording, cloud: str, stack: str) -> None:
        root = self._component(built).urn
        types = self.stateful.get(cloud, frozenset())
        stateful = [r for r in built.children_of(root) if r.type in types]
        assert bool(stateful) == bool(types), "no stateful resource found"
        for resource in stateful:
            assert resource.protect is (stack == "prod"), f"{resource.type} {resource.name}"

    def test_every_taggable_resource_is_tagged(self, built: Recording, stack: str) -> None:
        for resource in built.resources:
            if not resource.custom or (arg := tag_argument(resource.type)) is None:
                continue
            tags = resource.inputs.get(arg) or {}
            missing = [key for key in REQUIRED_TAGS if key not in tags]
            assert not missing, f"{resource.type} {resource.name} lacks {missing}"
            assert tags["stack"] == stack
            assert tags["managed-by"] == "pulumi"
            if arg in ("labels", "userLabels"):
                assert all(re.match(_GCP_LABEL, k) for k in tags), tags
                assert all(len(v) <= 63 and v == v.lower() for v in tags.values()), tags
