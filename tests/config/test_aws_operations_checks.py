"""What CloudWatch and AWS Budgets cannot honour in ``bettafish:monitoring`` and ``bettafish:budget``
is refused on AWS, naming the key (Slack among them)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.config.test_loader import problems, set_path
from tests.mocks import edited, load, stack_values


def aws_with(section: str, path: list[Any], value: Any, cloud: str = "aws") -> dict[str, str]:
    values = stack_values("prod", cloud)
    return edited(values, f"bettafish:{section}", set_path(path, value))


def test_slack_is_refused_on_aws_and_the_stack_files_keep_aws_to_email() -> None:
    assert load(stack_values("prod", "aws")).budget.notification_channels == ["email"]
    values = aws_with("cloudOverrides", ["aws", "budget", "notificationChannels"], ["email", "slack"])
    (issue,) = problems(values)
    assert issue.startswith("bettafish:budget.notificationChannels: aws: Slack needs AWS Chatbot")


@pytest.mark.parametrize(
    ("section", "path", "value", "expected"),
    [
        (
            "budget",
            ["thresholdPercents"],
            [50, 80, 100],
            "bettafish:budget.thresholdPercents: aws: an AWS budget holds 5 notifications, and each threshold takes"
            " two (actual and forecast spend): at most 2 thresholds",
        ),
        (
            "monitoring",
            ["notificationEmails"],
            [],
            "bettafish:monitoring.notificationEmails: aws: the alarms' SNS topic and the budget's notifications need"
            " at least one address",
        ),
        (
            "monitoring",
            ["notificationEmails"],
            [f"ops{i}@example.com" for i in range(11)],
            "bettafish:monitoring.notificationEmails: aws: an AWS Budgets notification e-mails at most 10 addresses",
        ),
        (
            "monitoring",
            ["alarms", 0, "evaluationPeriods"],
            300,
            "bettafish:monitoring.alarms[0].evaluationPeriods: aws: a CloudWatch alarm evaluates at most one day"
            " (periodSeconds x evaluationPeriods)",
        ),
        (
            "monitoring",
            ["customMetrics", 0, "namespace"],
            "AWS/BettaFish",
            "bettafish:monitoring.customMetrics[0].namespace: aws: CloudWatch reserves namespaces starting with AWS/"
            " for AWS services",
        ),
    ],
)
def test_what_aws_cannot_honour_is_refused_naming_the_key(
    section: str, path: list[Any], value: Any, expected: str
) -> None:
    assert problems(aws_with(section, path, value)) == [expected]


def test_other_clouds_are_not_judged_by_aws_limits() -> None:
    load(aws_with("monitoring", ["customMetrics", 0, "namespace"], "AWS/BettaFish", cloud="gcp"))
