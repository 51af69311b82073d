"""API.md §2: every query rule, on every backend."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dataknobs_data import Filter, Operator, Query, QueryError, Record

from .data import people

UTC = dt.UTC


def ids(db: Any, *filters: Filter, query: Query | None = None) -> set[str]:
    q = query or Query()
    for f in filters:
        q = q.where(f)
    found = [r.id for r in db.search(q)]
    assert len(found) == len(set(found)), "a record came back twice"
    return set(found)


@pytest.fixture
def pdb(db: Any) -> Any:
    db.create_batch(people())
    return db


ALL = {f"p{i:02d}" for i in range(1, 11)}


# -- equality and membership ----------------------------------------------------


def test_eq_matches_equal_values(pdb: Any) -> None:
    assert ids(pdb, Filter("city", "==", "Oslo")) == {"p01", "p03", "p08"}


def test_eq_is_case_sensitive(pdb: Any) -> None:
    assert ids(pdb, Filter("name", "==", "ada")) == {"p08"}


def test_numbers_compare_by_value_across_int_float_decimal(db: Any) -> None:
    db.create_batch(
        [
            Record({"v": v}, id=f"r{i}")
            for i, v in enumerate([1, 1.0, Decimal("1.00"), True, "1", 2, 1.5, Decimal("0.1"), 0.1])
        ]
    )
    assert ids(db, Filter("v", "==", 1)) == {"r0", "r1", "r2"}
    assert ids(db, Filter("v", "==", Decimal("1"))) == {"r0", "r1", "r2"}
    assert ids(db, Filter("v", "==", 0.1)) == {"r8"}
    assert ids(db, Filter("v", "==", Decimal("0.1"))) == {"r7"}


def test_bool_is_not_a_number(db: Any) -> None:
    db.create_batch(
        [
            Record({"v": True}, id="t"),
            Record({"v": 1}, id="one"),
            Record({"v": False}, id="f"),
            Record({"v": 0}, id="zero"),
        ]
    )
    assert ids(db, Filter("v", "==", True)) == {"t"}
    assert ids(db, Filter("v", "==", 1)) == {"one"}
    assert ids(db, Filter("v", "==", False)) == {"f"}
    assert ids(db, Filter("v", ">=", 0)) == {"one", "zero"}


def test_big_integers_compare_exactly(db: Any) -> None:
    big = 2**53
    db.create_batch(
        [
            Record({"v": big}, id="a"),
            Record({"v": big + 1}, id="b"),
            Record({"v": float(big)}, id="c"),
            Record({"v": 2**63 - 1}, id="d"),
            Record({"v": -(2**63)}, id="e"),
        ]
    )
    assert ids(db, Filter("v", "==", big + 1)) == {"b"}
    assert ids(db, Filter("v", "==", big)) == {"a", "c"}
    assert ids(db, Filter("v", ">", big)) == {"b", "d"}
    assert ids(db, Filter("v", "<", -(2**62))) == {"e"}
    assert ids(db, Filter("v", "==", 2**63 - 1)) == {"d"}


def test_eq_on_lists_and_dicts_compares_whole_values(db: Any) -> None:
    db.create_batch(
        [
            Record({"v": [1, 2]}, id="l12"),
            Record({"v": [1.0, 2]}, id="l12f"),
            Record({"v": [2, 1]}, id="l21"),
            Record({"v": [1, 2, 3]}, id="l123"),
            Record({"v": 1}, id="scalar"),
            Record({"v": {"a": 1, "b": [1]}}, id="d"),
            Record({"v": {"b": [1.0], "a": 1}}, id="d2"),
            Record({"v": {"a": 1}}, id="d3"),
        ]
    )
    assert ids(db, Filter("v", "==", [1, 2])) == {"l12", "l12f"}
    assert ids(db, Filter("v", "==", {"a": 1, "b": [1]})) == {"d", "d2"}


def test_eq_none_matches_missing_and_null(pdb: Any) -> None:
    assert ids(pdb, Filter("age", "==", None)) == {"p03", "p04"}


def test_in_matches_any_member(pdb: Any) -> None:
    assert ids(pdb, Filter("city", "in", ["Rome", "Paris", "nowhere"])) == {"p02", "p04", "p09"}
    assert ids(pdb, Filter("age", "in", [25, 30.0, Decimal("19")])) == {"p02", "p08", "p09"}


def test_in_with_none_member_matches_missing_and_null(pdb: Any) -> None:
    assert ids(pdb, Filter("city", "in", ["Rome", None])) == {"p02", "p06", "p07", "p09"}


def test_in_with_empty_list_matches_nothing(pdb: Any) -> None:
    assert ids(pdb, Filter("city", "in", [])) == set()
    assert ids(pdb, Filter("city", "not_in", [])) == ALL


def test_in_does_not_confuse_kinds(db: Any) -> None:
    db.create_batch(
        [Record({"v": "1"}, id="s"), Record({"v": 1}, id="n"), Record({"v": True}, id="b")]
    )
    assert ids(db, Filter("v", "in", ["1"])) == {"s"}
    assert ids(db, Filter("v", "in", [1])) == {"n"}
    assert ids(db, Filter("v", "in", [True])) == {"b"}


def test_strings_that_read_like_other_kinds_match_only_strings(db: Any) -> None:
    # Each value's text form (true, 12, -3.5, a date object's JSON, a list's JSON) is
    # also the text of a value of another kind; equality must still compare kinds.
    values: dict[str, Any] = {
        "b": True,
        "bs": "true",
        "n": 12,
        "ns": "12",
        "f": -3.5,
        "fs": "-3.5",
        "d": dt.date(2020, 1, 2),
        "ds": '{"$date": "2020-01-02"}',
        "y": b"ab",
        "ys": '{"$bytes": "YWI="}',
        "l": [1],
        "ls": "[1]",
        "o": {"k": "v"},
        "os": '{"k": "v"}',
        "e": "",
    }
    db.create_batch([Record({"v": v}, id=k) for k, v in values.items()])
    for rid, value in values.items():
        assert ids(db, Filter("v", "==", value)) == {rid}, value
        assert ids(db, Filter("v", "in", [value])) == {rid}, value
        assert ids(db, Filter("v", "!=", value)) == set(values) - {rid}, value
    assert ids(db, Filter("v", "in", [True, "12", dt.date(2020, 1, 2), "x"])) == {"b", "ns", "d"}


# -- ordering comparisons ----------------------------------------------------------


def test_ordering_matches_only_values_of_the_operands_kind(pdb: Any) -> None:
    # age holds 36, 25, None, missing, 41.5, "n/a", True, 30, 19, Decimal("36")
    assert ids(pdb, Filter("age", ">", 25)) == {"p01", "p05", "p08", "p10"}
    assert ids(pdb, Filter("age", ">=", 36)) == {"p01", "p05", "p10"}
    assert ids(pdb, Filter("age", "<", 30)) == {"p02", "p09"}
    assert ids(pdb, Filter("age", "<=", 30)) == {"p02", "p08", "p09"}


def test_string_operand_does_not_match_numbers(pdb: Any) -> None:
    assert ids(pdb, Filter("age", ">", "a")) == {"p06"}
    assert ids(pdb, Filter("age", "<", "a")) == set()


def test_strings_compare_by_code_point(db: Any) -> None:
    words = ["Zebra", "apple", "Äpfel", "banana", "😀", "a", "", "B", "é", "e\u0301"]
    db.create_batch([Record({"w": w}, id=f"w{i}") for i, w in enumerate(words)])
    for pivot in ("a", "B", "é", ""):
        expected = {f"w{i}" for i, w in enumerate(words) if w > pivot}
        assert ids(db, Filter("w", ">", pivot)) == expected, pivot
        expected = {f"w{i}" for i, w in enumerate(words) if w <= pivot}
        assert ids(db, Filter("w", "<=", pivot)) == expected, pivot


def test_dates_compare_with_dates_only(db: Any) -> None:
    db.create_batch(
        [
            Record({"d": dt.date(2024, 1, 1)}, id="d1"),
            Record({"d": dt.date(2024, 6, 1)}, id="d2"),
            Record({"d": dt.datetime(2024, 3, 1)}, id="dt"),
            Record({"d": "2024-05-01"}, id="s"),
        ]
    )
    assert ids(db, Filter("d", ">", dt.date(2024, 2, 1))) == {"d2"}
    assert ids(db, Filter("d", ">", dt.datetime(2024, 2, 1))) == {"dt"}


def test_datetimes_compare_as_instants(db: Any) -> None:
    ist = dt.timezone(dt.timedelta(hours=5, minutes=30))
    db.create_batch(
        [
            Record({"t": dt.datetime(2024, 1, 1, 12, 0, tzinfo=UTC)}, id="utc_noon"),
            Record({"t": dt.datetime(2024, 1, 1, 17, 30, tzinfo=ist)}, id="ist_noon_utc"),
            Record({"t": dt.datetime(2024, 1, 1, 12, 0)}, id="naive_noon"),
            Record({"t": dt.datetime(2024, 1, 1, 13, 0, tzinfo=UTC)}, id="utc_one"),
        ]
    )
    noon = dt.datetime(2024, 1, 1, 12, 0, tzinfo=UTC)
    assert ids(db, Filter("t", "==", noon)) == {"utc_noon", "ist_noon_utc", "naive_noon"}
    assert ids(db, Filter("t", ">", noon)) == {"utc_one"}
    assert ids(db, Filter("t", "<=", dt.datetime(2024, 1, 1, 12, 0))) == {
        "utc_noon",
        "ist_noon_utc",
        "naive_noon",
    }


def test_between_is_inclusive(pdb: Any) -> None:
    assert ids(pdb, Filter("age", "between", [25, 36])) == {"p01", "p02", "p08", "p10"}
    assert ids(pdb, Filter("name", "between", ["Ada", "Cy"])) == {"p01", "p03"}


def test_ordering_operand_must_be_comparable() -> None:
    for bad in (True, None, [1], {"a": 1}, b"x"):
        with pytest.raises(QueryError):
            Filter("v", ">", bad)
    with pytest.raises(QueryError):
        Filter("v", "between", [1, "z"])
    with pytest.raises(QueryError):
        Filter("v", "between", [1])


# -- string matching --------------------------------------------------------------


def test_like_is_case_sensitive_with_percent_and_underscore(pdb: Any) -> None:
    assert ids(pdb, Filter("name", "like", "A%")) == {"p01"}
    assert ids(pdb, Filter("name", "like", "%d%")) == {"p01", "p08", "p10"}
    assert ids(pdb, Filter("name", "like", "_o_")) == {"p02"}
    assert ids(pdb, Filter("name", "like", "C")) == set()


def test_like_escapes_and_literal_metacharacters(db: Any) -> None:
    values = ["100%", "100x", "a_b", "axb", "back\\slash", "dot.star*", "[x]", "new\nline"]
    db.create_batch([Record({"s": s}, id=f"s{i}") for i, s in enumerate(values)])
    assert ids(db, Filter("s", "like", "100\\%")) == {"s0"}
    assert ids(db, Filter("s", "like", "a\\_b")) == {"s2"}
    assert ids(db, Filter("s", "like", "a_b")) == {"s2", "s3"}
    assert ids(db, Filter("s", "like", "back\\\\slash")) == {"s4"}
    assert ids(db, Filter("s", "like", "dot.star*")) == {"s5"}
    assert ids(db, Filter("s", "like", "[x]")) == {"s6"}
    assert ids(db, Filter("s", "like", "new%")) == {"s7"}
    assert ids(db, Filter("s", "like", "new_line")) == {"s7"}


def test_ilike_ignores_case(pdb: Any) -> None:
    assert ids(pdb, Filter("name", "ilike", "a%")) == {"p01", "p08"}
    assert ids(pdb, Filter("name", "ilike", "émile")) == {"p05"}
    assert ids(pdb, Filter("city", "ilike", "PARIS")) == {"p04", "p05"}


def test_string_operators_match_only_strings(db: Any) -> None:
    db.create_batch(
        [Record({"v": 10}, id="n"), Record({"v": "10"}, id="s"), Record({"v": ["10"]}, id="l")]
    )
    assert ids(db, Filter("v", "like", "1%")) == {"s"}
    assert ids(db, Filter("v", "regex", "1")) == {"s"}
    assert ids(db, Filter("v", "starts_with", "1")) == {"s"}


def test_regex_is_an_unanchored_search(pdb: Any) -> None:
    assert ids(pdb, Filter("name", "regex", "d")) == {"p01", "p08", "p10"}
    assert ids(pdb, Filter("name", "regex", "^[A-C]")) == {"p01", "p03"}
    assert ids(pdb, Filter("name", "regex", "e$")) == {"p04", "p05"}
    assert ids(pdb, Filter("name", "regex", "^(Ada|Zed)$")) == {"p01", "p10"}
    assert ids(pdb, Filter("name", "regex", "o+b?")) == {"p02"}
    assert ids(pdb, Filter("name", "regex", "^.u.$")) == {"p07"}


def test_regex_dot_matches_newline_and_dollar_means_end(db: Any) -> None:
    db.create_batch(
        [
            Record({"s": "a\nb"}, id="nl"),
            Record({"s": "ab\n"}, id="trail"),
            Record({"s": "ab"}, id="ab"),
        ]
    )
    assert ids(db, Filter("s", "regex", "a.b")) == {"nl"}
    assert ids(db, Filter("s", "regex", "b$")) == {"nl", "ab"}
    assert ids(db, Filter("s", "regex", "^a")) == {"nl", "trail", "ab"}


def test_regex_outside_the_portable_subset_is_a_query_error() -> None:
    for pattern in ("\\d+", "a{2}", "(?i)a", "[unclosed", "\\w"):
        with pytest.raises(QueryError):
            Filter("s", "regex", pattern)


def test_starts_with(pdb: Any) -> None:
    assert ids(pdb, Filter("city", "starts_with", "O")) == {"p01", "p03", "p08"}
    assert ids(pdb, Filter("city", "starts_with", "")) == {
        "p01",
        "p02",
        "p03",
        "p04",
        "p05",
        "p08",
        "p09",
        "p10",
    }
    assert ids(pdb, Filter("city", "starts_with", "%")) == set()


def test_contains_matches_a_list_holding_the_value(pdb: Any) -> None:
    assert ids(pdb, Filter("tags", "contains", "x")) == {"p01", "p04"}
    assert ids(pdb, Filter("tags", "contains", 1.0)) == {"p06"}
    assert ids(pdb, Filter("tags", "contains", ["x"])) == {"p10"}
    assert ids(pdb, Filter("city", "contains", "Oslo")) == set()


# -- existence, nesting, composition ----------------------------------------------


def test_exists_and_not_exists(pdb: Any) -> None:
    assert ids(pdb, Filter("age", "exists")) == ALL - {"p03", "p04"}
    assert ids(pdb, Filter("age", Operator.NOT_NULL)) == ALL - {"p03", "p04"}
    assert ids(pdb, Filter("age", "not_exists")) == {"p03", "p04"}
    assert ids(pdb, Filter("age", Operator.IS_NULL)) == {"p03", "p04"}


def test_dotted_path_reaches_into_nested_dicts(pdb: Any) -> None:
    assert ids(pdb, Filter("address.city", "==", "Oslo")) == {"p01"}
    assert ids(pdb, Filter("address.geo.lat", ">", 60)) == {"p08"}
    assert ids(pdb, Filter("address.city", "exists")) == {"p01", "p02", "p08"}
    # a path through a non-dict value ("n/a") is missing
    assert ids(pdb, Filter("address.city", "not_exists")) == ALL - {"p01", "p02", "p08"}


def test_missing_and_null_are_the_same_to_every_operator(db: Any) -> None:
    db.create_batch([Record({"v": None}, id="null"), Record({}, id="missing")])
    probes = [
        Filter("v", op, val)
        for op, val in [
            ("==", 1),
            ("!=", 1),
            (">", 1),
            (">=", "a"),
            ("<", 1),
            ("<=", 1),
            ("in", [1]),
            ("not_in", [1]),
            ("between", [1, 2]),
            ("not_between", [1, 2]),
            ("like", "%"),
            ("not_like", "%"),
            ("ilike", "%"),
            ("regex", ".*"),
            ("starts_with", ""),
            ("contains", 1),
            ("exists", None),
            ("not_exists", None),
            ("==", None),
            ("!=", None),
            ("in", [None]),
        ]
    ]
    for probe in probes:
        found = ids(db, probe)
        assert found in (set(), {"null", "missing"}), f"{probe}: {found}"


COMPLEMENT_PAIRS = [
    (Filter("age", "==", 36), Filter("age", "!=", 36)),
    (Filter("age", "in", [25, 30]), Filter("age", "not_in", [25, 30])),
    (Filter("age", "between", [20, 40]), Filter("age", "not_between", [20, 40])),
    (Filter("name", "like", "A%"), Filter("name", "not_like", "A%")),
    (Filter("name", "ilike", "a%"), Filter("name", "not_ilike", "a%")),
    (Filter("name", "regex", "^[A-D]"), Filter("name", "not_regex", "^[A-D]")),
    (Filter("tags", "contains", "x"), Filter("tags", "not_contains", "x")),
    (Filter("age", "exists"), Filter("age", "not_exists")),
    (Filter("age", "==", None), Filter("age", "!=", None)),
]


@pytest.mark.parametrize(
    "positive,negative", COMPLEMENT_PAIRS, ids=[p.operator.name for p, _ in COMPLEMENT_PAIRS]
)
def test_negative_form_is_the_exact_complement(
    pdb: Any, positive: Filter, negative: Filter
) -> None:
    pos = ids(pdb, positive)
    assert ids(pdb, negative) == ALL - pos
    assert ids(pdb, ~positive) == ALL - pos
    assert ids(pdb, ~negative) == pos


@pytest.mark.parametrize(
    "probe",
    [
        Filter("age", ">", 25),
        Filter("age", "<=", 30),
        Filter("name", "starts_with", "A"),
        Filter("address.city", "==", "Oslo"),
    ],
)
def test_not_of_an_ordering_filter_includes_missing_null_and_other_kinds(
    pdb: Any, probe: Filter
) -> None:
    assert ids(pdb, ~probe) == ALL - ids(pdb, probe)


def test_and_or_not_compose(pdb: Any) -> None:
    q = (Filter("city", "==", "Oslo") | Filter("city", "==", "Rome")) & ~Filter("age", ">", 30)
    assert ids(pdb, q) == {"p02", "p03", "p08", "p09"}
    assert ids(pdb, ~(Filter("city", "==", "Oslo") & Filter("age", "exists"))) == ALL - {
        "p01",
        "p08",
    }


def test_chained_filters_are_and(pdb: Any) -> None:
    q = Query().filter("city", "==", "Oslo").filter("age", ">=", 30)
    assert ids(pdb, query=q) == {"p01", "p08"}


def test_unknown_operator_is_a_query_error_not_equality() -> None:
    for op in ("=~", "equals", "", "GREATER"):
        with pytest.raises(QueryError):
            Filter("a", op, 1)


def test_operator_strings_and_enum_are_equivalent(pdb: Any) -> None:
    assert ids(pdb, Filter("age", Operator.GTE, 30)) == ids(pdb, Filter("age", ">=", 30))
    assert ids(pdb, Filter("age", "NOT_IN", [25])) == ids(pdb, Filter("age", "not_in", [25]))


def test_projection_returns_only_selected_fields_and_the_id(pdb: Any) -> None:
    rows = pdb.search(Query().filter("city", "==", "Oslo").sort("name").select("name", "age"))
    assert [r.id for r in rows] == ["p01", "p03", "p08"]
    assert [r.to_dict() for r in rows] == [
        {"name": "Ada", "age": 36},
        {"name": "Cy", "age": None},
        {"name": "ada", "age": 30},
    ]


def test_projection_of_a_missing_field_leaves_it_out(pdb: Any) -> None:
    (row,) = pdb.search(Query().filter("name", "==", "Dee").select("age", "name"))
    assert row.to_dict() == {"name": "Dee"}


def test_query_round_trips_through_dict() -> None:
    q = (
        Query()
        .where((Filter("a", "==", 1) | Filter("b", "<", 2)) & ~Filter("c", "in", [1, 2]))
        .filter("d", "between", [dt.date(2020, 1, 1), dt.date(2021, 1, 1)])
        .filter("e", "==", Decimal("1.5"))
        .filter("f", "exists")
        .sort("a", "desc")
        .sort("b")
        .offset(3)
        .limit(4)
        .select("a", "b")
    )
    assert Query.from_dict(q.to_dict()) == q
    import json

    assert Query.from_dict(json.loads(json.dumps(q.to_dict()))) == q


def test_filter_values_of_every_kind_work(db: Any) -> None:
    values: list[Any] = [
        b"\x00\x01",
        dt.date(2020, 1, 1),
        dt.datetime(2020, 1, 1, 1),
        Decimal("2.5"),
        {"k": [1]},
        [None, "x"],
        "",
        -0.0,
    ]
    db.create_batch([Record({"v": v}, id=f"r{i}") for i, v in enumerate(values)])
    for i, v in enumerate(values):
        expected = {f"r{i}"}
        assert ids(db, Filter("v", "==", v)) == expected, v
        assert ids(db, Filter("v", "in", [v, "zzz"])) == expected, v
