"""The small expression language of the price files: how a resource's recorded inputs become a
quantity and a unit price, so that pricing a new resource type is a row of data, not code.

An expression is a Python expression restricted to arithmetic, comparisons, ``and``/``or``/``not``,
``x if c else y``, literals, lists, names, attribute and index access, and calls to the functions
the caller provides. Attribute access reads a mapping's key (``inputs.scalingConfig.desiredSize``);
a key the mapping lacks reads as ``None`` (the recorded inputs omit what the program left unset), so
``inputs.allocatedStorage or config.database.storage.sizeGb`` gives a default. Nothing else of
Python is reachable: no imports, no dunder attributes, no comprehensions, no assignments.
"""

from __future__ import annotations

import ast
import operator
import string
from collections.abc import Callable, Mapping
from functools import cache
from typing import Any

_BINARY: dict[type[ast.operator], Callable[[Any, Any], Any]] = {
    ast.Add: operator.add,
    ast.Sub: operator.sub,
    ast.Mult: operator.mul,
    ast.Div: operator.truediv,
    ast.FloorDiv: operator.floordiv,
    ast.Mod: operator.mod,
}
_COMPARE: dict[type[ast.cmpop], Callable[[Any, Any], bool]] = {
    ast.Eq: operator.eq,
    ast.NotEq: operator.ne,
    ast.Lt: operator.lt,
    ast.LtE: operator.le,
    ast.Gt: operator.gt,
    ast.GtE: operator.ge,
    ast.In: lambda a, b: a in b,
    ast.NotIn: lambda a, b: a not in b,
}


class ExpressionError(ValueError):
    """An expression is not in the language, or failed on the values it was given."""


@cache
def compile_expression(source: str) -> ast.expr:
    """Parse ``source`` once and check that it uses only the language's constructs."""
    try:
        tree = ast.parse(source.strip(), mode="eval").body
    except SyntaxError as exc:
        raise ExpressionError(f"{source!r} is not an expression: {exc.msg}") from None
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise ExpressionError(f"{source!r}: private attribute {node.attr!r}")
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(f"{source!r}: {type(node).__name__} is not allowed in a price expression")
        if isinstance(node, ast.Call) and (node.keywords or not isinstance(node.func, ast.Name)):
            raise ExpressionError(f"{source!r}: only plain calls of provided functions are allowed")
    return tree


_ALLOWED = (
    ast.Expression,
    ast.BinOp,
    ast.UnaryOp,
    ast.BoolOp,
    ast.Compare,
    ast.IfExp,
    ast.Constant,
    ast.Name,
    ast.Attribute,
    ast.Subscript,
    ast.Call,
    ast.List,
    ast.Tuple,
    ast.Load,
    ast.And,
    ast.Or,
    ast.Not,
    ast.USub,
    *_BINARY,
    *_COMPARE,
)


def evaluate(source: str, names: Mapping[str, Any]) -> Any:
    """The value of ``source`` with ``names`` bound (values, mappings, lists and functions)."""
    try:
        return _eval(compile_expression(source), names)
    except ExpressionError:
        raise
    except (TypeError, ValueError, KeyError, IndexError, ZeroDivisionError) as exc:
        raise ExpressionError(f"{source!r}: {type(exc).__name__}: {exc}") from None


def render(template: str, names: Mapping[str, Any]) -> str:
    """``template`` with each ``{expression}`` or ``{expression:format}`` replaced by its value."""
    out: list[str] = []
    for literal, field, spec, _ in string.Formatter().parse(template):
        out.append(literal)
        if field is not None:
            out.append(format(evaluate(field, names), spec or ""))
    return "".join(out)


def _member(value: Any, key: Any) -> Any:
    if value is None:
        return None
    if isinstance(value, Mapping):
        return value.get(key)
    if isinstance(value, list | tuple | str):
        return value[key]
    raise ExpressionError(f"cannot read {key!r} of a {type(value).__name__}")


def _eval(node: ast.expr, names: Mapping[str, Any]) -> Any:
    match node:
        case ast.Constant(value=value):
            return value
        case ast.Name(id=name):
            if name not in names:
                raise ExpressionError(f"unknown name {name!r}")
            return names[name]
        case ast.Attribute(value=inner, attr=attr):
            return _member(_eval(inner, names), attr)
        case ast.Subscript(value=inner, slice=index):
            return _member(_eval(inner, names), _eval(index, names))
        case ast.List(elts=items) | ast.Tuple(elts=items):
            return [_eval(item, names) for item in items]
        case ast.BinOp(left=left, op=op, right=right):
            return _BINARY[type(op)](_eval(left, names), _eval(right, names))
        case ast.UnaryOp(op=ast.USub(), operand=operand):
            return -_eval(operand, names)
        case ast.UnaryOp(op=ast.Not(), operand=operand):
            return not _eval(operand, names)
        case ast.BoolOp(op=ast.And(), values=values):
            result: Any = True
            for value_node in values:
                result = _eval(value_node, names)
                if not result:
                    return result
            return result
        case ast.BoolOp(values=values):
            result = False
            for value_node in values:
                result = _eval(value_node, names)
                if result:
                    return result
            return result
        case ast.Compare(left=left, ops=ops, comparators=comparators):
            current = _eval(left, names)
            for test, comparator in zip(ops, comparators, strict=True):
                other = _eval(comparator, names)
                if not _COMPARE[type(test)](current, other):
                    return False
                current = other
            return True
        case ast.IfExp(test=test, body=body, orelse=orelse):
            return _eval(body, names) if _eval(test, names) else _eval(orelse, names)
        case ast.Call(func=ast.Name(id=name), args=args):
            function = names.get(name)
            if not callable(function):
                raise ExpressionError(f"{name!r} is not a function")
            return function(*[_eval(arg, names) for arg in args])
    raise ExpressionError(f"{type(node).__name__} is not allowed in a price expression")
