"""Logs of one kind routed out of the project's ``_Default`` bucket into a log bucket of their own,
kept the configured number of days and encrypted with the stack's ``logs`` key (security rule 39).

- The bucket id carries a random suffix made once per lifetime of the stack: Cloud Logging keeps
  a deleted bucket for 7 days and refuses its id meanwhile, so a staging destroyed and brought up
  again would otherwise fail on ``bucket already exists``.
- CMEK: the key must be in the bucket's location (the stack's region, where the key ring is), and
  Cloud Logging's service account must hold the key first (``GcpKeys.logs_ready``). CMEK cannot be
  removed from a bucket later.
- The sink writes into a bucket of its own project, which needs no grant to its writer identity.
- The exclusion keeps the same entries out of ``_Default`` (30 days, Google's keys), where they
  would otherwise be stored (and billed) a second time. Admin Activity audit logs go to
  ``_Required`` regardless.
"""

from __future__ import annotations

import pulumi
import pulumi_gcp as gcp
import pulumi_random as random

from components.base import NeutralComponent
from providers.gcp.keys import GcpKeys

SUFFIX_BYTES = 4
"""Eight hex characters after the logical name."""


def routed_logs(
    parent: NeutralComponent,
    name: str,
    *,
    project: str,
    region: str,
    retention_days: int,
    log_filter: pulumi.Input[str],
    keys: GcpKeys,
    description: str,
) -> gcp.logging.ProjectBucketConfig:
    """A log bucket ``<name>-<suffix>`` in ``region`` keeping what ``log_filter`` matches for
    ``retention_days``, its sink, and the exclusion from ``_Default``. The bucket is stateful
    (protected in prod): it holds the evidence the logs are kept for."""
    suffix = random.RandomId(f"{name}-id", byte_length=SUFFIX_BYTES, opts=parent.child())
    bucket = gcp.logging.ProjectBucketConfig(
        name,
        project=project,
        location=region,
        bucket_id=pulumi.Output.concat(name, "-", suffix.hex),
        retention_days=retention_days,
        cmek_settings={"kms_key_name": keys.keys["logs"].id},
        description=f"{description}, kept {retention_days} days",
        opts=parent.child(stateful=True, depends_on=keys.logs_ready),
    )
    # The bucket's id is its resource name, projects/P/locations/L/buckets/B.
    sink = gcp.logging.ProjectSink(
        name,
        project=project,
        destination=pulumi.Output.concat("logging.googleapis.com/", bucket.id),
        filter=log_filter,
        unique_writer_identity=True,
        description=f"Routes {description} to their retention bucket",
        opts=parent.child(),
    )
    gcp.logging.ProjectExclusion(
        name,
        project=project,
        filter=log_filter,
        description=f"{description} live in their own retention bucket",
        # Excluded from _Default only once the sink routes them, so no entry is dropped on the way.
        opts=parent.child(depends_on=[sink]),
    )
    return bucket
