"""How the Pulumi engine matches a registration to an earlier resource through aliases, in the
offline plan's URN form.

The engine looks a registration up in the old state by its URN, then by each alias: the
resource's own aliases (``pulumi.Alias(name=...)``, a full URN...), and, when its parent was itself
found through an alias, the alias it inherits from the parent, whose name swaps the parent's new
name prefix for the old one (children are named ``f"{name}-{role}"``). Renaming a component with
``aliases=[pulumi.Alias(name=old)]`` therefore keeps every child named after it. This is
``generateAliases``, ``collapseAliasToUrn`` and ``inheritedChildAlias`` of the engine's step
generator (pulumi/pulumi ``pkg/resource/deploy/step_generator.go``).

URNs are built the way the mock monitor builds them (``MockMonitor.make_urn``: the parent's own
type, the root stack's type included), so they compare with the plan's.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

ROOT_STACK_TYPE = "pulumi:pulumi:Stack"


def make_urn(stack: str, project: str, parent: str, type_: str, name: str) -> str:
    """The URN the offline plan gives a resource of ``type_`` named ``name`` under ``parent``."""
    qualified = f"{urn_type(parent)}${type_}" if parent else type_
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


def urn_name(urn: str) -> str:
    return urn.split("::", 3)[3]


def urn_type(urn: str) -> str:
    """The resource's own type (the last of its qualified type)."""
    return urn.split("::", 3)[2].rsplit("$", 1)[-1]


def urn_stack_project(urn: str) -> tuple[str, str]:
    head, project = urn.split("::", 3)[:2]
    return head.rsplit(":", 1)[-1], project


def alias_urns(urn: str, type_: str, parent: str, aliases: list[Any], parent_was: Mapping[str, str]) -> list[str]:
    """The URNs the engine would look for, after ``urn`` itself, for one registration.

    ``aliases`` are the recorded ``options["aliases"]`` (spec fields or full URNs); ``parent_was``
    maps a parent's URN to the old URN it was found under through an alias.
    """
    stack, project = urn_stack_project(urn)
    name = urn_name(urn)
    own = [_collapse(alias, name, type_, parent, parent_was, stack, project) for alias in aliases]
    found = list(own)
    old_parent = parent_was.get(parent)
    if old_parent is not None:
        parent_name = urn_name(parent)
        for child in [urn, *own]:
            found.append(_inherited(urn_type(child), urn_name(child), parent_name, old_parent, stack, project))
    return list(dict.fromkeys(found))


def _collapse(
    alias: Any, name: str, type_: str, parent: str, parent_was: Mapping[str, str], stack: str, project: str
) -> str:
    if isinstance(alias, str):
        return alias
    if alias.get("urn"):
        return str(alias["urn"])
    named_parent = alias.get("parentUrn") or ""
    alias_parent = parent_was.get(named_parent, named_parent) if named_parent else parent
    if alias.get("noParent"):
        alias_parent = f"urn:pulumi:{stack}::{project}::{ROOT_STACK_TYPE}::{project}-{stack}"
    return make_urn(
        alias.get("stack") or stack,
        alias.get("project") or project,
        alias_parent,
        alias.get("type") or type_,
        alias.get("name") or name,
    )


def _inherited(child_type: str, child_name: str, parent_name: str, old_parent: str, stack: str, project: str) -> str:
    name = child_name
    if child_name.startswith(parent_name):
        name = urn_name(old_parent) + child_name[len(parent_name) :]
    return make_urn(stack, project, old_parent, child_type, name)


def state_name(name: str, parent: str, aliases: list[Any], state_names: Mapping[str, str]) -> str:
    """The name a resource's state was created under, assuming its aliases name earlier resources.

    The first alias that renames it wins; otherwise a parent kept under an old name lends that
    name's prefix (the engine's inherited alias). ``state_names`` holds the parents' answers.
    """
    for alias in aliases:
        old = urn_name(alias) if isinstance(alias, str) else (urn_name(alias["urn"]) if alias.get("urn") else "")
        old = old or (alias.get("name", "") if isinstance(alias, dict) else "")
        if old and old != name:
            name = old
            break
    parent_name = urn_name(parent) if parent else ""
    parent_was = state_names.get(parent, parent_name)
    if parent_name and parent_was != parent_name and name.startswith(parent_name):
        return parent_was + name[len(parent_name) :]
    return name
