"""The curated list of stateful resource types and their replace-triggering inputs
(``bettafish/data/replacement.yaml``), and how to read an input at one of its paths."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

import yaml


class Missing:
    """An input the program did not set."""

    def __repr__(self) -> str:
        return "(not set)"


MISSING = Missing()


@dataclass(frozen=True)
class Trigger:
    how: str
    """Why a change replaces (``ForceNew``, a CustomizeDiff, a URL path parameter...)."""
    when: str = "change"
    """``change`` (any), ``downgrade`` (a lower version) or ``was-true`` (a true flag turned off)."""

    def fires(self, before: Any, after: Any) -> bool:
        """Whether going from ``before`` to ``after`` (two known, different values) replaces."""
        if self.when == "downgrade":
            return isinstance(before, str) and isinstance(after, str) and _version(after) < _version(before)
        if self.when == "was-true":
            return before is True
        return True


def _version(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(".") if part.isdigit())


@dataclass(frozen=True)
class StatefulType:
    type: str
    holds: str
    """What is lost with the resource."""
    source: str
    """Where the list of inputs comes from: a key of ``curated_sources()`` and the file under it."""
    inputs: dict[str, Trigger]
    """Input path (``settings.ipConfiguration.privateNetwork``) -> what makes its change replace."""


@cache
def _data() -> dict[str, Any]:
    text = resources.files("bettafish").joinpath("data/replacement.yaml").read_text()
    data: dict[str, Any] = yaml.safe_load(text)
    return data


@cache
def curated_sources() -> dict[str, str]:
    return dict(_data()["sources"])


@cache
def curated_types() -> dict[str, StatefulType]:
    """Type token -> its stateful type."""
    return {
        token: StatefulType(
            token,
            entry["holds"],
            entry["source"],
            {path: Trigger(**how) if isinstance(how, dict) else Trigger(how) for path, how in entry["inputs"].items()},
        )
        for token, entry in _data()["types"].items()
    }


def value_at(inputs: dict[str, Any], path: str) -> Any:
    """The value at ``path`` (dotted; a list on the way is followed into each item), or ``MISSING``."""
    return _walk(inputs, path.split("."))


def _walk(node: Any, parts: list[str]) -> Any:
    if not parts:
        return node
    if isinstance(node, list):
        items = [_walk(item, parts) for item in node]
        found = [item for item in items if item is not MISSING]
        return found if found else MISSING
    if not isinstance(node, dict) or parts[0] not in node:
        return MISSING
    return _walk(node[parts[0]], parts[1:])
