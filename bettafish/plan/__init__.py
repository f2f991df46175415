"""The offline plan: the real program under a recording engine, no CLI or credentials needed."""

from bettafish.plan.engine import RecordedResource, Recording, run_offline
from bettafish.plan.fake_cloud import FakeCloud
from bettafish.plan.project import ProjectError, StackFiles, find_project_root, read_stack

__all__ = [
    "FakeCloud",
    "ProjectError",
    "RecordedResource",
    "Recording",
    "StackFiles",
    "find_project_root",
    "read_stack",
    "run_offline",
]
