"""Parquet: which filters run in Arrow, and that they agree with the evaluator."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from dataknobs_data import Filter, Query, Record
from dataknobs_data.backends.file import FileDatabase
from dataknobs_data.query.evaluate import compile_expression


@pytest.fixture
def db(tmp_path: Path) -> FileDatabase:
    database = FileDatabase(path=tmp_path / "p.parquet", row_group_size=3)
    rows = [
        {"age": 30, "name": "Ada", "score": 1.5, "when": dt.datetime(2024, 1, 1, tzinfo=dt.UTC)},
        {"age": 2**62, "name": "al\nan", "score": -0.0, "tags": ["a"]},
        {"age": None, "name": "Bob", "mixed": 1},
        {"name": "bo_b", "mixed": "x", "day": dt.date(2020, 1, 1)},
        {"age": -5, "score": 2.0},
    ]
    database.connect()
    database.create_batch([Record(r, id=f"r{i}") for i, r in enumerate(rows)])
    database.flush()
    return database


PUSHED = [
    Filter("age", ">", 2.5),
    Filter("age", "<=", -5.0),
    Filter("age", "==", 30.0),
    Filter("age", "!=", 30),
    Filter("age", "in", [30, None, "x"]),
    Filter("age", "not_in", [30]),
    Filter("age", "between", [0, 2**62]),
    Filter("name", ">=", "B"),
    Filter("name", "like", "al%"),
    Filter("name", "like", "bo\\_b"),
    Filter("name", "starts_with", "A"),
    Filter("name", "==", 3),
    Filter("score", "==", 0),
    Filter("when", ">", dt.datetime(2023, 12, 31, 23)),
    Filter("when", ">", dt.date(2020, 1, 1)),
    Filter("day", "==", dt.date(2020, 1, 1)),
    Filter("mixed", "exists"),
    Filter("missing", "not_exists"),
    Filter("age", ">", 1) | ~Filter("name", "==", "Ada"),
]
RESIDUAL = [
    Filter("name", "ilike", "ADA"),
    Filter("name", "regex", "a.a"),
    Filter("mixed", "==", 1),
    Filter("tags", "contains", "a"),
    Filter("nested.x", "==", 1),
]


@pytest.mark.parametrize("condition", PUSHED, ids=str)
def test_typed_filters_run_in_arrow_with_the_evaluators_answer(
    db: FileDatabase, condition: Filter
) -> None:
    query = Query().where(condition)
    plan = db.explain(query)
    assert plan.residual is None
    assert plan.native_text is not None and "pyarrow.dataset" in plan.native_text
    predicate = compile_expression(condition)
    everything = db.search(Query())
    expected = sorted(str(r.id) for r in everything if predicate(r.data))
    assert sorted(str(r.id) for r in db.search(query)) == expected
    assert db.count(query) == len(expected)


@pytest.mark.parametrize("condition", RESIDUAL, ids=str)
def test_other_filters_are_the_residual(db: FileDatabase, condition: Filter) -> None:
    plan = db.explain(Query().where(condition))
    assert plan.residual is not None
    predicate = compile_expression(condition)
    expected = sorted(str(r.id) for r in db.search(Query()) if predicate(r.data))
    assert sorted(str(r.id) for r in db.search(Query().where(condition))) == expected


def test_buffered_records_are_searched_too(db: FileDatabase) -> None:
    db.create(Record({"age": 40}, id="new"))
    db.delete("r0")
    ids = sorted(str(r.id) for r in db.search(Query().filter("age", ">", 2.5)))
    assert ids == ["new", "r1"]
    assert db.count(Query().filter("age", ">", 2.5)) == 2


def test_projection_reads_only_the_named_columns(db: FileDatabase) -> None:
    records = db.search(Query().filter("age", ">", 0).select("name"))
    assert sorted((str(r.id), r.to_dict()) for r in records) == [
        ("r0", {"name": "Ada"}),
        ("r1", {"name": "al\nan"}),
    ]
