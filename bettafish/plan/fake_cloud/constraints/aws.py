"""AWS: what the real APIs refuse that the SDK's types allow (see the package docstring), by area:
network, keys and logs (``aws_network``), databases, caches and backups (``aws_database``), object
storage (``aws_storage``)."""

from __future__ import annotations

from bettafish.plan.fake_cloud.constraints import Constraint, aws_database, aws_network, aws_storage

CONSTRAINTS: tuple[Constraint, ...] = (
    *aws_network.CONSTRAINTS,
    *aws_database.CONSTRAINTS,
    *aws_storage.CONSTRAINTS,
)
