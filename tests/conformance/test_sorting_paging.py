"""API.md §2: sorting, paging, count and streaming."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dataknobs_data import Filter, Query, Record, SortOrder

from .data import people


@pytest.fixture
def pdb(db: Any) -> Any:
    db.create_batch(people())
    return db


def order(db: Any, query: Query) -> list[str]:
    return [r.id for r in db.search(query)]


def test_sort_ascending_puts_missing_and_null_last(pdb: Any) -> None:
    got = order(
        pdb, Query().filter("age", "exists", None).sort("age").filter("age", "between", [0, 100])
    )
    assert got == ["p09", "p02", "p08", "p01", "p10", "p05"]
    names = order(pdb, Query().sort("city"))
    assert names[-2:] == ["p06", "p07"]  # null city, missing city: last, by id


def test_sort_descending_also_puts_missing_and_null_last(pdb: Any) -> None:
    got = order(pdb, Query().sort("city", SortOrder.DESC))
    assert got[:2] == ["p05", "p10"]  # "paris" > "Zürich" by code point
    assert got[-2:] == ["p06", "p07"]


def test_ties_are_broken_by_id_ascending(pdb: Any) -> None:
    got = order(pdb, Query().filter("city", "==", "Oslo").sort("city"))
    assert got == ["p01", "p03", "p08"]
    got = order(pdb, Query().filter("city", "==", "Oslo").sort("city", "desc"))
    assert got == ["p01", "p03", "p08"]


def test_equal_numbers_of_different_types_tie(pdb: Any) -> None:
    got = order(pdb, Query().filter("age", "in", [36]).sort("age", "desc"))
    assert got == ["p01", "p10"]


def test_several_sort_keys(pdb: Any) -> None:
    got = order(
        pdb, Query().filter("city", "in", ["Oslo", "Rome"]).sort("city", "desc").sort("name")
    )
    assert got == ["p02", "p09", "p01", "p03", "p08"]


def test_sort_by_dotted_path(pdb: Any) -> None:
    got = order(pdb, Query().filter("address.city", "exists").sort("address.city"))
    assert got == ["p08", "p01", "p02"]


def test_strings_sort_by_code_point(db: Any) -> None:
    words = ["b", "B", "a", "A", "é", "e", "Z", "😀", "", "aa"]
    db.create_batch([Record({"w": w}, id=f"w{i}") for i, w in enumerate(words)])
    got = [r["w"] for r in db.search(Query().sort("w"))]
    assert got == sorted(words)
    got = [r["w"] for r in db.search(Query().sort("w", "desc"))]
    assert got == sorted(words, reverse=True)


def test_mixed_kinds_sort_in_kind_order(db: Any) -> None:
    values: list[Any] = [
        "s",
        2,
        True,
        dt.date(2020, 1, 1),
        1.5,
        None,
        dt.datetime(2020, 1, 1),
        Decimal("-3"),
        "a",
        False,
    ]
    db.create_batch([Record({"v": v}, id=f"r{i}") for i, v in enumerate(values)])
    got = [r.id for r in db.search(Query().sort("v"))]
    assert got == ["r9", "r2", "r7", "r4", "r1", "r8", "r0", "r3", "r6", "r5"]


def test_numbers_sort_by_exact_value(db: Any) -> None:
    values: list[Any] = [
        2**53 + 1,
        2**53,
        float(2**53) + 2,
        -0.5,
        Decimal("-0.25"),
        0,
        1e-300,
        Decimal("1E+20"),
        10**20 + 1,
    ]
    db.create_batch([Record({"v": v}, id=f"r{i}") for i, v in enumerate(values)])
    got = [r["v"] for r in db.search(Query().sort("v"))]
    assert got == sorted(values)


def test_dates_and_datetimes_sort_chronologically(db: Any) -> None:
    ist = dt.timezone(dt.timedelta(hours=5, minutes=30))
    values = [
        dt.datetime(2024, 1, 1, 12, tzinfo=dt.UTC),
        dt.datetime(2024, 1, 1, 17, 0, tzinfo=ist),
        dt.datetime(2024, 1, 1, 11, 59),
        dt.datetime(1999, 12, 31, 23, 59, 59, 999999),
    ]
    db.create_batch([Record({"t": v}, id=f"r{i}") for i, v in enumerate(values)])
    assert order(db, Query().sort("t")) == ["r3", "r1", "r2", "r0"]


@pytest.mark.parametrize("page_size", [1, 3, 4, 10, 11])
def test_offset_and_limit_pages_partition_a_sorted_result(pdb: Any, page_size: int) -> None:
    base = Query().sort("city").sort("age", "desc")
    everything = order(pdb, base)
    pages: list[str] = []
    for offset in range(0, 12, page_size):
        pages += order(pdb, base.offset(offset).limit(page_size))
    assert pages == everything
    assert len(everything) == 10


@pytest.mark.parametrize("page_size", [1, 3, 7])
def test_pages_partition_an_unsorted_result(pdb: Any, page_size: int) -> None:
    everything = order(pdb, Query())
    assert order(pdb, Query()) == everything, "unsorted order must be stable"
    pages: list[str] = []
    for offset in range(0, 10, page_size):
        pages += order(pdb, Query().offset(offset).limit(page_size))
    assert sorted(pages) == sorted(everything) and len(pages) == 10
    assert pages == everything


def test_filtered_pages_partition_the_filtered_result(pdb: Any) -> None:
    base = Query().filter("age", "exists").sort("name", "desc")
    everything = order(pdb, base)
    pages = (
        order(pdb, base.limit(3)) + order(pdb, base.offset(3).limit(3)) + order(pdb, base.offset(6))
    )
    assert pages == everything


def test_limit_zero_and_offset_past_the_end(pdb: Any) -> None:
    assert pdb.search(Query().limit(0)) == []
    assert pdb.search(Query().sort("name").offset(50)) == []
    assert len(pdb.search(Query().offset(8))) == 2


COUNT_QUERIES = [
    Query(),
    Query().filter("city", "==", "Oslo"),
    Query().filter("age", ">", 20).sort("age").offset(1).limit(2),
    Query().where(~Filter("tags", "contains", "x") | Filter("age", "not_exists")),
    Query().filter("name", "regex", "^[a-z]").limit(1),
]


@pytest.mark.parametrize("query", COUNT_QUERIES, ids=range(len(COUNT_QUERIES)))
def test_count_equals_len_of_search_without_paging(pdb: Any, query: Query) -> None:
    unpaged = query.without_paging()
    assert pdb.count(query) == len(pdb.search(unpaged))


def test_count_without_query_counts_everything(pdb: Any) -> None:
    assert pdb.count() == 10
    assert pdb.count(None) == 10


@pytest.mark.parametrize("batch_size", [1, 3, 1000])
def test_stream_yields_every_match_exactly_once(db: Any, batch_size: int) -> None:
    db.create_batch([Record({"i": i, "even": i % 2 == 0}) for i in range(250)])
    streamed = list(db.stream(Query().filter("even", "==", True), batch_size=batch_size))
    assert len(streamed) == 125
    assert len({r.id for r in streamed}) == 125
    assert sorted(r["i"] for r in streamed) == list(range(0, 250, 2))


def test_stream_without_query_yields_everything(pdb: Any) -> None:
    assert sorted(r.id for r in pdb.stream()) == sorted(r.id for r in pdb.search())


def test_stream_honours_sort_offset_limit_and_projection(pdb: Any) -> None:
    q = Query().filter("age", "exists").sort("name").offset(2).limit(4).select("name")
    streamed = list(pdb.stream(q, batch_size=2))
    searched = pdb.search(q)
    assert [r.id for r in streamed] == [r.id for r in searched]
    assert [r.to_dict() for r in streamed] == [r.to_dict() for r in searched]


def test_stream_can_be_abandoned_early(db: Any) -> None:
    db.create_batch([Record({"i": i}) for i in range(50)])
    stream = db.stream(batch_size=5)
    first = [next(stream) for _ in range(3)]
    assert len(first) == 3
    stream.close()
    assert db.count() == 50


def test_stream_rejects_a_non_positive_batch_size(pdb: Any) -> None:
    from dataknobs_data import DatabaseError

    with pytest.raises(DatabaseError):
        list(pdb.stream(batch_size=0))


def test_explain_reports_the_backend_and_the_split(pdb: Any) -> None:
    plan = pdb.explain(Query().filter("age", ">", 3).sort("name").limit(2))
    assert plan.backend
    text = str(plan)
    assert "native" in text and "residual" in text
    everything_accounted = plan.native.where is not None or plan.residual is not None
    assert everything_accounted


def test_sorting_by_a_field_left_out_of_the_projection(pdb: Any) -> None:
    q = Query().filter("age", "between", [0, 100]).sort("age", "desc").select("name")
    rows = pdb.search(q)
    assert [r.id for r in rows] == ["p05", "p01", "p10", "p08", "p02", "p09"]
    assert all(r.field_names == ["name"] or r.field_names == [] for r in rows)
    assert [r.id for r in pdb.stream(q, batch_size=2)] == [r.id for r in rows]
