"""pulumiverse-time part of the fake cloud: timestamps from a fixed "now", so plans stay byte-identical."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pulumi

from bettafish.plan.fake_cloud.common import Computed, hex_digest

NOW = datetime(2026, 1, 1, tzinfo=UTC)
"""The fake cloud's clock: the provider takes the time of creation; a plan takes this instead."""


def time_state(args: pulumi.runtime.MockResourceArgs) -> Computed:
    inputs = args.inputs
    base = datetime.fromisoformat(str(inputs["baseRfc3339"])) if inputs.get("baseRfc3339") else NOW
    moment = base + timedelta(
        days=int(inputs.get("offsetDays", 0)),
        hours=int(inputs.get("offsetHours", 0)),
        minutes=int(inputs.get("offsetMinutes", 0)),
        seconds=int(inputs.get("offsetSeconds", 0)),
    )
    stamp = moment.strftime("%Y-%m-%dT%H:%M:%SZ")
    return hex_digest(args.name, length=8), {
        "baseRfc3339": base.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "rfc3339": stamp,
        "unix": int(moment.timestamp()),
        "year": moment.year,
        "month": moment.month,
        "day": moment.day,
        "hour": moment.hour,
        "minute": moment.minute,
        "second": moment.second,
    }
