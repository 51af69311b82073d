"""The --where / --sort / --select mini-language."""

from __future__ import annotations

import datetime as dt

import pytest

from dataknobs_data import Filter, Operator, QueryError, SortOrder
from dataknobs_data.cli.where import (
    build_query,
    format_expression,
    format_filter,
    parse_select,
    parse_sort,
    parse_value,
    parse_where,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("age >= 30", Filter("age", ">=", 30)),
        ("age>=30", Filter("age", ">=", 30)),
        ("age  >=   30  ", Filter("age", ">=", 30)),
        ("age == 30", Filter("age", "==", 30)),
        ("age = 30", Filter("age", "==", 30)),
        ("age != 30", Filter("age", "!=", 30)),
        ("age <> 30", Filter("age", "!=", 30)),
        ("age > 1.5", Filter("age", ">", 1.5)),
        ("age < -2", Filter("age", "<", -2)),
        ("age <= 30", Filter("age", "<=", 30)),
        ("address.city == Oslo", Filter("address.city", "==", "Oslo")),
        ('name == "Ada Lovelace"', Filter("name", "==", "Ada Lovelace")),
        ("name == Ada Lovelace", Filter("name", "==", "Ada Lovelace")),
        ("name == 'Ada'", Filter("name", "==", "Ada")),
        ('code == "30"', Filter("code", "==", "30")),
        ("active == true", Filter("active", "==", True)),
        ("active == false", Filter("active", "==", False)),
        ("age == null", Filter("age", "==", None)),
        ('status in ["a", "b"]', Filter("status", "in", ["a", "b"])),
        ("status in a,b", Filter("status", "in", ["a", "b"])),
        ("status in a", Filter("status", "in", ["a"])),
        ("n not_in 1, 2", Filter("n", "not_in", [1, 2])),
        ("n not in [1, 2]", Filter("n", "not_in", [1, 2])),
        ("age between 18,30", Filter("age", "between", [18, 30])),
        ("age between [18, 30]", Filter("age", "between", [18, 30])),
        ('name like "A%"', Filter("name", "like", "A%")),
        ("name ilike a%", Filter("name", "ilike", "a%")),
        ("name not like A%", Filter("name", "not_like", "A%")),
        (r"email regex @example\.org$", Filter("email", "regex", r"@example\.org$")),
        ("name starts_with An", Filter("name", "starts_with", "An")),
        ("tags contains vip", Filter("tags", "contains", "vip")),
        ("phone exists", Filter("phone", "exists")),
        ("phone not_exists", Filter("phone", "not_exists")),
        ("phone is null", Filter("phone", "not_exists")),
        ("phone EXISTS", Filter("phone", "exists")),
    ],
)
def test_where_clause_parses(text: str, expected: Filter) -> None:
    assert parse_where(text) == expected


def test_unquoted_iso_date_is_a_date_and_quoted_is_text() -> None:
    assert parse_where("born >= 2000-01-31").value == dt.date(2000, 1, 31)
    assert parse_where('born >= "2000-01-31"').value == "2000-01-31"


def test_unquoted_iso_datetime_keeps_its_offset() -> None:
    value = parse_where("at < 2024-05-01T12:30:00Z").value
    assert value == dt.datetime(2024, 5, 1, 12, 30, tzinfo=dt.UTC)
    naive = parse_where("at < 2024-05-01 12:30").value
    assert naive == dt.datetime(2024, 5, 1, 12, 30)


def test_impossible_date_stays_text() -> None:
    assert parse_value("2024-02-30") == "2024-02-30"


def test_comma_list_items_are_read_one_by_one() -> None:
    assert parse_value("1, x, 2024-01-01, 'a,b'", as_list=True)[:3] == [
        1,
        "x",
        dt.date(2024, 1, 1),
    ]


def test_commas_in_a_plain_value_are_kept() -> None:
    assert parse_where("name == Lovelace, Ada").value == "Lovelace, Ada"


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("", "cannot read the where clause"),
        ("age", "cannot read the where clause"),
        (">= 30", "cannot read the where clause"),
        ("age resembles 30", "unknown operator 'resembles'"),
        ("age >=", "has no value"),
        ("age in", "has no value"),
        ("phone exists yes", "takes no value"),
        ("age between 30", "between"),
        ("age between [1, 2, 3]", "between"),
        ("name regex (?i)x", "regex"),
    ],
)
def test_bad_where_clause_is_a_query_error(text: str, fragment: str) -> None:
    with pytest.raises(QueryError, match=None) as info:
        parse_where(text)
    assert fragment in str(info.value)


@pytest.mark.parametrize(
    "condition",
    [
        Filter("age", ">=", 30),
        Filter("name", "==", "Ada Lovelace"),
        Filter("code", "==", "30"),
        Filter("n", "==", None),
        Filter("address.city", "in", ["Oslo", "Berlin"]),
        Filter("born", "between", [dt.date(2000, 1, 1), dt.date(2001, 1, 1)]),
        Filter("at", ">", dt.datetime(2024, 5, 1, tzinfo=dt.UTC)),
        Filter("email", "regex", r"@example\.org$"),
        Filter("phone", "not_exists"),
        Filter("tags", "contains", "a b"),
    ],
)
def test_format_filter_reads_back_to_the_same_filter(condition: Filter) -> None:
    assert parse_where(format_filter(condition)) == condition


def test_format_expression_spells_out_boolean_logic() -> None:
    expr = (Filter("a", "==", 1) | Filter("b", "<", 2)) & ~Filter("c", "exists")
    assert format_expression(expr) == "(a == 1 OR b < 2) AND NOT c exists"
    assert format_expression(None) == "-"


def test_sort_minus_means_descending() -> None:
    assert parse_sort(["-age", "name", "+city", "score:desc", "x:ASC"]) == [
        ("age", SortOrder.DESC),
        ("name", SortOrder.ASC),
        ("city", SortOrder.ASC),
        ("score", SortOrder.DESC),
        ("x", SortOrder.ASC),
    ]


def test_sort_keys_may_share_one_value() -> None:
    assert parse_sort(["-age,name"]) == [("age", SortOrder.DESC), ("name", SortOrder.ASC)]


@pytest.mark.parametrize("spec", ["-", "", "age:sideways"])
def test_bad_sort_key_is_a_query_error(spec: str) -> None:
    with pytest.raises(QueryError):
        parse_sort([spec])


def test_select_splits_on_commas() -> None:
    assert parse_select(["name, age", "address.city"]) == ["name", "age", "address.city"]
    with pytest.raises(QueryError):
        parse_select(["name,,age"])


def test_build_query_combines_every_option() -> None:
    query = build_query(["age >= 30", "tags contains vip"], ["-age", "name"], 10, 20, ["name"])
    assert query.to_dict() == {
        "where": build_query(["age >= 30"])
        .where(Filter("tags", Operator.CONTAINS, "vip"))
        .to_dict()["where"],
        "sort": [{"field": "age", "order": "desc"}, {"field": "name", "order": "asc"}],
        "offset": 20,
        "limit": 10,
        "select": ["name"],
    }
