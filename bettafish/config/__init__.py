"""Validated stack config: pydantic models, cross-checks and the loader."""

from bettafish.config.base import CLOUDS, Cloud, MachineSize
from bettafish.config.checks import Issue
from bettafish.config.loader import SECRET_KEYS, ConfigError, load_stack_config
from bettafish.config.stack import Identity, ProviderSettings, StackConfig

__all__ = [
    "CLOUDS",
    "SECRET_KEYS",
    "Cloud",
    "ConfigError",
    "Identity",
    "Issue",
    "MachineSize",
    "ProviderSettings",
    "StackConfig",
    "load_stack_config",
]
