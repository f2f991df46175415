"""The one place that wires components together, in dependency order."""

from __future__ import annotations

from typing import Any

from bettafish.config import StackConfig
from components import DeployContext, Vpc, VpcArgs
from providers import implementation


def build_platform(config: StackConfig) -> dict[str, Any]:
    """Create the platform for ``config.cloud`` and return the stack outputs to export."""
    context = DeployContext(
        identity=config.identity,
        cloud=config.cloud,
        provider=config.provider,
        protect_stateful=config.protect_stateful,
    )
    prefix = config.identity.prefix
    vpc = implementation(config.cloud, Vpc)(f"{prefix}-net", VpcArgs(network=config.network, context=context))
    return {
        "cloud": config.cloud,
        "networkId": vpc.network_id,
        "networkCidr": vpc.cidr,
        "zones": vpc.zones,
        "publicSubnetIds": vpc.public_subnet_ids,
        "privateSubnetIds": vpc.private_subnet_ids,
        "databaseSubnetIds": vpc.database_subnet_ids,
    }
