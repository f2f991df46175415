"""The stack's container registry, which holds the five services' images."""

from __future__ import annotations

from bettafish.config.base import Model, PositiveInt


class Registry(Model):
    untagged_expiry_days: PositiveInt = 7
    """Images without a tag (pushed by digest, or left behind when a tag was deleted) are deleted
    this many days after they were pushed. Tagged images stay: tags are immutable, and a release
    is its tag. A service pinned by ``digest`` must pin a tagged image's digest."""
