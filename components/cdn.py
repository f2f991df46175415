"""The edge: CDN, WAF, managed TLS certificate and the API's public names."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

import pulumi

from bettafish.config.edge import Edge
from bettafish.config.services import HealthCheck
from components.base import DeployContext, NeutralComponent
from components.dns import Dns
from components.keys import Keys
from components.object_store import ObjectStore
from components.workloads import Workloads


@dataclass(frozen=True)
class CdnArgs:
    edge: Edge
    dns: Dns
    """The public zone: certificate validation, the API and CDN records, CAA."""
    workloads: Workloads
    """The origin: ``origin_host`` (HTTPS, certificate for that name) and the cloud's ingress handles."""
    health_check: HealthCheck
    """The API gateway's, for the CDN's origin probe."""
    keys: Keys
    store: ObjectStore
    """The logs bucket, where the WAF's and the CDN's logs may go."""
    log_retention_days: int
    """``monitoring.logRetention.loadBalancerDays``."""
    context: DeployContext


class Cdn(NeutralComponent):
    """``bettafish:edge:Cdn`` (CloudFront + WAF, Cloud CDN + Cloud Armor, Front Door + WAF)."""

    TYPE: ClassVar[str] = "bettafish:edge:Cdn"
    OUTPUTS: ClassVar[tuple[str, ...]] = ("endpoint", "distribution_id", "waf_policy_id", "api_url")

    endpoint: pulumi.Output[str]
    """Host name the CDN serves on (its own, before the custom domain)."""
    distribution_id: pulumi.Output[str]
    waf_policy_id: pulumi.Output[str]
    api_url: pulumi.Output[str]
    """``https://api.<zone>``: the API as clients call it, through the CDN."""

    def __init__(self, name: str, args: CdnArgs, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__(name, args.context, opts)
