"""The edge: CDN, WAF, TLS certificate and DNS records."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pulumi

from bettafish.config.edge import Edge
from components.base import DeployContext, NeutralComponent


@dataclass(frozen=True)
class CdnArgs:
    edge: Edge
    origin_host: pulumi.Input[str]
    """Host name of the API origin behind the CDN."""
    context: DeployContext


class Cdn(NeutralComponent):
    """``bettafish:edge:Cdn`` (CloudFront + WAF, Cloud CDN + Cloud Armor, Front Door + WAF)."""

    TYPE: ClassVar[str] = "bettafish:edge:Cdn"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("endpoint", "distribution_id", "waf_policy_id")

    endpoint: pulumi.Output[str]
    """Host name the CDN serves on."""
    distribution_id: pulumi.Output[str]
    waf_policy_id: pulumi.Output[str]

    def __init__(self, name: str, args: CdnArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args.context, opts)
