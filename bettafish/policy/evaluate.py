"""Running the rules over a stack with a policy config, as CrossGuard would: each rule at its
enforcement level (mandatory unless the config says otherwise), its settings from the config."""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bettafish.policy.model import Stack
from bettafish.policy.rule import Rule
from bettafish.policy.rules import RULES

LEVELS = ("mandatory", "advisory", "disabled")


@dataclass(frozen=True)
class Violation:
    rule: int
    policy: str
    level: str
    urn: str
    type: str
    name: str
    property: str
    message: str

    def line(self) -> str:
        return f"[{self.level}] rule {self.rule} ({self.policy}): {self.urn} {self.property}: {self.message}"


class PolicyConfig:
    """A CrossGuard policy config: ``{"all": level, "<policy>": level | {"enforcementLevel": level, ...settings}}``."""

    def __init__(self, raw: Mapping[str, Any] | None = None) -> None:
        self.raw = dict(raw or {})
        known = {rule.policy_name for rule in RULES} | {"all"}
        unknown = sorted(set(self.raw) - known)
        if unknown:
            raise ValueError(f"policy config names no such policy: {', '.join(unknown)}")
        for key, value in self.raw.items():
            level = value.get("enforcementLevel") if isinstance(value, Mapping) else value
            if level is not None and level not in LEVELS:
                raise ValueError(f"policy config {key}: enforcement level {level!r} is not one of {', '.join(LEVELS)}")

    @classmethod
    def read(cls, path: Path) -> PolicyConfig:
        return cls(json.loads(path.read_text()))

    def level(self, rule: Rule) -> str:
        entry = self.raw.get(rule.policy_name)
        level = entry.get("enforcementLevel") if isinstance(entry, Mapping) else entry
        return str(level or self.raw.get("all") or "mandatory")

    def settings(self, rule: Rule) -> dict[str, Any]:
        entry = self.raw.get(rule.policy_name)
        given = {k: v for k, v in entry.items() if k != "enforcementLevel"} if isinstance(entry, Mapping) else {}
        return rule.config(given)


def evaluate(stack: Stack, config: PolicyConfig | None = None, rules: Iterable[Rule] = RULES) -> list[Violation]:
    """Every violation of ``rules`` in ``stack``, in rule order, then URN and property."""
    config = config or PolicyConfig()
    found: list[Violation] = []
    for rule in rules:
        level = config.level(rule)
        if level == "disabled":
            continue
        for hit in rule.hits(stack, config.settings(rule)):
            found.append(
                Violation(
                    rule.number,
                    rule.policy_name,
                    level,
                    hit.resource.urn,
                    hit.resource.type,
                    hit.resource.name,
                    hit.property,
                    hit.message,
                )
            )
    return sorted(set(found), key=lambda v: (v.rule, v.urn, v.property, v.message))


def catalog() -> str:
    """``docs/policy-rules.md``: each rule with its policy name, kind, the tokens it keys on and its settings."""
    lines = [
        "# Policy rules (generated)",
        "",
        "Generated from `bettafish.policy` (`python -m bettafish.policy.evaluate > docs/policy-rules.md`; a test keeps",
        "it current). Each row is one CrossGuard policy, mandatory unless a policy config says otherwise; what each",
        "check reads is in its module under `bettafish/policy/rules/`.",
        "",
        "| # | Policy | Kind | Type tokens | Settings (default) |",
        "|---|---|---|---|---|",
    ]
    for rule in RULES:
        tokens: set[str] = set()
        for check in rule.checks:
            tokens |= check.types if isinstance(check.types, frozenset) else {getattr(check, "label", "")}
        settings = ", ".join(f"`{k}` ({s.default})" for k, s in rule.settings.items()) or ""
        kind = "stack" if rule.stack_level else "resource"
        cells = "<br>".join(f"`{t}`" for t in sorted(tokens))
        lines.append(f"| {rule.number} | `{rule.policy_name}`: {rule.title} | {kind} | {cells} | {settings} |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    print(catalog(), end="")
