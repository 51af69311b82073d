"""The SQL the backend runs: index use, injection safety, kinds never mixed."""

from __future__ import annotations

from typing import Any

import pytest

from dataknobs_data import Filter, Query, Record
from dataknobs_data.backends.sqlite import SQLiteDatabase
from dataknobs_data.backends.sqlite.translate import SqlBuilder, select_sql


def _plan(db: SQLiteDatabase, query: Query) -> str:
    b = SqlBuilder()
    sql = select_sql(db._engine.table, db.explain(query).native, b)
    rows = db._engine._conn().execute("EXPLAIN QUERY PLAN " + sql, b.params).fetchall()
    return "\n".join(row[3] for row in rows)


@pytest.fixture
def people(db: SQLiteDatabase) -> SQLiteDatabase:
    db.create_batch(
        [Record({"age": i % 90, "city": f"c{i % 50}"}, id=f"p{i}") for i in range(2000)]
    )
    return db


@pytest.mark.parametrize(
    "condition",
    [
        Filter("age", "==", 30),
        Filter("age", ">=", 85),
        Filter("age", "between", [3, 5]),
        Filter("city", "==", "c3"),
        Filter("city", "in", ["c3", "c4"]),
        Filter("city", "starts_with", "c4"),
    ],
    ids=repr,
)
def test_filters_use_the_index_create_index_made(people: SQLiteDatabase, condition: Any) -> None:
    field = condition.field
    query = Query().where(condition)
    assert "USING INDEX" not in _plan(people, query)
    expected = [r.id for r in people.search(query)]
    people.create_index(field)
    assert "USING INDEX" in _plan(people, query)
    assert [r.id for r in people.search(query)] == expected


def test_create_index_is_idempotent(people: SQLiteDatabase) -> None:
    people.create_index("age")
    people.create_index("age")
    assert people.count(Query().filter("age", "<", 10)) == 230


def test_ordering_only_compares_values_of_the_operand_kind(db: SQLiteDatabase) -> None:
    db.create_batch(
        [
            Record({"v": "n/a"}, id="text"),
            Record({"v": 30}, id="int"),
            Record({"v": 20.5}, id="float"),
            Record({"v": True}, id="bool"),
            Record({"v": [99]}, id="list"),
            Record({"v": {"a": 99}}, id="dict"),
            Record({"v": None}, id="null"),
            Record({}, id="missing"),
        ]
    )
    assert [r.id for r in db.search(Query().filter("v", ">", 25))] == ["int"]
    assert [r.id for r in db.search(Query().filter("v", "<", 25))] == ["float"]
    assert [r.id for r in db.search(Query().filter("v", ">", "a"))] == ["text"]
    assert [r.id for r in db.search(Query().filter("v", "==", 1))] == []
    assert db.count(Query().filter("v", "not_between", [0, 100])) == 6


INJECTIONS = [
    "x') OR 1=1 --",
    'x"] OR 1=1 --',
    "x'; DROP TABLE records; --",
    "a' || (SELECT count(*) FROM records) || '",
]


@pytest.mark.parametrize("text", INJECTIONS)
def test_values_cannot_inject_sql(db: SQLiteDatabase, text: str) -> None:
    db.create_batch([Record({"name": "Ada"}, id="a"), Record({"name": text}, id=text)])
    for op in ("==", "like", "starts_with", ">"):
        db.search(Query().filter("name", op, text))
    assert [r.id for r in db.search(Query().filter("name", "==", text))] == [text]
    assert db.count() == 2


@pytest.mark.parametrize("field", INJECTIONS)
def test_field_names_cannot_inject_sql(db: SQLiteDatabase, field: str) -> None:
    db.create_batch([Record({field: 1}, id="a"), Record({"other": 1}, id="b")])
    query = Query().filter(field, "==", 1).sort(field).select(field)
    assert [r.id for r in db.search(query)] == ["a"]
    assert db.count(Query().filter(field, "exists")) == 1
    if '"' not in field:
        db.create_index(field)
    assert db.count() == 2


def test_field_names_sqlite_cannot_address_run_in_python(db: SQLiteDatabase) -> None:
    db.create_batch([Record({'q"uote': 2, "back\\slash": 3}, id="a"), Record({}, id="b")])
    plan = db.explain(Query().filter('q"uote', "==", 2))
    assert plan.residual is not None
    assert [r.id for r in db.search(Query().filter('q"uote', "==", 2))] == ["a"]
    assert [r.id for r in db.search(Query().filter("back\\slash", ">", 2))] == ["a"]
    assert [r.id for r in db.search(Query().sort('q"uote', "desc"))] == ["a", "b"]


def test_a_dotted_path_never_reaches_into_a_tag(db: SQLiteDatabase) -> None:
    from decimal import Decimal

    db.create_batch(
        [Record({"a": Decimal("1.5")}, id="tag"), Record({"a": {"$decimal": "1.5"}}, id="dict")]
    )
    query = Query().filter("a.$decimal", "==", "1.5")
    assert [r.id for r in db.search(query)] == ["dict"]


def test_explain_shows_the_sql_and_its_parameters(db: SQLiteDatabase) -> None:
    plan = db.explain(Query().filter("age", ">", 3).sort("name").limit(2))
    assert plan.fully_native
    assert plan.native_text is not None
    assert "json_extract(data, '$.\"age\"')" in plan.native_text
    assert "LIMIT" in plan.native_text and "parameters: [3" in plan.native_text
