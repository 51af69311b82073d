"""Query filters as Arrow compute expressions over typed Parquet columns.

A filter is translated only where Arrow's result equals the shared
evaluator's (API.md §2) on that column's type; otherwise :func:`translate`
returns None and the planner leaves the filter to Python (the residual).
Every translated test is "present and true" (``is_valid(c) and test``), so
it is never null and a negative form is its exact complement.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping
from decimal import Decimal
from functools import cache, reduce
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc

from dataknobs_data.backends.file.formats.parquet_columns import ColumnSpec
from dataknobs_data.query.filters import And, Expression, Filter, Not, Or
from dataknobs_data.query.operators import Operator
from dataknobs_data.values.model import to_utc_instant

__all__ = ["translate"]

_ORDER: dict[Operator, Any] = {
    Operator.GT: lambda c, v: c > v,
    Operator.GTE: lambda c, v: c >= v,
    Operator.LT: lambda c, v: c < v,
    Operator.LTE: lambda c, v: c <= v,
}


@cache
def _false() -> Any:
    """The constant FALSE expression (built on first use: Arrow scalars import pandas)."""
    return pc.scalar(False)


_MAX_EXACT_FLOAT_INT = 1 << 53
_NUMERIC = ("int", "float")
# Which operand types can ever equal / order against values of each column kind.
_KIND_OF_OPERAND = {
    bool: "bool",
    str: "str",
    bytes: "bytes",
    dt.date: "date",
    dt.datetime: "datetime",
    int: "number",
    float: "number",
    Decimal: "number",
}
_COLUMN_FAMILY = {
    "bool": "bool",
    "int": "number",
    "float": "number",
    "str": "str",
    "bytes": "bytes",
    "date": "date",
    "ts": "datetime",
    "tsz": "datetime",
}


class _Unpushable(Exception):
    pass


def translate(expr: Expression | None, specs: Mapping[str, ColumnSpec]) -> Any:
    """The Arrow expression equal to ``expr``, or None if some part cannot be pushed."""
    if expr is None:
        return None
    try:
        return _expr(expr, specs)
    except _Unpushable:
        return None


def _expr(expr: Expression, specs: Mapping[str, ColumnSpec]) -> Any:
    if isinstance(expr, Filter):
        positive = _positive(expr.positive, specs)
        return ~positive if expr.is_negative else positive
    if isinstance(expr, And):
        return reduce(lambda a, b: a & b, (_expr(c, specs) for c in expr.children))
    if isinstance(expr, Or):
        return reduce(lambda a, b: a | b, (_expr(c, specs) for c in expr.children))
    assert isinstance(expr, Not)
    return ~_expr(expr.child, specs)


def _positive(f: Filter, specs: Mapping[str, ColumnSpec]) -> Any:
    if "." in f.field:
        raise _Unpushable
    spec = specs.get(f.field)
    op, operand = f.operator, f.value
    if spec is None or spec.kind == "null":
        return _false()  # every value is missing
    column: Any = pc.field(spec.column)
    present: Any = column.is_valid()
    if op is Operator.EXISTS:
        return present
    if op is Operator.EQ and operand is None:
        return column.is_null()
    if spec.kind == "json":
        raise _Unpushable
    if op is Operator.EQ:
        value = _operand(operand, spec, "eq")
        return _false() if value is None else present & (column == value)
    if op is Operator.IN:
        values = [_operand(v, spec, "eq") for v in operand if v is not None]
        kept = [v for v in values if v is not None]
        test = present & pc.is_in(column, pa.array(kept, spec.arrow_type)) if kept else _false()
        return test | column.is_null() if any(v is None for v in operand) else test
    if op in _ORDER:
        return _order(op, operand, spec, column, present)
    if op is Operator.BETWEEN:
        low = _order(Operator.GTE, operand[0], spec, column, present)
        high = _order(Operator.LTE, operand[1], spec, column, present)
        return low & high
    if spec.kind != "str":
        if op in (Operator.LIKE, Operator.ILIKE, Operator.REGEX, Operator.STARTS_WITH):
            return _false()  # string operators never match a non-string value
        if op is Operator.CONTAINS:
            return _false()  # a typed column holds no lists
        raise _Unpushable
    if op is Operator.STARTS_WITH:
        return present & pc.starts_with(column, pattern=operand)
    if op is Operator.LIKE and _plain_escapes(operand):
        return present & pc.match_like(column, pattern=operand)
    if op is Operator.CONTAINS:
        return _false()
    raise _Unpushable  # ILIKE (case folding) and REGEX (dialect) stay in Python


def _plain_escapes(pattern: str) -> bool:
    # Arrow and the evaluator agree on backslash escapes of %, _ and \ only.
    i = 0
    while i < len(pattern):
        if pattern[i] == "\\":
            if pattern[i + 1 : i + 2] not in ("%", "_", "\\"):
                return False
            i += 1
        i += 1
    return True


def _order(op: Operator, operand: Any, spec: ColumnSpec, column: Any, present: Any) -> Any:
    family = _KIND_OF_OPERAND.get(type(operand))
    if family not in ("number", "str", "date", "datetime"):
        raise _Unpushable
    if family != _COLUMN_FAMILY[spec.kind]:
        return _false()  # ordering only within one kind
    if spec.kind == "int" and type(operand) is not int:
        operand, op = _integer_bound(op, operand)
    value = _operand(operand, spec, "order")
    if value is None:
        raise _Unpushable
    return present & _ORDER[op](column, value)


def _integer_bound(op: Operator, operand: float | Decimal) -> tuple[int, Operator]:
    # x > 2.5 <=> x >= 3 over integers, and so on: compare ints with ints, exactly.
    if op in (Operator.GT, Operator.LTE):
        return math.floor(operand), op
    return math.ceil(operand), op


def _operand(value: Any, spec: ColumnSpec, use: str) -> Any:
    """``value`` as a scalar of the column's type, None if no value of the column equals it.

    Raises:
        _Unpushable: Arrow cannot compare it exactly.
    """
    tp = type(value)
    kind = spec.kind
    family = _KIND_OF_OPERAND.get(tp)
    if family is None:
        if use == "eq":
            return None  # lists, dicts never equal a typed value
        raise _Unpushable
    if family != _COLUMN_FAMILY[kind]:
        return None
    if kind == "int":
        if tp is not int:
            if tp is float and not value.is_integer():
                return None
            if tp is Decimal and value != value.to_integral_value():
                return None
            value = int(value)
        if not -(1 << 63) <= value < (1 << 63):
            raise _Unpushable
    elif kind == "float":
        if tp is int and abs(value) > _MAX_EXACT_FLOAT_INT:
            raise _Unpushable
        if tp is Decimal and Decimal(float(value)) != value:
            raise _Unpushable
        value = float(value)
    elif kind in ("ts", "tsz"):
        value = to_utc_instant(value)
        if kind == "ts":
            value = value.replace(tzinfo=None)
    return pa.scalar(value, spec.arrow_type)
