"""A config problem, keyed the way the user writes it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Issue:
    """One problem, keyed the way the user writes it (``bettafish:network.cidr``)."""

    key: str
    message: str

    def __str__(self) -> str:
        return f"{self.key}: {self.message}"


def key(path: str) -> str:
    """``bettafish:`` + a dotted path of camelCase keys."""
    return f"bettafish:{path}"


def camel(snake: str) -> str:
    head, *rest = snake.split("_")
    return head + "".join(part.title() for part in rest)
