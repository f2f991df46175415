"""Registry: cloud name -> its implementations, imported lazily so one cloud never loads another's SDK."""

from __future__ import annotations

import importlib
from typing import TypeVar

from bettafish.config import CLOUDS
from components import NeutralComponent

C = TypeVar("C", bound=NeutralComponent)

_MODULES: dict[str, str] = {cloud: f"providers.{cloud}" for cloud in CLOUDS}


class MissingImplementationError(LookupError):
    """A component has no implementation on the chosen cloud yet."""


def implementation(cloud: str, component: type[C]) -> type[C]:
    """The class that builds ``component`` on ``cloud``."""
    if cloud not in _MODULES:
        raise ValueError(f"unknown cloud {cloud!r}; choose one of {', '.join(CLOUDS)}")
    module = importlib.import_module(_MODULES[cloud])
    implementations: dict[type[NeutralComponent], type[NeutralComponent]] = module.IMPLEMENTATIONS
    try:
        impl = implementations[component]
    except KeyError:
        raise MissingImplementationError(f"{component.__name__} has no {cloud} implementation") from None
    assert issubclass(impl, component)
    return impl
