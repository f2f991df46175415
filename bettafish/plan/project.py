"""Find the Pulumi project and read a stack's config the way the Pulumi CLI would, offline."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from bettafish.config.loader import NAMESPACE, SECRET_KEYS

SECRET_PLACEHOLDER = "offline-secret-placeholder"
"""Stands in for a ``secure:`` value, which only the stack's secrets provider can decrypt, and
for a secret the stack file does not set yet."""


class ProjectError(Exception):
    """The project or stack file is missing or unreadable."""


@dataclass(frozen=True)
class StackFiles:
    project: str
    root: Path
    stack: str
    config: dict[str, str]
    """Full key (``bettafish:network``) -> value as the engine passes it (JSON for structures)."""
    secret_keys: list[str]
    unset_secrets: list[str]
    """Secret keys the stack file does not set; the offline plan runs with placeholders for them."""


def find_project_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding a Pulumi.yaml."""
    for directory in (start, *start.parents):
        if (directory / "Pulumi.yaml").is_file():
            return directory
    raise ProjectError(f"no Pulumi.yaml in {start} or any parent directory")


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text()) or {}
    except yaml.YAMLError as exc:
        raise ProjectError(f"{path.name} is not valid YAML: {exc}") from None
    if not isinstance(data, dict):
        raise ProjectError(f"{path.name} must be a mapping")
    return data


def _unsecure(value: Any) -> tuple[Any, bool]:
    """Replace ``{secure: ...}`` values with a placeholder; report whether any were found."""
    if isinstance(value, dict):
        if set(value) == {"secure"}:
            return SECRET_PLACEHOLDER, True
        pairs = {k: _unsecure(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(s for _, s in pairs.values())
    if isinstance(value, list):
        items = [_unsecure(v) for v in value]
        return [v for v, _ in items], any(s for _, s in items)
    return value, False


def _as_engine_value(value: Any) -> str:
    if isinstance(value, str):
        return value
    return json.dumps(value)


def read_stack(root: Path, stack: str, overrides: dict[str, str] | None = None) -> StackFiles:
    """Project defaults from Pulumi.yaml, then Pulumi.<stack>.yaml, then ``overrides``."""
    project_file = _read_yaml(root / "Pulumi.yaml")
    project = str(project_file.get("name", ""))
    stack_path = root / f"Pulumi.{stack}.yaml"
    if not stack_path.is_file():
        raise ProjectError(f"no stack file {stack_path.name} in {root}")
    raw: dict[str, Any] = {}
    for key, decl in (project_file.get("config") or {}).items():
        if isinstance(decl, dict) and ("default" in decl or "value" in decl):
            raw[key] = decl.get("value", decl.get("default"))
    raw.update(_read_yaml(stack_path).get("config") or {})
    config: dict[str, str] = {}
    secret_keys: list[str] = []
    for key, value in raw.items():
        full_key = key if ":" in key else f"{project}:{key}"
        plain, secret = _unsecure(value)
        config[full_key] = _as_engine_value(plain)
        if secret:
            secret_keys.append(full_key)
    unset = [f"{NAMESPACE}:{name}" for name in sorted(SECRET_KEYS) if f"{NAMESPACE}:{name}" not in config]
    for key in unset:
        config[key] = SECRET_PLACEHOLDER
        secret_keys.append(key)
    config.update(overrides or {})
    return StackFiles(
        project=project, root=root, stack=stack, config=config, secret_keys=secret_keys, unset_secrets=unset
    )
