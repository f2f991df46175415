"""Wall time and peak memory of the offline plan, per stack and cloud, printed as a table.

Each measurement runs in a fresh interpreter so that one cloud's SDK import is counted once and
never leaks into another's. Run with ``make bench``.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STACKS = ("prod", "staging")
CLOUDS = ("aws", "gcp", "azure")

_MEASURE = """
import json, resource, time, pathlib
start = time.perf_counter()
from bettafish.cli import plan
imported = time.perf_counter()
recording, _ = plan(pathlib.Path("."), {stack!r}, {cloud!r})
done = time.perf_counter()
print(json.dumps({{
    "import_s": imported - start,
    "plan_s": done - imported,
    "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "resources": sum(1 for r in recording.resources if r.custom),
}}))
"""


def measure(stack: str, cloud: str) -> dict[str, float]:
    result = subprocess.run(
        [sys.executable, "-c", _MEASURE.format(stack=stack, cloud=cloud)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    figures: dict[str, float] = json.loads(result.stdout)
    return figures


def main() -> None:
    print(f"{'stack':<8} {'cloud':<6} {'resources':>9} {'import s':>9} {'plan s':>7} {'peak MiB':>9}")
    for stack in STACKS:
        for cloud in CLOUDS:
            m = measure(stack, cloud)
            print(
                f"{stack:<8} {cloud:<6} {int(m['resources']):>9} {m['import_s']:>9.2f} "
                f"{m['plan_s']:>7.2f} {m['peak_mib']:>9.0f}"
            )


if __name__ == "__main__":
    main()
