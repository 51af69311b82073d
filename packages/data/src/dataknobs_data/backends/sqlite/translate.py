"""Query -> SQL for the SQLite backend; I/O-free, shared by both faces.

Each record is one row whose ``data`` column is a JSON object (see
:mod:`.storage`). A filter on field ``f`` reads three native expressions:

* ``T = json_type(data, '$."f"')``: the JSON kind (NULL when missing),
* ``V = json_extract(data, '$."f"')``: the SQL value (JSON text for arrays
  and objects, hence for the codec's tags such as ``{"$date":"2024-05-01"}``),
* ``R = data -> '$."f"'``: the value's exact JSON text.

Every comparison first pins the operand's kind with ``T`` (so ``'n/a' > 25`` is
false), then compares ``V`` natively wherever SQLite is exact: integers of 64
bits and floats (exact mixed comparison), strings (binary collation = code
point order), dates and bytes (tag texts), datetimes (tag texts normalised to
naive UTC). Values SQLite cannot compare exactly go through
:func:`~dataknobs_data.backends.sqlite.functions.dk_match`, the shared
evaluator, but only for the rows that hold them: Decimal tags, strings with
U+0000 (``json_extract`` stops at it), lists and dicts, and operands beyond
64 bits. Those branches carry an index-usable bound on ``V`` too, so an index
on ``V`` (``create_index``) still serves the whole predicate.

Negative forms are ``NOT IFNULL(positive, 0)``: SQL's NULL never leaks into a
complement. Values are always parameters (``?NNN``); field names become
quoted JSON-path literals, and names that cannot be written as one are
evaluated in Python (see :func:`pushable_path`).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from dataknobs_data import codec
from dataknobs_data.backends.sqlite.functions import match_spec
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.query.filters import And, Expression, Filter, Not, Or
from dataknobs_data.query.operators import Operator
from dataknobs_data.query.query import SortOrder, SortSpec
from dataknobs_data.values.model import Kind, kind_of, to_utc_instant

__all__ = [
    "SqlBuilder",
    "count_sql",
    "index_expression",
    "like_to_glob",
    "pushable_path",
    "select_sql",
    "where_sql",
]

_NUL = "'\\u0000'"  # the six characters JSON text uses for U+0000
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1
_SQL_OP = {Operator.GT: ">", Operator.GTE: ">=", Operator.LT: "<", Operator.LTE: "<="}
_LOWER_BOUND = frozenset({Operator.GT, Operator.GTE})
_TAG_KINDS = frozenset({Kind.DATE, Kind.BINARY})


class SqlBuilder:
    """Collects parameters while SQL text is generated (``?1``, ``?2``, ...)."""

    def __init__(self) -> None:
        self.params: list[Any] = []

    def bind(self, value: Any) -> str:
        """Add a parameter and return its placeholder."""
        self.params.append(value)
        return f"?{len(self.params)}"


@dataclass(frozen=True)
class _Slot:
    """Where a value sits: a record field, or an element inside ``json_each``."""

    t: str
    v: str
    r: str | None = None  # exact JSON text; None inside json_each (no Python fallback)
    path: str = ""

    @property
    def is_field(self) -> bool:
        return self.r is not None


_ELEMENT = _Slot(t="je.type", v="je.value")


def pushable_path(field: str) -> bool:
    r"""Whether ``field`` can be written as a JSON path SQLite resolves like the evaluator.

    Parts may not be empty or hold ``"``, ``\`` or control characters (SQLite
    compares path labels with the raw JSON text), and parts after the first may
    not start with ``$`` (such a path would reach into a codec tag or ``$dict``
    escape, which the evaluator sees as a value, not a dict).
    """
    for index, part in enumerate(field.split(".")):
        if not part or '"' in part or "\\" in part or min(part) < " ":
            return False
        if index and part.startswith("$"):
            return False
    return True


def _field_slot(field: str) -> _Slot:
    path = "$" + "".join(f'."{part}"' for part in field.split("."))
    literal = "'" + path.replace("'", "''") + "'"
    return _Slot(
        t=f"json_type(data, {literal})",
        v=f"json_extract(data, {literal})",
        r=f"(data -> {literal})",
        path=literal,
    )


def index_expression(field: str) -> str:
    """The expression filters on ``field`` compare (``V``); an index on it serves them."""
    return _field_slot(field).v


def _tag_prefix_range(v: str, tag: str) -> str:
    # Every text of tag "$x" starts with '{"$x":' and sorts below '{"$x";'.
    return f"{v} >= '{{\"{tag}\":' AND {v} < '{{\"{tag}\";'"


def _decimal_rows(s: _Slot) -> str:
    # A comma would mean a dict with more members, which is never a tag.
    return f"{_tag_prefix_range(s.v, '$decimal')} AND {s.t} = 'object' AND instr({s.v}, ',') = 0"


def _has_nul() -> str:
    return f"instr(data, {_NUL}) > 0"


def _bindable_number(value: Any) -> int | float | None:
    """The operand as an int64 or float SQLite compares exactly with every stored number.

    Stored integers beyond 64 bits read back as floats of magnitude >= 2**63;
    they still compare correctly with any operand below 2**63 in magnitude.
    """
    if type(value) is int:
        return value if _INT64_MIN <= value <= _INT64_MAX else None
    if type(value) is float:
        return value if abs(value) < 2.0**63 else None
    assert type(value) is Decimal
    if value == value.to_integral_value():
        whole = int(value)
        return whole if _INT64_MIN <= whole <= _INT64_MAX else None
    near = float(value)
    return near if Decimal(near) == value and abs(near) < 2.0**63 else None


def _datetime_texts(value: dt.datetime) -> tuple[str, str]:
    naive = to_utc_instant(value).replace(tzinfo=None).isoformat()
    return naive, naive + "+00:00"


def _datetime_instant(v: str) -> str:
    # '{"$datetime":"<iso>"}' -> '<iso>' without the '+00:00' that aware values carry.
    return f"replace(substr({v}, 15, length({v}) - 16), '+00:00', '')"


# -- equality and membership ------------------------------------------------------


def _members(s: _Slot, values: Sequence[Any], b: SqlBuilder) -> str:
    """``value == any of values``, exact for every kind."""
    parts: list[str] = []
    by_kind: dict[Kind, list[Any]] = {}
    for value in values:
        by_kind.setdefault(kind_of(value), []).append(value)
    if Kind.NULL in by_kind:
        parts.append(f"IFNULL({s.t}, 'null') = 'null'")
    if Kind.BOOLEAN in by_kind:
        types = sorted({"true" if v else "false" for v in by_kind[Kind.BOOLEAN]})
        parts.append(f"{s.t} IN ({', '.join(repr(t) for t in types)})")
    if Kind.NUMBER in by_kind:
        parts.append(_number_members(s, by_kind[Kind.NUMBER], b))
    if Kind.STRING in by_kind:
        strings = by_kind[Kind.STRING]
        native = f"{s.v} IN ({', '.join(b.bind(v) for v in strings)})"
        relaxed = None
        if s.is_field:  # only field slots have the U+0000 branch that uses it
            relaxed = f"{s.v} IN ({', '.join(b.bind(v.split(chr(0))[0]) for v in strings)})"
        parts.append(_string_test(s, native, relaxed, match_spec("in", strings), b))
    tags = [codec.dumps(v) for k in _TAG_KINDS for v in by_kind.get(k, ())]
    tags += [
        '{"$datetime":' + json.dumps(text) + "}"
        for v in by_kind.get(Kind.DATETIME, ())
        for text in _datetime_texts(v)
    ]
    if tags:
        parts.append(f"{s.t} = 'object' AND {s.v} IN ({', '.join(b.bind(t) for t in tags)})")
    containers = by_kind.get(Kind.LIST, []) + by_kind.get(Kind.DICT, [])
    if containers:
        assert s.r is not None, "containers inside json_each are matched in Python"
        spec = b.bind(match_spec("in", containers))
        parts.append(f"{s.t} IN ('array', 'object') AND dk_match({s.r}, {spec})")
    return " OR ".join(f"({p})" for p in parts) if parts else "0"


def _number_members(s: _Slot, numbers: list[Any], b: SqlBuilder) -> str:
    bound = [_bindable_number(n) for n in numbers]
    if any(n is None for n in bound):
        return _number_in_python(s, match_spec("in", numbers), b)
    native = f"{s.t} IN ('integer', 'real') AND {s.v} IN ({', '.join(b.bind(n) for n in bound)})"
    if not s.is_field:
        return native
    spec = b.bind(match_spec("in", numbers))
    return f"({native}) OR ({_decimal_rows(s)} AND dk_match({s.r}, {spec}))"


def _number_in_python(s: _Slot, spec: str, b: SqlBuilder) -> str:
    assert s.r is not None, "operands beyond 64 bits inside json_each are matched in Python"
    return (
        f"({s.t} IN ('integer', 'real') OR ({_decimal_rows(s)})) "
        f"AND dk_match({s.r}, {b.bind(spec)})"
    )


def _string_test(s: _Slot, native: str, relaxed: str | None, spec: str, b: SqlBuilder) -> str:
    """A string test: native where exact, the evaluator for strings holding U+0000.

    ``relaxed`` is a condition on ``V`` (the text up to the first U+0000) that
    every matching string with U+0000 meets; it keeps that branch index-usable.
    """
    if not s.is_field:
        return f"{s.t} = 'text' AND {native}"
    exotic = f"{_has_nul()} AND {s.t} = 'text'"
    if relaxed:
        exotic += f" AND {relaxed}"
    exotic += f" AND dk_match({s.r}, {b.bind(spec)})"
    return f"({s.t} = 'text' AND {native} AND NOT {_has_nul()}) OR ({exotic})"


# -- ordering ------------------------------------------------------------------------


def _order(s: _Slot, bounds: list[tuple[Operator, Any]], spec: str, b: SqlBuilder) -> str:
    """``value op operand`` for each bound (one kind; BETWEEN has two)."""
    kind = kind_of(bounds[0][1])
    has_lower = any(op in _LOWER_BOUND for op, _ in bounds)
    has_upper = any(op not in _LOWER_BOUND for op, _ in bounds)
    if kind is Kind.NUMBER:
        bound = [_bindable_number(x) for _, x in bounds]
        if any(x is None for x in bound):
            return _number_in_python(s, spec, b)
        tests = [
            f"{s.v} {_SQL_OP[op]} {b.bind(x)}" for (op, _), x in zip(bounds, bound, strict=True)
        ]
        if not has_upper:
            tests.append(f"{s.v} < ''")  # numbers sort below all text: bounds the index range
        native = f"{s.t} IN ('integer', 'real') AND " + " AND ".join(tests)
        return f"({native}) OR ({_decimal_rows(s)} AND dk_match({s.r}, {b.bind(spec)}))"
    if kind is Kind.STRING:
        tests = [f"{s.v} {_SQL_OP[op]} {b.bind(x)}" for op, x in bounds]
        if not has_lower:
            tests.append(f"{s.v} >= ''")
        relaxed = [
            f"{s.v} {'>=' if op in _LOWER_BOUND else '<='} {b.bind(x.split(chr(0))[0])}"
            for op, x in bounds
        ]
        return _string_test(s, " AND ".join(tests), " AND ".join(relaxed), spec, b)
    if kind is Kind.DATE:
        tests = [f"{s.v} {_SQL_OP[op]} {b.bind(codec.dumps(x))}" for op, x in bounds]
        if not has_lower:
            tests.append(f"{s.v} >= '{{\"$date\":'")
        if not has_upper:
            tests.append(f"{s.v} < '{{\"$date\";'")
        return f"{s.t} = 'object' AND {' AND '.join(tests)} AND instr({s.v}, ',') = 0"
    assert kind is Kind.DATETIME
    instant = _datetime_instant(s.v)
    tests = [f"{instant} {_SQL_OP[op]} {b.bind(_datetime_texts(x)[0])}" for op, x in bounds]
    return (
        f"{s.t} = 'object' AND {_tag_prefix_range(s.v, '$datetime')} "
        f"AND instr({s.v}, ',') = 0 AND {' AND '.join(tests)}"
    )


# -- string patterns, CONTAINS -----------------------------------------------------------


def like_to_glob(pattern: str) -> str:
    r"""Translate a LIKE pattern (``%``, ``_``, ``\`` escapes) to an equivalent GLOB.

    GLOB is case-sensitive and its ``*``/``?`` match any characters, newlines
    included, exactly like the evaluator's LIKE.

    Example:
        >>> like_to_glob("a%b_c*")
        'a*b?c[*]'
    """
    out: list[str] = []
    i = 0
    while i < len(pattern):
        ch = pattern[i]
        if ch == "\\" and i + 1 < len(pattern):
            ch = pattern[i + 1]
            out.append(f"[{ch}]" if ch in "*?[" else ch)
            i += 2
            continue
        out.append("*" if ch == "%" else "?" if ch == "_" else f"[{ch}]" if ch in "*?[" else ch)
        i += 1
    return "".join(out)


def _pattern(s: _Slot, f: Filter, b: SqlBuilder) -> str:
    op, text = f.operator, f.value
    spec = match_spec(op.value, text)
    if "\x00" in text:  # SQLite's GLOB and REGEXP arguments stop at U+0000
        assert s.r is not None
        return f"{s.t} = 'text' AND dk_match({s.r}, {b.bind(spec)})"
    if op is Operator.LIKE:
        native = f"{s.v} GLOB {b.bind(like_to_glob(text))}"
    elif op is Operator.ILIKE:
        native = f"dk_lower({s.v}) GLOB {b.bind(like_to_glob(text.lower()))}"
    elif op is Operator.REGEX:
        native = f"{s.v} REGEXP {b.bind(text)}"
    else:
        # Every string starting with the prefix lies in [prefix, successor): an index range.
        prefix = b.bind(text)
        relaxed = f"{s.v} >= {prefix}"
        if text and (after := _successor(text)) is not None:
            relaxed += f" AND {s.v} < {b.bind(after)}"
        native = f"{relaxed} AND substr({s.v}, 1, {b.bind(len(text))}) = {prefix}"
        return _string_test(s, native, relaxed, spec, b)
    return _string_test(s, native, None, spec, b)


def _successor(text: str) -> str | None:
    code = ord(text[-1]) + 1
    if code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return text[:-1] + chr(code)


def _contains(s: _Slot, item: Any, b: SqlBuilder) -> str:
    if item is None:
        return "0"  # a list never "holds" null: the evaluator skips None items
    spec = b.bind(match_spec("contains", item))
    array = f"{s.t} = 'array'"
    kind = kind_of(item)
    if kind in (Kind.LIST, Kind.DICT) or (kind is Kind.NUMBER and _bindable_number(item) is None):
        return f"{array} AND dk_match({s.r}, {spec})"
    exotic = f"instr({s.r}, '\"$decimal\"') > 0 OR instr({s.r}, {_NUL}) > 0"
    element = _members(_ELEMENT, [item], b)
    return (
        f"{array} AND CASE WHEN {exotic} THEN dk_match({s.r}, {spec}) "
        f"ELSE EXISTS (SELECT 1 FROM json_each(data, {s.path}) AS je WHERE {element}) END"
    )


# -- expressions --------------------------------------------------------------------------


def _positive(f: Filter, b: SqlBuilder) -> str:
    s = _field_slot(f.field)
    op, value = f.operator, f.value
    if op is Operator.EQ:
        return _members(s, [value], b)
    if op is Operator.IN:
        return _members(s, list(value), b)
    if op in _SQL_OP:
        return _order(s, [(op, value)], match_spec(op.value, value), b)
    if op is Operator.BETWEEN:
        bounds = [(Operator.GTE, value[0]), (Operator.LTE, value[1])]
        return _order(s, bounds, match_spec(op.value, value), b)
    if op is Operator.CONTAINS:
        return _contains(s, value, b)
    if op is Operator.EXISTS:
        return f"IFNULL({s.t}, 'null') <> 'null'"
    return _pattern(s, f, b)


def where_sql(expr: Expression, b: SqlBuilder) -> str:
    """The SQL condition of ``expr`` (every path must be :func:`pushable_path`)."""
    if isinstance(expr, Filter):
        positive = _positive(expr.positive, b)
        return f"NOT IFNULL(({positive}), 0)" if expr.is_negative else f"({positive})"
    if isinstance(expr, And):
        return "(" + " AND ".join(where_sql(c, b) for c in expr.children) + ")"
    if isinstance(expr, Or):
        return "(" + " OR ".join(where_sql(c, b) for c in expr.children) + ")"
    assert isinstance(expr, Not)
    return f"NOT IFNULL({where_sql(expr.child, b)}, 0)"


# -- sorting ---------------------------------------------------------------------------


def _by_object_kind(v: str, decimal: str, date: str, datetime: str, binary: str, other: str) -> str:
    return (
        f"CASE WHEN instr({v}, ',') > 0 THEN {other} "
        f"WHEN {v} GLOB '{{\"$decimal\":*' THEN {decimal} "
        f"WHEN {v} GLOB '{{\"$date\":*' THEN {date} "
        f"WHEN {v} GLOB '{{\"$datetime\":*' THEN {datetime} "
        f"WHEN {v} GLOB '{{\"$bytes\":*' THEN {binary} ELSE {other} END"
    )


def _sort_terms(spec: SortSpec, b: SqlBuilder) -> list[str]:
    """ORDER BY terms: missing/null last, then kind, then value within the kind.

    Numbers sort by ``(nearest float, exact remainder)``: native for 64-bit
    integers and floats (remainder 0), computed in Python only for big
    integers and Decimals, so the order is exact across all of them.
    """
    direction = "DESC" if spec.order is SortOrder.DESC else "ASC"
    if not pushable_path(spec.field):
        key = f"dk_field_sortkey(data, {b.bind(spec.field)})"
        return [f"{key} IS NULL", f"{key} {direction}"]
    s = _field_slot(spec.field)
    t, v, r = s.t, s.v, s.r
    rank = (
        f"CASE {t} WHEN 'true' THEN 1 WHEN 'false' THEN 1 WHEN 'integer' THEN 2 "
        f"WHEN 'real' THEN 2 WHEN 'text' THEN 3 WHEN 'array' THEN 7 "
        f"WHEN 'object' THEN {_by_object_kind(v, '2', '4', '5', '6', '8')} END"
    )
    python_key = f"dk_sortkey({r})"
    value = (
        f"CASE {t} WHEN 'integer' THEN (CASE WHEN typeof({v}) = 'real' THEN dk_approx({r}) "
        f"ELSE {v} END) WHEN 'real' THEN {v} WHEN 'true' THEN 1 WHEN 'false' THEN 0 "
        f"WHEN 'text' THEN (CASE WHEN {_has_nul()} THEN dk_text({r}) ELSE {v} END) "
        f"WHEN 'array' THEN {python_key} WHEN 'object' THEN "
        f"{_by_object_kind(v, f'dk_approx({r})', v, _datetime_instant(v), python_key, python_key)}"
        " END"
    )
    remainder = (
        f"CASE WHEN {t} = 'integer' AND typeof({v}) = 'real' THEN dk_residual({r}) "
        f"WHEN {t} IN ('integer', 'real') THEN '1' "
        f"WHEN {t} = 'object' AND instr({v}, ',') = 0 AND {v} GLOB '{{\"$decimal\":*' "
        f"THEN dk_residual({r}) END"
    )
    return [
        f"IFNULL({t}, 'null') = 'null'",
        f"{rank} {direction}",
        f"{value} {direction}",
        f"{remainder} {direction}",
    ]


# -- statements ----------------------------------------------------------------------------


def _where_clause(native: NativeQuery, b: SqlBuilder) -> str:
    return "" if native.where is None else " WHERE " + where_sql(native.where, b)


def select_sql(table: str, native: NativeQuery, b: SqlBuilder) -> str:
    """``SELECT id, data, metadata`` for ``native`` (filter, sort, paging); ``table`` is quoted.

    Without a sort, rows come in insertion (rowid) order, so pages partition
    the result whatever plan SQLite picks.
    """
    sql = f"SELECT id, data, metadata FROM {table}{_where_clause(native, b)}"
    terms = [t for spec in native.sort for t in _sort_terms(spec, b)]
    sql += " ORDER BY " + ", ".join([*terms, "id"]) if terms else " ORDER BY rowid"
    if native.limit is not None or native.offset:
        limit = -1 if native.limit is None else native.limit
        sql += f" LIMIT {b.bind(limit)} OFFSET {b.bind(native.offset)}"
    return sql


def count_sql(table: str, native: NativeQuery, b: SqlBuilder) -> str:
    """``SELECT COUNT(*)`` of the rows matching ``native``'s filter."""
    return f"SELECT COUNT(*) FROM {table}{_where_clause(native, b)}"
