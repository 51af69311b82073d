"""The shared Python evaluator of the query language (API.md §2).

Every backend's native translation must agree with this module; the
conformance suite's differential test compares them. Backends also use it to
evaluate the residual of a query they cannot run natively.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from functools import lru_cache
from typing import Any

from dataknobs_data.query.filters import And, Expression, Filter, Not, Or
from dataknobs_data.query.operators import Operator
from dataknobs_data.query.query import SortOrder, SortSpec
from dataknobs_data.records import Record
from dataknobs_data.values.keys import equality_key, sort_key
from dataknobs_data.values.model import Kind, kind_of, to_utc_instant, values_equal

__all__ = [
    "Predicate",
    "compile_expression",
    "field_getter",
    "like_to_regex",
    "matches",
    "portable_regex",
    "project_record",
    "sort_records",
]

Predicate = Callable[[dict[str, Any]], bool]
_NUMBER_TYPES = frozenset({int, float, Decimal})


def field_getter(name: str) -> Callable[[dict[str, Any]], Any]:
    """Return a function reading field ``name`` (dotted: nested dicts) or None if missing."""
    if "." not in name:
        return lambda data: data.get(name)
    parts = name.split(".")

    def get(data: dict[str, Any]) -> Any:
        current: Any = data
        for part in parts:
            if type(current) is not dict:
                return None
            current = current.get(part)
            if current is None:
                return None
        return current

    return get


def like_to_regex(pattern: str) -> str:
    r"""Translate a LIKE pattern (``%``, ``_``, ``\`` escapes) to a full-match regex.

    Example:
        >>> like_to_regex("a%b_c")
        'a.*b.c'
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            out.append(re.escape(pattern[i + 1]))
            i += 2
            continue
        out.append(".*" if ch == "%" else "." if ch == "_" else re.escape(ch))
        i += 1
    return "".join(out)


@lru_cache(maxsize=256)
def portable_regex(pattern: str) -> re.Pattern[str]:
    r"""Compile a pattern of the portable subset with the semantics every backend shares.

    ``.`` matches any character (newline included) and ``$`` only the very end.
    """
    out: list[str] = []
    in_class = False
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\":
            out.append(pattern[i : i + 2])
            i += 2
            continue
        if in_class:
            in_class = ch != "]" or bool(out and out[-1] in ("[", "[^"))
            out.append(ch)
        elif ch == "[":
            in_class = True
            if pattern[i + 1 : i + 2] == "^":
                out.append("[^")
                i += 2
                continue
            out.append(ch)
        elif ch == "$":
            out.append(r"\Z")
        else:
            out.append(ch)
        i += 1
    return re.compile("".join(out), re.DOTALL)


def _order_test(op: Operator, operand: Any) -> Callable[[Any], bool]:
    kind = kind_of(operand)
    if kind is Kind.DATETIME:
        bound = to_utc_instant(operand)
        compare = _COMPARE[op]
        return lambda v: type(v) is dt.datetime and compare(to_utc_instant(v), bound)
    compare = _COMPARE[op]
    if kind is Kind.NUMBER:
        return lambda v: type(v) in _NUMBER_TYPES and compare(v, operand)
    expected = str if kind is Kind.STRING else dt.date
    return lambda v: type(v) is expected and compare(v, operand)


_COMPARE: dict[Operator, Callable[[Any, Any], bool]] = {
    Operator.GT: lambda a, b: bool(a > b),
    Operator.GTE: lambda a, b: bool(a >= b),
    Operator.LT: lambda a, b: bool(a < b),
    Operator.LTE: lambda a, b: bool(a <= b),
}


def _eq_test(operand: Any) -> Callable[[Any], bool]:
    if operand is None:
        return lambda v: v is None
    tp = type(operand)
    if tp is str:
        return lambda v: type(v) is str and v == operand
    if tp is bool:
        return lambda v: type(v) is bool and v is operand
    if tp is int and not isinstance(operand, bool):
        return lambda v: type(v) in _NUMBER_TYPES and v == operand
    return lambda v: v is not None and values_equal(v, operand)


def _in_test(operands: Sequence[Any]) -> Callable[[Any], bool]:
    want_null = any(o is None for o in operands)
    keys = frozenset(equality_key(o) for o in operands if o is not None)
    if all(type(o) is str for o in operands):
        strings = frozenset(operands)
        return lambda v: type(v) is str and v in strings
    return lambda v: (v is None and want_null) or (v is not None and equality_key(v) in keys)


def _positive_test(f: Filter) -> Callable[[Any], bool]:
    op, operand = f.operator, f.value
    if op is Operator.EQ:
        return _eq_test(operand)
    if op is Operator.IN:
        return _in_test(operand)
    if op in _COMPARE:
        return _order_test(op, operand)
    if op is Operator.BETWEEN:
        low = _order_test(Operator.GTE, operand[0])
        high = _order_test(Operator.LTE, operand[1])
        return lambda v: low(v) and high(v)
    if op is Operator.LIKE:
        like = re.compile(like_to_regex(operand), re.DOTALL)
        return lambda v: type(v) is str and like.fullmatch(v) is not None
    if op is Operator.ILIKE:
        ilike = re.compile(like_to_regex(operand.lower()), re.DOTALL)
        return lambda v: type(v) is str and ilike.fullmatch(v.lower()) is not None
    if op is Operator.REGEX:
        rx = portable_regex(operand)
        return lambda v: type(v) is str and rx.search(v) is not None
    if op is Operator.STARTS_WITH:
        return lambda v: type(v) is str and v.startswith(operand)
    if op is Operator.CONTAINS:
        return lambda v: (
            type(v) is list and any(item is not None and values_equal(item, operand) for item in v)
        )
    if op is Operator.EXISTS:
        return lambda v: v is not None
    raise AssertionError(f"no evaluator for {op}")  # pragma: no cover


def _compile_filter(f: Filter) -> Predicate:
    get = field_getter(f.field)
    test = _positive_test(f.positive)
    if f.is_negative:
        return lambda data: not test(get(data))
    if "." not in f.field:
        name = f.field
        return lambda data: test(data.get(name))
    return lambda data: test(get(data))


def compile_expression(expr: Expression | None) -> Predicate:
    """Compile an expression to a predicate over a record's data dict."""
    if expr is None:
        return lambda data: True
    if isinstance(expr, Filter):
        return _compile_filter(expr)
    if isinstance(expr, And):
        parts = [compile_expression(c) for c in expr.children]
        if len(parts) == 2:
            a, b = parts
            return lambda data: a(data) and b(data)
        return lambda data: all(p(data) for p in parts)
    if isinstance(expr, Or):
        alts = [compile_expression(c) for c in expr.children]
        return lambda data: any(p(data) for p in alts)
    assert isinstance(expr, Not)
    inner = compile_expression(expr.child)
    return lambda data: not inner(data)


def matches(record: Record, expr: Expression | None) -> bool:
    """Tell whether ``record`` satisfies ``expr``."""
    return compile_expression(expr)(record.data)


# Missing/null sort last in both directions: a key above every real key when
# ascending, below every real key when descending (reverse sort flips it last).
_LAST_ASC = "\U0010ffff\U0010ffff"
_LAST_DESC = ""


def sort_records(records: list[Record], specs: Sequence[SortSpec]) -> list[Record]:
    """Sort in place by ``specs`` (missing/null last), ties broken by id ascending."""
    records.sort(key=lambda r: r.id or "")
    for spec in reversed(specs):
        get = field_getter(spec.field)
        descending = spec.order is SortOrder.DESC
        missing = _LAST_DESC if descending else _LAST_ASC

        def key(r: Record, get: Callable[[dict[str, Any]], Any] = get, m: str = missing) -> str:
            value = get(r.data)
            return m if value is None else sort_key(value)

        records.sort(key=key, reverse=descending)
    return records


def project_record(record: Record, names: Iterable[str]) -> Record:
    """Keep only the named fields (dotted names keep that nested path)."""
    data: dict[str, Any] = {}
    source = record.data
    for name in names:
        if name in source:
            data[name] = source[name]
        elif "." in name:
            value = field_getter(name)(source)
            if value is None and not _path_present(source, name):
                continue
            parts = name.split(".")
            target = data
            for part in parts[:-1]:
                target = target.setdefault(part, {})
            target[parts[-1]] = value
    return Record._trusted(data, record.id, record.metadata)


def _path_present(data: dict[str, Any], name: str) -> bool:
    current: Any = data
    for part in name.split("."):
        if type(current) is not dict or part not in current:
            return False
        current = current[part]
    return True
