"""SQL filters, sorts and keys agree with the shared evaluator on adversarial values.

The conformance suite's differential test covers ordinary data; this one aims at what the
PostgreSQL layout must get right: U+0000/U+0001 in strings and keys, ``$`` keys, regex
classes and escapes, ILIKE case mapping, floats next to Decimals, years below 1000, and
lists/dicts as sort keys.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from dataknobs_data import Filter, Query, Record
from dataknobs_data.backends.postgres import PostgresDatabase
from dataknobs_data.query.evaluate import compile_expression, sort_records
from dataknobs_data.values.keys import equality_key

CHARS = list("aAb_%.\\[]^$-\n\x00\x01\x02İ\u0131Σ\u03c3ςßé😀")
texts = st.text(st.sampled_from(CHARS), max_size=4)
numbers = st.one_of(
    st.integers(-3, 3),
    st.sampled_from([0.1, -0.0, 1e16, 1e-7, 2.5, 2**53 + 1, 9007199254740993.0, 1e23, 10**23]),
    st.sampled_from(
        [Decimal("0.1"), Decimal("0.1000000000000000055511151231257827"), Decimal("-0")]
    ),
    st.floats(allow_nan=False, allow_infinity=False),
)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    texts,
    st.dates(dt.date(1, 1, 1), dt.date(2100, 1, 1)),
    st.datetimes(dt.datetime(1, 1, 2), dt.datetime(2100, 1, 1)),
    st.datetimes(dt.datetime(1, 1, 2), dt.datetime(2100, 1, 1), timezones=st.just(dt.UTC)),
    st.binary(max_size=3),
)
values = st.one_of(
    scalars,
    st.lists(st.one_of(numbers, texts, st.none()), max_size=3),
    st.dictionaries(st.sampled_from(["x", "$y", "a\x00"]), st.one_of(numbers, texts), max_size=2),
)
records = st.lists(
    st.dictionaries(st.sampled_from(["a", "$b", "c\x00"]), values, max_size=3)
    | st.builds(lambda v: {"n": {"x": v}}, values),
    max_size=8,
)
FIELDS = st.sampled_from(["a", "$b", "c\x00", "n.x"])
ordered = st.one_of(numbers.filter(lambda x: x is not None), texts, st.dates(dt.date(1, 1, 1)))
patterns = st.lists(st.sampled_from([*CHARS, "%", "_", "\\%", "\\\\"]), max_size=4).map("".join)
regexes = st.lists(
    st.sampled_from(
        [
            "a",
            "A",
            ".",
            "\\.",
            "\\[",
            "\\^",
            "\\$",
            "\\-",
            "[a-b]",
            "[^a]",
            "[]a]",
            "[\x00-\x01]",
            "[^\x00]",
            "(a|b)",
            "*",
            "+",
            "?",
            "^",
            "$",
            "\x00",
            "\x01",
            "\u0131",
            "\n",
        ]
    ),
    max_size=4,
).map("".join)


@st.composite
def filters(draw: st.DrawFn) -> Filter:
    field = draw(FIELDS)
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
                "like",
                "not_like",
                "ilike",
                "regex",
                "starts_with",
                "contains",
                "not_contains",
                "exists",
                "not_exists",
            ]
        )
    )
    if op in ("==", "!=", "contains", "not_contains"):
        return Filter(field, op, draw(values))
    if op in ("in", "not_in"):
        return Filter(field, op, draw(st.lists(values, max_size=3)))
    if op == "between":
        low = draw(ordered)
        high = draw(
            ordered.filter(
                lambda h: (
                    type(h) is type(low)
                    or (
                        isinstance(h, int | float | Decimal)
                        and isinstance(low, int | float | Decimal)
                    )
                )
            )
        )
        return Filter(field, op, [low, high])
    if op in (">", ">=", "<", "<="):
        return Filter(field, op, draw(ordered))
    if op in ("like", "not_like", "ilike", "starts_with"):
        return Filter(field, op, draw(patterns))
    if op == "regex":
        pattern = draw(regexes)
        try:
            return Filter(field, op, pattern)
        except Exception:
            return Filter(field, "exists")
    return Filter(field, op)


def _ids(found: list[Record]) -> list[str]:
    return [str(r.id) for r in found]


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=records, expr=st.lists(filters(), min_size=1, max_size=2), negate=st.booleans())
def test_filters_match_the_evaluator(
    db: PostgresDatabase, data: list[dict[str, Any]], expr: list[Filter], negate: bool
) -> None:
    db.clear()
    db.create_batch([Record(d, id=f"r{i}") for i, d in enumerate(data)])
    where = expr[0] if len(expr) == 1 else (expr[0] | expr[1])
    where = ~where if negate else where
    assert db.explain(Query().where(where)).fully_native
    predicate = compile_expression(where)
    expected = sorted(f"r{i}" for i, d in enumerate(data) if predicate(d))
    assert sorted(_ids(db.search(Query().where(where)))) == expected
    assert db.count(Query().where(where)) == len(expected)


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=records, field=FIELDS, descending=st.booleans())
def test_sorting_matches_the_evaluator(
    db: PostgresDatabase, data: list[dict[str, Any]], field: str, descending: bool
) -> None:
    db.clear()
    stored = [Record(d, id=f"r{i}") for i, d in enumerate(data)]
    db.create_batch(stored)
    query = Query().sort(field, "desc" if descending else "asc")
    expected = sort_records([r.copy() for r in stored], query.sort_specs)
    assert _ids(db.search(query)) == _ids(expected)


@settings(
    max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(value=values.filter(lambda v: v is not None))
def test_sql_canonical_key_is_the_equality_key(db: PostgresDatabase, value: Any) -> None:
    db.clear()
    db.create(Record({"v": value}, id="x"))
    with db._conn() as conn:  # the SQL function itself, on the stored value
        row = conn.execute(
            f"SELECT \"public\".dk_canon(data -> 'v') FROM {db._table.as_string(conn)}"
        ).fetchone()
    assert row[0] == equality_key(value)


NUL_VALUES = ["a\x00", "\x00", "a\x01b", "\x01", "a\x00\x00", "A\x00b", "ab", "a", "\x02", "a\nb"]
NUL_FILTERS = [
    *(Filter("v", "like", p) for p in ["a_", "_", "%\x00%", "a%", "__", "a\\_", "%\x01_"]),
    *(Filter("v", "ilike", p) for p in ["A_", "a_B", "A%"]),
    *(
        Filter("v", "regex", p)
        for p in [
            "^a.$",
            "^.$",
            "[\x00-\x01]",
            "[^a]",
            "a.b",
            "^a[^b]$",
            "^[\x00a]+$",
            "\x00$",
            "^a\x01?b$",
            "^[^\x00-\x01]*$",
        ]
    ),
    *(Filter("v", op, x) for op in ("<", ">", "==") for x in ["a\x00", "a\x01", "a", "\x01"]),
    Filter("v", "starts_with", "a\x00"),
]


def test_patterns_and_comparisons_are_exact_on_strings_with_nul(db: PostgresDatabase) -> None:
    stored = [Record({"v": v}, id=f"r{i}") for i, v in enumerate(NUL_VALUES)]
    db.create_batch(stored)
    for condition in NUL_FILTERS:
        predicate = compile_expression(condition)
        expected = sorted(str(r.id) for r in stored if predicate(r.data))
        assert sorted(_ids(db.search(Query().where(condition)))) == expected, condition
