"""The price files' expression language: what it evaluates, and everything of Python it refuses."""

from __future__ import annotations

from typing import Any

import pytest

from bettafish.cost.expressions import ExpressionError, evaluate, render

INPUTS: dict[str, Any] = {
    "scalingConfig": {"desiredSize": 6, "maxSize": 13},
    "instanceTypes": ["t3.large", "m5.large"],
    "labels": {"bettafish.io/pool": "general"},
    "multiAz": True,
}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("inputs.scalingConfig.desiredSize * hours", 6 * 730),
        ("inputs.instanceTypes[0]", "t3.large"),
        ("inputs.labels['bettafish.io/pool']", "general"),
        ("inputs.allocatedStorage", None),
        ("inputs.allocatedStorage or 1000", 1000),
        ("inputs.missing.deeper", None),
        ("2 if inputs.multiAz else 1", 2),
        ("inputs.scalingConfig.maxSize - inputs.scalingConfig.desiredSize", 7),
        ("365 // 90 + 1", 5),
        ("-hours / 2", -365),
        ("1 < inputs.scalingConfig.desiredSize <= 6", True),
        ("'t3.large' in inputs.instanceTypes and not inputs.missing", True),
        ("twice(hours)", 1460),
        ("len([1, 2, 3])", 3),
    ],
)
def test_evaluates(source: str, expected: Any) -> None:
    assert evaluate(source, {"inputs": INPUTS, "hours": 730, "twice": lambda x: 2 * x, "len": len}) == expected


@pytest.mark.parametrize(
    "source",
    [
        "__import__('os').system('true')",
        "inputs.__class__",
        "[x for x in inputs]",
        "lambda: 1",
        "(y := 1)",
        "f(x=1)",
        "inputs.keys()",
        "{'a': 1}",
        "hours[0:1]",
    ],
)
def test_refuses_what_is_not_in_the_language(source: str) -> None:
    with pytest.raises(ExpressionError):
        evaluate(source, {"inputs": INPUTS, "hours": 730, "f": print})


def test_unknown_names_and_bad_arithmetic_are_errors_naming_the_expression() -> None:
    with pytest.raises(ExpressionError, match="unknown name 'nodes'"):
        evaluate("nodes * 2", {})
    with pytest.raises(ExpressionError, match=r"'inputs.allocatedStorage \* 2': TypeError"):
        evaluate("inputs.allocatedStorage * 2", {"inputs": INPUTS})


def test_templates_format_each_field() -> None:
    text = render(
        "{inputs.scalingConfig.desiredSize} x {inputs.instanceTypes[0]} for {hours * 0.0832:,.2f}",
        {
            "inputs": INPUTS,
            "hours": 730,
        },
    )
    assert text == "6 x t3.large for 60.74"
