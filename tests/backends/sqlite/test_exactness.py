"""Values SQLite cannot compare natively (U+0000, integers beyond 64 bits, Decimals,
odd field names) still query and sort exactly like the shared evaluator."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dataknobs_data import Filter, Query, Record
from dataknobs_data.backends.memory import MemoryDatabase
from dataknobs_data.backends.sqlite import SQLiteDatabase

BIG = 2**70
exotic_numbers = st.one_of(
    st.sampled_from([BIG, BIG + 1, BIG - 1, -BIG, 2**63, -(2**63) - 1, 2**64]),
    st.sampled_from([float(BIG), 2.0**63, -(2.0**63), 1e300, 1e-300, -0.0, 0.1]),
    st.sampled_from(
        [Decimal(BIG) + Decimal("0.5"), Decimal("0.1"), Decimal("1e400"), Decimal("-1e-400")]
    ),
    st.sampled_from([Decimal("0.30000000000000001"), Decimal("2"), Decimal("-0"), 0, 1, 2]),
)
exotic_strings = st.one_of(
    st.text(st.sampled_from(["a", "\x00"]), max_size=3),
    st.text(st.sampled_from(["a", "b", "\x00", "\\", "u", "0", '"']), max_size=4),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    exotic_numbers,
    exotic_strings,
    st.sampled_from([dt.date(2024, 1, 1), dt.datetime(2024, 1, 1, 0, 0, 0, 1)]),
    st.sampled_from([dt.datetime(2024, 1, 1, tzinfo=dt.UTC), b"\x00\xff", b""]),
)
values = st.one_of(
    scalars,
    st.lists(st.one_of(exotic_numbers, exotic_strings), max_size=3),
    st.fixed_dictionaries({"$x": st.integers(0, 2)}),
    st.fixed_dictionaries({"$date": exotic_strings, "k": st.integers(0, 1)}),
)
FIELDS = ["a", "b.c"]
OPERATORS = ["==", "!=", ">", ">=", "<", "<=", "in", "between", "like", "ilike", "regex"]
OPERATORS += ["starts_with", "contains", "not_contains", "exists"]


@st.composite
def datasets(draw: st.DrawFn) -> list[Record]:
    records = []
    for i in range(draw(st.integers(0, 10))):
        data: dict[str, Any] = {}
        if draw(st.booleans()):
            data["a"] = draw(values)
        if draw(st.booleans()):
            data["b"] = {"c": draw(values)} if draw(st.booleans()) else draw(values)
        records.append(Record(data, id=f"r{i}"))
    return records


@st.composite
def filters(draw: st.DrawFn) -> Filter:
    field = draw(st.sampled_from(FIELDS))
    op = draw(st.sampled_from(OPERATORS))
    if op in ("==", "!=", "contains", "not_contains"):
        return Filter(field, op, draw(values))
    if op == "in":
        return Filter(field, op, draw(st.lists(values, max_size=3)))
    if op in (">", ">=", "<", "<="):
        return Filter(field, op, draw(st.one_of(exotic_numbers, exotic_strings)))
    if op == "between":
        kind = draw(st.sampled_from([exotic_numbers, exotic_strings]))
        return Filter(field, op, sorted([draw(kind), draw(kind)], key=_key))
    if op in ("like", "ilike", "starts_with"):
        return Filter(
            field, op, draw(st.text(st.sampled_from(["a", "%", "_", "\x00"]), max_size=3))
        )
    if op == "regex":
        return Filter(field, op, draw(st.sampled_from(["a", "^a", "\x00", "a$", "."])))
    return Filter(field, op)


def _key(value: Any) -> str:
    from dataknobs_data.values import sort_key

    return sort_key(value)


def _assert_same(data: list[Record], query: Query) -> None:
    reference = MemoryDatabase()
    reference.create_batch(data)
    with SQLiteDatabase(path=":memory:") as db:
        db.create_batch(data)
        assert db.explain(query).fully_native
        expected = [r.id for r in reference.search(query)]
        assert [r.id for r in db.search(query)] == expected, db.explain(query)
        assert db.count(query) == len(expected)


NUL_STRINGS = ["a\x00b", "a", "a\x00", "b", "", "\x00", "ab", "a\\u0000"]
NUL_QUERIES = [
    *(
        Filter("s", op, operand)
        for op in ("==", "!=", ">", ">=", "<", "<=")
        for operand in ("a", "a\x00", "a\x00b", "")
    ),
    Filter("s", "in", ["a", "a\x00b"]),
    Filter("s", "between", ["a", "a\x00c"]),
    Filter("s", "like", "a%"),
    Filter("s", "like", "a_"),
    Filter("s", "ilike", "A%"),
    Filter("s", "regex", "^a$"),
    Filter("s", "regex", "b"),
    Filter("s", "starts_with", "a"),
    Filter("s", "starts_with", "a\x00"),
    Filter("l", "contains", "a"),
    Filter("l", "contains", "a\x00b"),
]


@pytest.mark.parametrize("condition", NUL_QUERIES, ids=repr)
def test_strings_holding_nul_compare_exactly(condition: Filter) -> None:
    data = [Record({"s": s, "l": [s]}, id=f"r{i}") for i, s in enumerate(NUL_STRINGS)]
    _assert_same(data, Query().where(condition))
    _assert_same(data, Query().where(~condition))


def test_strings_holding_nul_sort_exactly() -> None:
    data = [Record({"s": s}, id=f"r{i}") for i, s in enumerate(NUL_STRINGS)]
    _assert_same(data, Query().sort("s"))
    _assert_same(data, Query().sort("s", "desc"))


CLOSE_NUMBERS = [
    BIG + 1,
    BIG - 1,
    float(BIG),
    BIG,
    Decimal(BIG) + Decimal("0.5"),
    2**63,
    2.0**63,
    2**63 - 1,
    Decimal("1e400"),
    Decimal("2e400"),
    1e300,
    Decimal("-1e-400"),
    0,
    -0.0,
    Decimal("0.1"),
    0.1,
    Decimal("0.30000000000000001"),
    0.3,
]


@pytest.mark.parametrize("order", ["asc", "desc"])
def test_numbers_beyond_float_precision_sort_exactly(order: str) -> None:
    data = [Record({"n": n}, id=f"r{i:02d}") for i, n in enumerate(CLOSE_NUMBERS)]
    _assert_same(data, Query().sort("n", order))


@pytest.mark.parametrize("operand", CLOSE_NUMBERS, ids=repr)
@pytest.mark.parametrize("op", ["==", "!=", ">", ">=", "<", "<="])
def test_numbers_beyond_float_precision_compare_exactly(op: str, operand: Any) -> None:
    data = [Record({"n": n, "l": [n]}, id=f"r{i:02d}") for i, n in enumerate(CLOSE_NUMBERS)]
    _assert_same(data, Query().filter("n", op, operand).sort("n"))
    if op == "==":
        _assert_same(data, Query().filter("l", "contains", operand))
        _assert_same(data, Query().filter("n", "in", [operand, 1]))


@settings(max_examples=300, deadline=None)
@given(
    data=datasets(),
    condition=filters(),
    negate=st.booleans(),
    order=st.sampled_from(["asc", "desc"]),
)
def test_exotic_values_match_the_evaluator(
    data: list[Record], condition: Filter, negate: bool, order: str
) -> None:
    expr = ~condition if negate else condition
    query = Query().where(expr).sort(condition.field, order)
    reference = MemoryDatabase()
    reference.create_batch(data)
    with SQLiteDatabase(path=":memory:") as db:
        db.create_batch(data)
        assert db.explain(query).fully_native
        expected = [r.id for r in reference.search(query)]
        assert [r.id for r in db.search(query)] == expected
        assert db.count(Query().where(expr)) == len(expected)


@settings(max_examples=200, deadline=None)
@given(data=datasets(), field=st.sampled_from(FIELDS), order=st.sampled_from(["asc", "desc"]))
def test_sorting_exotic_values_matches_the_evaluator(
    data: list[Record], field: str, order: str
) -> None:
    query = Query().sort(field, order)
    reference = MemoryDatabase()
    reference.create_batch(data)
    with SQLiteDatabase(path=":memory:") as db:
        db.create_batch(data)
        assert [r.id for r in db.search(query)] == [r.id for r in reference.search(query)]
