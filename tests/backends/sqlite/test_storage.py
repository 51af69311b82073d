"""The SQLite file: persistence, WAL, transactions, layout, options and errors."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
import threading
from decimal import Decimal
from pathlib import Path

import pytest

from dataknobs_data import (
    ConfigurationError,
    DatabaseConnectionError,
    DuplicateRecordError,
    Query,
    Record,
    SerializationError,
    database_factory,
)
from dataknobs_data.backends.sqlite import AsyncSQLiteDatabase, SQLiteDatabase

EDGE_VALUES = {
    "big": 2**100,
    "negative_big": -(2**80) - 3,
    "int64": -(2**63),
    "neg_zero": -0.0,
    "float": 0.1,
    "decimal": Decimal("-1.2300"),
    "bytes": b"\x00\xff",
    "date": dt.date(1, 1, 1),
    "naive": dt.datetime(2024, 5, 1, 12, 0, 0, 123456),
    "aware": dt.datetime(2024, 5, 1, 14, tzinfo=dt.timezone(dt.timedelta(hours=2))),
    "nul": "a\x00b",
    "empty": "",
    "nested": {"l": [1, [2.5, {"$date": "not a date"}], None], "$x": {"$dict": 1}},
    "$date": "a field named like a tag",
}


def test_records_persist_across_reopen(db_path: Path) -> None:
    with SQLiteDatabase(path=str(db_path)) as db:
        db.create(Record(EDGE_VALUES, id="edge", metadata={"source": "test"}))
    with SQLiteDatabase(path=str(db_path)) as db:
        record = db.read("edge")
    assert record is not None
    assert record.metadata == {"source": "test"}
    for name, value in EDGE_VALUES.items():
        got = record[name]
        assert type(got) is type(value) and got == value, name
    assert str(record["neg_zero"]) == "-0.0"
    assert record["aware"].tzinfo == dt.UTC


def test_the_file_is_in_wal_mode(db: SQLiteDatabase, db_path: Path) -> None:
    db.create(Record({"n": 1}))
    with sqlite3.connect(db_path) as other:
        assert other.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_a_row_is_the_record_as_plain_json(db: SQLiteDatabase, db_path: Path) -> None:
    db.create(Record({"name": "Ada", "when": dt.date(2024, 5, 1)}, id="u1"))
    with sqlite3.connect(db_path) as other:
        rid, data, meta = other.execute("SELECT id, data, metadata FROM records").fetchone()
    assert (rid, meta) == ("u1", None)
    assert json.loads(data) == {"name": "Ada", "when": {"$date": "2024-05-01"}}


def test_a_batch_with_an_existing_id_in_the_middle_writes_nothing(db: SQLiteDatabase) -> None:
    db.create(Record({"v": "old"}, id="m"))
    batch = [Record({"v": i}, id=rid) for i, rid in enumerate(["a", "b", "m", "y", "z"])]
    with pytest.raises(DuplicateRecordError) as info:
        db.create_batch(batch)
    assert info.value.ids == ["m"]
    assert [r.id for r in db.search()] == ["m"]


def test_a_batch_repeating_an_id_writes_nothing(db: SQLiteDatabase) -> None:
    batch = [Record({"v": i}, id=rid) for i, rid in enumerate(["a", "b", "a", "c"])]
    with pytest.raises(DuplicateRecordError):
        db.create_batch(batch)
    assert db.count() == 0


def test_a_lone_surrogate_is_refused_and_nothing_is_written(db: SQLiteDatabase) -> None:
    with pytest.raises(SerializationError, match="surrogate"):
        db.create_batch([Record({"s": "ok"}, id="a"), Record({"s": "\ud800"}, id="b")])
    assert db.count() == 0


def test_unknown_option_is_an_error_naming_it() -> None:
    with pytest.raises(ConfigurationError, match="tabel"):
        database_factory.create(backend="sqlite", path=":memory:", tabel="people")


def test_a_foreign_table_is_not_taken_over(db_path: Path) -> None:
    with sqlite3.connect(db_path) as other:
        other.execute("CREATE TABLE people (name TEXT)")
    with pytest.raises(ConfigurationError, match="people"):
        SQLiteDatabase(path=str(db_path), table="people").connect()


def test_an_unopenable_path_is_a_connection_error(tmp_path: Path) -> None:
    with pytest.raises(DatabaseConnectionError, match="missing"):
        SQLiteDatabase(path=str(tmp_path / "missing" / "app.db")).connect()


def test_tables_in_one_file_are_separate(db_path: Path) -> None:
    with (
        SQLiteDatabase(path=str(db_path), table="a") as a,
        SQLiteDatabase(path=str(db_path), table='b"; DROP TABLE a; --') as b,
    ):
        a.create(Record({"n": 1}, id="x"))
        b.create(Record({"n": 2}, id="x"))
        assert a.read("x") == Record({"n": 1}, id="x")
        assert b.read("x") == Record({"n": 2}, id="x")


def test_threads_share_one_database(db: SQLiteDatabase) -> None:
    def write(start: int) -> None:
        for i in range(start, start + 50):
            db.create(Record({"n": i}, id=str(i)))
            db.search(Query().filter("n", ">=", i))

    threads = [threading.Thread(target=write, args=(k * 50,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert db.count() == 200


def test_stream_reads_in_batches_while_writing(db: SQLiteDatabase) -> None:
    db.create_batch([Record({"n": i}, id=f"{i:03d}") for i in range(25)])
    seen = []
    for record in db.stream(batch_size=4):
        seen.append(record.id)
        db.update(str(record.id), Record({"n": -1}))
    assert len(seen) == 25
    assert db.count(Query().filter("n", "==", -1)) == 25


def test_async_face_shares_the_file(db_path: Path) -> None:
    import asyncio

    async def main() -> list[str]:
        async with AsyncSQLiteDatabase(path=str(db_path)) as adb:
            await adb.create_batch([Record({"n": i}, id=str(i)) for i in range(5)])
            return [r.id async for r in adb.stream(Query().filter("n", ">", 2), batch_size=1)]

    assert asyncio.run(main()) == ["3", "4"]
    with SQLiteDatabase(path=str(db_path)) as db:
        assert db.count() == 5
