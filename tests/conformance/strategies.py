"""Hypothesis strategies: random datasets and random composed queries."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st

from dataknobs_data import Filter, Query, Record

FIELDS = ["a", "b", "c", "n.x"]
_ALPHABET = st.sampled_from(list("aAbBzZ_%.\n é😀0"))

strings = st.text(_ALPHABET, max_size=4)
numbers = st.one_of(
    st.integers(-5, 5),
    st.integers(-(2**63), 2**63 - 1),
    st.sampled_from([2**53, 2**53 + 1, -(2**53) - 1]),
    st.floats(allow_nan=False, allow_infinity=False, width=64).filter(lambda f: abs(f) < 1e300),
    st.sampled_from([0.5, -0.0, 2.0, 0.1, -2.5]),
    st.decimals(allow_nan=False, allow_infinity=False, places=2, min_value=-10, max_value=10),
    st.sampled_from([Decimal("0.1"), Decimal("2"), Decimal("-0.50")]),
)
dates = st.dates(dt.date(1990, 1, 1), dt.date(2030, 1, 1))
naive_datetimes = st.datetimes(dt.datetime(1990, 1, 1), dt.datetime(2030, 1, 1))
aware_datetimes = st.datetimes(
    dt.datetime(1990, 1, 1),
    dt.datetime(2030, 1, 1),
    timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=-3))]),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    strings,
    dates,
    naive_datetimes,
    aware_datetimes,
    st.binary(max_size=3),
)
values = st.one_of(
    scalars,
    st.lists(st.one_of(st.integers(-3, 3), strings, st.none()), max_size=3),
    st.dictionaries(
        st.sampled_from(["x", "y"]), st.one_of(st.integers(-3, 3), strings), max_size=2
    ),
)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for name in ("a", "b", "c"):
        if draw(st.booleans()):
            data[name] = draw(values)
    if draw(st.booleans()):
        data["n"] = draw(st.one_of(st.fixed_dictionaries({"x": values}), st.just({}), scalars))
    return data


@st.composite
def datasets(draw: st.DrawFn) -> list[Record]:
    rows = draw(st.lists(records(), max_size=12))
    return [Record(data, id=f"r{i:02d}") for i, data in enumerate(rows)]


ordered_operands = st.one_of(numbers, strings, dates, naive_datetimes, aware_datetimes)
patterns = st.text(st.sampled_from(list("aAbz_%.é\\")), max_size=3).filter(
    lambda p: not p.endswith("\\") or p.endswith("\\\\")
)
regexes = st.sampled_from(
    ["a", "^a", "b$", "a|z", "[ab]", "^.$", "(a|B)+", "z?a", ".", "é", "^$", "[^a]"]
)


@st.composite
def filters(draw: st.DrawFn) -> Filter:
    field = draw(st.sampled_from(FIELDS))
    op = draw(
        st.sampled_from(
            [
                "==",
                "!=",
                ">",
                ">=",
                "<",
                "<=",
                "in",
                "not_in",
                "between",
                "not_between",
                "like",
                "not_like",
                "ilike",
                "not_ilike",
                "regex",
                "not_regex",
                "starts_with",
                "contains",
                "not_contains",
                "exists",
                "not_exists",
            ]
        )
    )
    if op in ("==", "!="):
        value = draw(values)
    elif op in ("in", "not_in"):
        value = draw(st.lists(values, max_size=3))
    elif op in (">", ">=", "<", "<="):
        value = draw(ordered_operands)
    elif op in ("between", "not_between"):
        kind = draw(st.sampled_from([numbers, strings, dates, naive_datetimes]))
        value = sorted([draw(kind), draw(kind)], key=_order)
    elif op in ("like", "not_like", "ilike", "not_ilike"):
        value = draw(patterns)
    elif op in ("regex", "not_regex"):
        value = draw(regexes)
    elif op == "starts_with":
        value = draw(strings)
    elif op in ("contains", "not_contains"):
        value = draw(st.one_of(st.integers(-3, 3), strings))
    else:
        value = None
    return Filter(field, op, value)


def _order(v: Any) -> Any:
    from dataknobs_data.values import sort_key

    return sort_key(v)


expressions = st.recursive(
    filters(),
    lambda inner: st.one_of(
        st.tuples(inner, inner).map(lambda p: p[0] & p[1]),
        st.tuples(inner, inner).map(lambda p: p[0] | p[1]),
        inner.map(lambda e: ~e),
    ),
    max_leaves=4,
)


@st.composite
def queries(draw: st.DrawFn) -> Query:
    q = Query()
    if draw(st.booleans()):
        q = q.where(draw(expressions))
    for _ in range(draw(st.integers(0, 2))):
        q = q.sort(draw(st.sampled_from(FIELDS)), draw(st.sampled_from(["asc", "desc"])))
    if q.sort_specs and draw(st.booleans()):
        q = q.offset(draw(st.integers(0, 4))).limit(draw(st.integers(0, 6)))
    return q
