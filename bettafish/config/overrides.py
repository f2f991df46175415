"""Per-cloud overrides. Where a cloud cannot hold one of the stack's numbers, the stack file names the
nearest setting that cloud can honour under ``bettafish:cloudOverrides.<cloud>``; it is merged into the
config before validation, so switching cloud stays one value and every deviation is written down.

Mappings merge key by key; lists of named items (``network.flows``) merge item by item on ``name``;
anything else replaces the value.
"""

from __future__ import annotations

from typing import Any

from bettafish.config.base import CLOUDS
from bettafish.config.checks import Issue

OVERRIDES_KEY = "cloudOverrides"
_PATH = f"bettafish:{OVERRIDES_KEY}"


class _OverrideError(ValueError):
    pass


def _named(items: Any) -> bool:
    return isinstance(items, list) and all(isinstance(i, dict) and "name" in i for i in items)


def _merge(base: Any, patch: Any, path: str) -> Any:
    if isinstance(base, dict) and isinstance(patch, dict):
        return {**base, **{k: _merge(base.get(k), v, f"{path}.{k}") for k, v in patch.items()}}
    if _named(base) and _named(patch):
        merged = {item["name"]: item for item in base}
        for item in patch:
            if item["name"] not in merged:
                raise _OverrideError(f"{path}: no item named {item['name']!r} to override")
            merged[item["name"]] = _merge(merged[item["name"]], item, f"{path}[{item['name']}]")
        return list(merged.values())
    return patch


def apply_overrides(raw: dict[str, Any], cloud: str | None) -> tuple[dict[str, Any], list[Issue]]:
    """``raw`` with the chosen cloud's overrides merged in (the overrides key removed), and any problems."""
    raw = dict(raw)
    overrides = raw.pop(OVERRIDES_KEY, None)
    if overrides is None:
        return raw, []
    if not isinstance(overrides, dict) or set(overrides) - set(CLOUDS):
        return raw, [
            Issue(
                _PATH,
                f"must map {', '.join(CLOUDS)} to settings, got {sorted(overrides) if isinstance(overrides, dict) else overrides!r}",
            )
        ]
    patch = overrides.get(cloud) if cloud else None
    if patch is None:
        return raw, []
    if not isinstance(patch, dict):
        return raw, [Issue(f"{_PATH}.{cloud}", "must be a mapping of settings")]
    try:
        return {**raw, **{k: _merge(raw.get(k), v, k) for k, v in patch.items()}}, []
    except _OverrideError as exc:
        return raw, [Issue(f"{_PATH}.{cloud}", str(exc))]
