"""GKE registrations the real API refuses: one small program per constraint id."""

from __future__ import annotations

from collections.abc import Callable

VIOLATIONS: dict[str, Callable[[], None]] = {}
