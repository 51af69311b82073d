"""Filter expressions: conditions combined with ``&``, ``|`` and ``~``.

A :class:`Filter` checks one field; :class:`And`, :class:`Or` and :class:`Not`
combine expressions. Filters validate their value when built, so a malformed
query fails before it reaches a backend.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Union

from dataknobs_data.errors import QueryError, ValidationError
from dataknobs_data.query.operators import NEGATION, Operator, parse_operator
from dataknobs_data.values.model import Kind, check_value, kind_of

__all__ = ["And", "Expression", "Filter", "Not", "Or", "conjuncts"]

_ORDERED_KINDS = frozenset({Kind.NUMBER, Kind.STRING, Kind.DATE, Kind.DATETIME})
_STRING_OPS = frozenset({Operator.LIKE, Operator.ILIKE, Operator.REGEX, Operator.STARTS_WITH})
_ORDER_OPS = frozenset({Operator.GT, Operator.GTE, Operator.LT, Operator.LTE})
_NO_VALUE_OPS = frozenset({Operator.EXISTS, Operator.NOT_EXISTS})
_LIST_OPS = frozenset({Operator.IN, Operator.NOT_IN})
_RANGE_OPS = frozenset({Operator.BETWEEN, Operator.NOT_BETWEEN})

# The portable regex subset: literals, . * + ? [...] | ( ) ^ $ and escaped metacharacters.
_REGEX_ESCAPABLE = set(".*+?[](){}|^$\\/-")
_REGEX_FORBIDDEN = re.compile(r"\{|\(\?")


class _Combinable:
    def __and__(self, other: Expression) -> And:
        return And((self, other))  # type: ignore[arg-type]

    def __or__(self, other: Expression) -> Or:
        return Or((self, other))  # type: ignore[arg-type]

    def __invert__(self) -> Not:
        return Not(self)  # type: ignore[arg-type]


@dataclass(frozen=True, eq=True)
class Filter(_Combinable):
    """A condition on one field: ``Filter("age", ">=", 30)``.

    Args:
        field: The field name; a dotted path reaches into nested dicts.
        operator: An :class:`Operator` or its string form.
        value: The operand; its shape depends on the operator (a list for IN, a
            ``[low, high]`` pair for BETWEEN, nothing for EXISTS).

    Raises:
        QueryError: Unknown operator, or a value of the wrong shape or kind.

    Example:
        >>> f = Filter("age", ">=", 30) & ~Filter("tags", "contains", "x")
        >>> type(f).__name__
        'And'
    """

    field: str
    operator: Operator
    value: Any = None

    def __init__(self, field: str, operator: Operator | str, value: Any = None) -> None:
        if not isinstance(field, str) or not field:
            raise QueryError(f"a filter needs a field name, got {field!r}")
        op = parse_operator(operator)
        object.__setattr__(self, "field", field)
        object.__setattr__(self, "operator", op)
        object.__setattr__(self, "value", _normalise_value(field, op, value))

    @property
    def path(self) -> tuple[str, ...]:
        """The field name split on dots."""
        return tuple(self.field.split("."))

    @property
    def positive(self) -> Filter:
        """The positive form of a negative filter (``NE`` -> ``EQ``); itself otherwise."""
        base = NEGATION.get(self.operator)
        return self if base is None else Filter(self.field, base, self.value)

    @property
    def is_negative(self) -> bool:
        """Whether the operator is the complement of another one."""
        return self.operator in NEGATION

    def __hash__(self) -> int:
        return hash((self.field, self.operator, repr(self.value)))


def _normalise_value(field: str, op: Operator, value: Any) -> Any:
    where = f"filter {field!r} {op.value}"
    try:
        if op in _NO_VALUE_OPS:
            return None
        if op in _LIST_OPS:
            if isinstance(value, str | bytes | dict) or not isinstance(value, Iterable):
                raise QueryError(f"{where}: needs a list of values, got {value!r}")
            items = list(value)
            for item in items:
                check_value(item, field)
            return tuple(items)
        if op in _RANGE_OPS:
            if isinstance(value, str | bytes | dict) or not isinstance(value, Iterable):
                raise QueryError(f"{where}: needs [low, high], got {value!r}")
            pair = list(value)
            if len(pair) != 2:
                raise QueryError(f"{where}: needs exactly [low, high], got {value!r}")
            low, high = (_ordered(where, v) for v in pair)
            if kind_of(low) is not kind_of(high):
                raise QueryError(f"{where}: low and high must be of one kind, got {value!r}")
            return (low, high)
        if op in _ORDER_OPS:
            return _ordered(where, value)
        positive = NEGATION.get(op, op)
        if positive in _STRING_OPS:
            if not isinstance(value, str):
                raise QueryError(f"{where}: needs a string pattern, got {value!r}")
            if positive is Operator.REGEX:
                _check_regex(where, value)
            return value
        check_value(value, field)
        if isinstance(value, tuple):
            return list(value)
        return value
    except ValidationError as exc:
        raise QueryError(f"{where}: {exc}") from None


def _ordered(where: str, value: Any) -> Any:
    if kind_of(value) not in _ORDERED_KINDS:
        raise QueryError(
            f"{where}: ordering compares numbers, strings, dates or datetimes; got {value!r}"
        )
    check_value(value)
    return value


def _check_regex(where: str, pattern: str) -> None:
    if _REGEX_FORBIDDEN.search(pattern.replace("\\{", "").replace("\\(", "")):
        raise QueryError(
            f"{where}: {pattern!r} uses syntax outside the portable regex subset "
            "(literals, . * + ? [...] | ( ) ^ $); counted repetition {n} and (?...) "
            "groups are not portable"
        )
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            nxt = pattern[i + 1 : i + 2]
            if nxt not in _REGEX_ESCAPABLE:
                raise QueryError(
                    f"{where}: escape \\{nxt} is outside the portable regex subset; "
                    "only metacharacters may be escaped (use [0-9] for \\d)"
                )
            i += 2
            continue
        i += 1
    try:
        re.compile(pattern)
    except re.error as exc:
        raise QueryError(f"{where}: invalid regular expression: {exc}") from None


@dataclass(frozen=True)
class And(_Combinable):
    """All of ``children`` match."""

    children: tuple[Expression, ...]

    def __init__(self, children: Iterable[Expression]) -> None:
        flat: list[Expression] = []
        for child in children:
            _check_expression(child)
            flat.extend(child.children if isinstance(child, And) else (child,))
        object.__setattr__(self, "children", tuple(flat))


@dataclass(frozen=True)
class Or(_Combinable):
    """Any of ``children`` matches."""

    children: tuple[Expression, ...]

    def __init__(self, children: Iterable[Expression]) -> None:
        flat: list[Expression] = []
        for child in children:
            _check_expression(child)
            flat.extend(child.children if isinstance(child, Or) else (child,))
        object.__setattr__(self, "children", tuple(flat))


@dataclass(frozen=True)
class Not(_Combinable):
    """``child`` does not match (missing and null values included)."""

    child: Expression

    def __init__(self, child: Expression) -> None:
        _check_expression(child)
        object.__setattr__(self, "child", child)


Expression = Union[Filter, And, Or, Not]  # noqa: UP007 - used at runtime in isinstance


def _check_expression(value: object) -> None:
    if not isinstance(value, Filter | And | Or | Not):
        raise QueryError(f"expected a Filter or a combination of filters, got {value!r}")


def conjuncts(expr: Expression | None) -> list[Expression]:
    """Split an expression into the parts that must all hold."""
    if expr is None:
        return []
    if isinstance(expr, And):
        return list(expr.children)
    return [expr]
