"""The recording engine: runs the Pulumi program against a fake cloud and records every
registration (type, name, parent, dependencies, protect, resource options, inputs), with secrets
masked. Before a registration reaches the fake cloud, the table of documented API constraints
(``bettafish.plan.fake_cloud.constraints``) checks it, so a combination a real API refuses fails
the offline run the way ``pulumi up`` would."""

from __future__ import annotations

import asyncio
import contextvars
import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any

import pulumi
from google.protobuf import json_format
from pulumi.runtime import settings
from pulumi.runtime.mocks import MockMonitor
from pulumi.runtime.rpc import UNKNOWN, _special_secret_sig, _special_sig_key
from pulumi.runtime.stack import run_pulumi_func
from pulumi.runtime.sync_await import _sync_await

from bettafish.plan.aliases import state_name
from bettafish.plan.fake_cloud import FakeCloud
from bettafish.plan.fake_cloud.constraints import check_constraints

SECRET_MASK = "[secret]"
COMPUTED = "(computed)"


@dataclass(frozen=True)
class RecordedResource:
    urn: str
    id: str
    """The id the (fake) provider assigned; empty for components."""
    type: str
    name: str
    parent: str
    custom: bool
    dependencies: list[str]
    protect: bool
    inputs: dict[str, Any]
    """What the program passed, secrets masked. Raw values stay off the record."""
    input_dependencies: dict[str, list[str]] = field(default_factory=dict)
    """Per input, the resources its value came from (``principalId`` -> the identity's URN)."""
    options: dict[str, Any] = field(default_factory=dict)
    """The resource options the engine received besides ``protect``, only those set (camelCase:
    ``ignoreChanges``, ``replaceOnChanges``, ``deleteBeforeReplace``, ``retainOnDelete``,
    ``dependsOn``, ``provider``, ``aliases``, ``customTimeouts``, ``additionalSecretOutputs``,
    ``deletedWith``)."""


@dataclass
class Recording:
    project: str
    stack: str
    resources: list[RecordedResource] = field(default_factory=list)
    outputs: dict[str, Any] = field(default_factory=dict)
    """Stack outputs with secrets masked."""
    warnings: list[str] = field(default_factory=list)
    """What the program logged as warnings, in order."""

    def of_type(self, type_token: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.type == type_token]

    def one(self, type_token: str) -> RecordedResource:
        """The only resource of ``type_token``."""
        matches = self.of_type(type_token)
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} resources of type {type_token}")
        return matches[0]

    def named(self, name: str) -> RecordedResource:
        matches = [r for r in self.resources if r.name == name]
        if len(matches) != 1:
            raise KeyError(f"{len(matches)} resources named {name!r}")
        return matches[0]

    def children_of(self, urn: str) -> list[RecordedResource]:
        return [r for r in self.resources if r.parent == urn]


def masked(value: Any) -> Any:
    """A deserialized-for-display copy of a wire value: secrets masked, unknowns marked,
    resource references shown as their URN, whole-number floats as ints."""
    if isinstance(value, dict):
        sig = value.get(_special_sig_key)
        if sig == _special_secret_sig:
            return SECRET_MASK
        if sig is not None and "urn" in value:
            return value["urn"]
        # Sorted: the engine serializes inputs in the order their outputs resolve, which varies by run.
        return {k: masked(v) for k, v in sorted(value.items())}
    if isinstance(value, list):
        return [masked(v) for v in value]
    if value == UNKNOWN:
        return COMPUTED
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


class _SecretOutputs(pulumi.runtime.Mocks):
    """Marks the outputs a resource declares secret (``additional_secret_outputs``, as
    RandomPassword.result does) secret, as the real engine does and plain mocks do not; and hands
    the fake cloud the name a renamed resource's state was created under (``aliases``), so its ids
    and generated names stay what they were, as the real engine carries an aliased resource's state
    over: what depends on them does not change."""

    def __init__(self, inner: pulumi.runtime.Mocks) -> None:
        self.inner = inner
        self.pending = threading.local()

    def new_resource(self, args: pulumi.runtime.MockResourceArgs) -> tuple[str | None, dict[str, Any]]:
        created_as = getattr(self.pending, "state_name", args.name)
        if created_as != args.name:
            args = pulumi.runtime.MockResourceArgs(
                args.typ, created_as, args.inputs, args.provider, args.resource_id, args.custom
            )
        resource_id, state = self.inner.new_resource(args)
        for key in getattr(self.pending, "keys", ()):
            if key in state:
                state[key] = {_special_sig_key: _special_secret_sig, "value": state[key]}
        return resource_id, state

    def call(self, args: pulumi.runtime.MockCallArgs) -> tuple[dict[str, Any], list[tuple[str, str]] | None]:
        return self.inner.call(args)


class RecordingMonitor(MockMonitor):
    """A mock monitor that also keeps an ordered record of every registration."""

    def __init__(self, mocks: pulumi.runtime.Mocks, recording: Recording) -> None:
        self.secret_outputs = _SecretOutputs(mocks)
        super().__init__(self.secret_outputs)
        self.recording = recording
        self.state_names: dict[str, str] = {}
        """URN -> the name its state was created under, for the registrations an alias renamed."""

    def RegisterResource(self, request: Any) -> Any:  # noqa: N802 - gRPC method name
        if request.type == "pulumi:pulumi:Stack":
            return super().RegisterResource(request)  # type: ignore[no-untyped-call]
        candidate = RecordedResource(
            urn=self.make_urn(request.parent, request.type, request.name),
            id="",
            type=request.type,
            name=request.name,
            parent=request.parent,
            custom=request.custom,
            dependencies=sorted(set(request.dependencies)),
            protect=bool(request.protect),
            inputs=masked(json_format.MessageToDict(request.object)),
            input_dependencies={
                key: sorted(deps.urns) for key, deps in request.propertyDependencies.items() if deps.urns
            },
            options=resource_options(request),
        )
        if candidate.custom:
            check_constraints(candidate, self.recording.resources)
        created_as = state_name(request.name, request.parent, candidate.options.get("aliases", []), self.state_names)
        self.secret_outputs.pending.keys = list(request.additionalSecretOutputs)
        self.secret_outputs.pending.state_name = created_as
        response = super().RegisterResource(request)  # type: ignore[no-untyped-call]
        if created_as != request.name:
            self.state_names[response.urn] = created_as
        self.recording.resources.append(replace(candidate, urn=response.urn, id=response.id))
        return response


def _alias(alias: Any) -> dict[str, Any]:
    """An alias as the fields it sets (``{"name": ...}``, ``{"type": ...}``, ``{"urn": ...}``)."""
    fields = json_format.MessageToDict(alias)
    return {key: value for key, value in fields.get("spec", fields).items() if value}


def resource_options(request: Any) -> dict[str, Any]:
    """The options of a ``RegisterResourceRequest`` that were set, by their Pulumi option names.

    ``dependsOn`` is what the program asked for explicitly: every dependency that no input carries.
    """
    from_inputs = {urn for deps in request.propertyDependencies.values() for urn in deps.urns}
    timeouts = json_format.MessageToDict(request.customTimeouts) if request.HasField("customTimeouts") else {}
    options: dict[str, Any] = {
        "ignoreChanges": sorted(request.ignoreChanges),
        "replaceOnChanges": sorted(request.replaceOnChanges),
        "deleteBeforeReplace": request.deleteBeforeReplace if request.deleteBeforeReplaceDefined else None,
        "retainOnDelete": request.retainOnDelete if request.HasField("retainOnDelete") else None,
        "dependsOn": sorted(set(request.dependencies) - from_inputs),
        "provider": request.provider,
        "aliases": [_alias(alias) for alias in request.aliases] + list(request.aliasURNs),
        "customTimeouts": {k: v for k, v in timeouts.items() if v},
        "additionalSecretOutputs": sorted(request.additionalSecretOutputs),
        "deletedWith": request.deletedWith,
    }
    return {key: value for key, value in options.items() if value not in (None, "", [], {})}


class _WarningCollector(logging.Handler):
    """Keeps the warnings the program logs (``pulumi.log.warn``) on the recording."""

    def __init__(self, recording: Recording) -> None:
        super().__init__(level=logging.WARNING)
        self.recording = recording

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno == logging.WARNING:
            self.recording.warnings.append(record.getMessage())


def _engine_logger(recording: Recording) -> logging.Logger:
    logger = logging.getLogger(f"bettafish.plan.run{id(recording)}")
    logger.propagate = False
    logger.setLevel(logging.WARNING)
    logger.addHandler(_WarningCollector(recording))
    return logger


async def _exported_outputs() -> dict[str, Any]:
    root = settings.get_root_resource()
    exported: dict[str, Any] = getattr(root, "outputs", {})
    result: dict[str, Any] = {}
    for key, value in exported.items():
        output = pulumi.Output.from_input(value)
        resolved = await output.future(with_unknowns=True)
        result[key] = SECRET_MASK if await output.is_secret() else masked(resolved)
    return result


def run_offline(
    program: Callable[[], None],
    *,
    project: str,
    stack: str,
    config: dict[str, str],
    secret_keys: list[str],
    fake_cloud: FakeCloud | None = None,
) -> Recording:
    """Run ``program`` under the recording engine in an isolated context and return what it registered.

    Exceptions from the program (such as ``pulumi.RunError`` for an invalid config) propagate.
    """
    recording = Recording(project=project, stack=stack)

    def run() -> None:
        # A fresh event loop per run: a failed run leaves tasks behind that must not finish (and
        # fail again) inside the next one.
        previous_loop = asyncio.get_event_loop_policy().get_event_loop()
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        settings.ROOT.set(None)
        mocks = fake_cloud or FakeCloud()
        pulumi.runtime.set_mocks(
            mocks,
            project=project,
            stack=stack,
            preview=False,
            logger=_engine_logger(recording),
            monitor=RecordingMonitor(mocks, recording),
        )
        pulumi.runtime.set_all_config(config, secret_keys)
        try:
            _sync_await(run_pulumi_func(program))
            recording.outputs = _sync_await(_exported_outputs())
            # Registrations arrive in whatever order the engine's threads finish them; the record
            # is kept in URN order so that two runs of one program are byte-identical.
            recording.resources.sort(key=lambda r: r.urn)
        finally:
            # A failed run also leaves its exception and unfinished RPCs and outputs behind.
            settings._get_rpc_manager().clear()
            with settings.SETTINGS.lock:
                settings.SETTINGS.outputs.clear()
            for task in asyncio.all_tasks(loop):
                task.cancel()
            loop.run_until_complete(asyncio.sleep(0))
            loop.close()
            asyncio.set_event_loop(previous_loop)

    contextvars.copy_context().run(run)
    return recording
