"""The Pulumi program: the same code path for ``pulumi up`` and the offline ``bettafish plan``."""

from __future__ import annotations

from datetime import date
from typing import Any

import pulumi
from pulumi.runtime.config import CONFIG, get_config_env

from bettafish.config import ConfigError, StackConfig, load_stack_config
from bettafish.config.checks import warnings
from bettafish.platform import StackSecrets, build_platform


def current_config_values() -> dict[str, Any]:
    """Every config value the engine handed this run (``namespace:key`` -> raw value)."""
    return {**get_config_env(), **CONFIG.get()}


def stack_config() -> StackConfig:
    """The validated config of the running stack; an invalid one stops the run with no traceback."""
    try:
        return load_stack_config(current_config_values(), project=pulumi.get_project(), stack=pulumi.get_stack())
    except ConfigError as exc:
        raise pulumi.RunError(str(exc)) from None


def stack_secrets() -> StackSecrets:
    """Secret config values as Pulumi secrets (validated with the rest of the config)."""
    return StackSecrets(redis_auth_token=pulumi.Config("bettafish").get_secret("redisAuthToken"))


def main() -> None:
    config = stack_config()
    for warning in warnings(config, date.today()):
        pulumi.log.warn(str(warning))
    for name, value in build_platform(config, stack_secrets()).items():
        pulumi.export(name, value)
