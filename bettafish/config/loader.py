"""Turn raw Pulumi config into a validated StackConfig, or one error listing every problem."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from pydantic import ValidationError

from bettafish.config.base import CLOUDS
from bettafish.config.checks import Issue, run_checks
from bettafish.config.overrides import apply_overrides
from bettafish.config.stack import StackConfig

NAMESPACE = "bettafish"
SECRET_KEYS = frozenset({"redisAuthToken"})
"""Secret ``bettafish:`` keys, read as Pulumi secrets by the platform and never put in the model."""

PROVIDER_KEYS: dict[str, dict[str, str]] = {
    "aws": {"region": "aws:region"},
    "gcp": {"project": "gcp:project", "region": "gcp:region"},
    "azure": {"region": "azure-native:location"},
}
_RESERVED = ("identity", "provider")


class ConfigError(Exception):
    """The stack config is invalid; ``issues`` holds every problem found."""

    def __init__(self, issues: list[Issue]) -> None:
        self.issues = issues
        lines = "\n".join(f"  {issue}" for issue in issues)
        super().__init__(f"invalid stack config ({len(issues)} problem{'s' if len(issues) != 1 else ''}):\n{lines}")


def _decode(value: Any) -> Any:
    """Pulumi hands structured values over as JSON text; plain strings stay strings."""
    if isinstance(value, str) and value[:1] in "{[":
        try:
            return json.loads(value)
        except json.JSONDecodeError:
            return value
    return value


def _path(loc: tuple[int | str, ...]) -> str:
    out = ""
    for part in loc:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _issue_from(error: Mapping[str, Any], cloud: str | None) -> Issue:
    loc = tuple(error["loc"])
    message = str(error["msg"]).removeprefix("Value error, ")
    if error["type"] == "extra_forbidden":
        message = "unknown key"
    if loc[:1] == ("provider",) and len(loc) > 1 and cloud in PROVIDER_KEYS:
        key = PROVIDER_KEYS[cloud].get(str(loc[1]), f"{cloud}:{loc[1]}")
        return Issue(key, f"{message} (needed when bettafish:cloud is {cloud})")
    return Issue(f"{NAMESPACE}:{_path(loc)}" if loc else NAMESPACE, message)


REDIS_AUTH_TOKEN = re.compile(r"^[!#$%&()*+,.:;<=>?\[\]^_`{|}~A-Za-z0-9-]{16,128}$")
"""ElastiCache AUTH tokens: 16 to 128 printable characters, without @, " or /."""


def _secret_issues(values: Mapping[str, Any], cloud: str) -> list[Issue]:
    """Secrets are checked for presence and shape; their values never appear in a message."""
    key = f"{NAMESPACE}:redisAuthToken"
    token = values.get(key)
    if cloud != "aws":
        return []
    if token is None:
        return [Issue(key, "required on aws: pulumi config set --secret bettafish:redisAuthToken <token>")]
    if not isinstance(token, str) or not REDIS_AUTH_TOKEN.match(token):
        return [Issue(key, 'must be 16 to 128 printable characters without @, " or / (value not shown)')]
    return []


def load_stack_config(values: Mapping[str, Any], *, project: str, stack: str) -> StackConfig:
    """Validate every ``bettafish:`` key plus the chosen cloud's provider settings.

    ``values`` maps full keys (``bettafish:network``, ``aws:region``) to raw values.
    Raises ``ConfigError`` naming each bad key; nothing is half-loaded.
    """
    raw: dict[str, Any] = {}
    early: list[Issue] = []
    for key, value in values.items():
        namespace, _, name = key.partition(":")
        if namespace != NAMESPACE or name in SECRET_KEYS:
            continue
        if name in _RESERVED:
            early.append(Issue(key, "unknown key"))
            continue
        raw[name] = _decode(value)
    cloud = raw.get("cloud")
    if cloud is not None and cloud not in CLOUDS:
        early.append(Issue("bettafish:cloud", f"unknown cloud {cloud!r}; choose one of {', '.join(CLOUDS)}"))
        cloud = None
    raw, override_issues = apply_overrides(raw, cloud)
    early += override_issues
    provider_keys = PROVIDER_KEYS.get(cloud or "", {})
    raw["provider"] = {field: values[key] for field, key in provider_keys.items() if key in values}
    raw["identity"] = {"project": project, "stack": stack}
    try:
        config = StackConfig.model_validate(raw)
    except ValidationError as exc:
        errors = [e for e in exc.errors() if cloud is not None or e["loc"][:1] != ("provider",)]
        issues = [_issue_from(e, cloud) for e in errors]
        issues = [i for i in issues if not (i.key == "bettafish:cloud" and early)]
        raise ConfigError(early + issues) from None
    issues = early + run_checks(config) + _secret_issues(values, config.cloud)
    if issues:
        raise ConfigError(issues)
    return config
