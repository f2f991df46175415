"""What every neutral component shares: its context and the one way to publish outputs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import pulumi

from bettafish.config import Cloud, Identity, ProviderSettings
from bettafish.tags import resource_tags


@dataclass(frozen=True)
class DeployContext:
    """Stack-wide facts a component needs besides its own config."""

    identity: Identity
    cloud: Cloud
    provider: ProviderSettings
    protect_stateful: bool

    def tags(self, component: str) -> dict[str, str]:
        return resource_tags(self.cloud, self.identity, component)


S = TypeVar("S", bound="NeutralComponent")


def sibling(component: NeutralComponent, cls: type[S]) -> S:
    """``component`` as this cloud's implementation ``cls``, whose extra attributes (subnets,
    security groups, keys...) a sibling component of the same cloud builds on."""
    if not isinstance(component, cls):
        raise TypeError(f"expected {cls.__name__}, got {type(component).__name__}")
    return component


def ids_of(resources: list[pulumi.CustomResource]) -> pulumi.Output[list[str]]:
    """The ids of ``resources`` as one output list, in order."""
    return pulumi.Output.all(*[r.id for r in resources])


class NeutralComponent(pulumi.ComponentResource):
    """Base of the neutral components.

    Subclasses name their type token and neutral outputs; a cloud implementation creates its
    children with ``parent=self`` and ends with ``self._publish(...)``, which checks that exactly
    the neutral outputs were given and registers them, so output names cannot drift between clouds.
    """

    TYPE: ClassVar[str]
    OUTPUTS: ClassVar[tuple[str, ...]]

    def __init__(self, name: str, context: DeployContext, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(self.TYPE, name, None, opts)
        self.name = name
        self.context = context

    def child(self, *, stateful: bool = False, **extra: Any) -> pulumi.ResourceOptions:
        """Options for a child resource: parented here, plus ``extra`` (``depends_on``...).

        ``stateful=True`` marks data that must survive a mistaken ``pulumi destroy`` (databases,
        caches, buckets, keys): ``protect`` whenever the stack protects stateful resources.
        """
        return pulumi.ResourceOptions(parent=self, protect=stateful and self.context.protect_stateful, **extra)

    def _publish(self, **outputs: Any) -> None:
        given, wanted = set(outputs), set(self.OUTPUTS)
        if given != wanted:
            raise TypeError(
                f"{type(self).__name__} must publish {sorted(wanted)}; "
                f"missing {sorted(wanted - given)}, unexpected {sorted(given - wanted)}"
            )
        for key, value in outputs.items():
            setattr(self, key, value)
        self.register_outputs(outputs)
