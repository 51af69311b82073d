"""Files stay readable by ordinary tools, and row formats only ever append."""

from __future__ import annotations

import csv
import datetime as dt
import itertools
import json
import os
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from dataknobs_data import Record
from dataknobs_data.backends.file import FileDatabase

PEOPLE = [
    Record({"name": "Ada", "age": 36, "born": dt.date(1815, 12, 10)}, id="ada"),
    Record({"name": "Alan", "age": 41, "score": 1.5}, id="alan"),
]


def test_jsonl_line_is_the_records_json(tmp_path: Path) -> None:
    path = tmp_path / "people.jsonl"
    with FileDatabase(path=path) as db:
        db.create_batch(PEOPLE)
    lines = [json.loads(line) for line in path.read_text().splitlines()]
    assert lines == [
        {"id": "ada", "data": {"name": "Ada", "age": 36, "born": {"$date": "1815-12-10"}}},
        {"id": "alan", "data": {"name": "Alan", "age": 41, "score": 1.5}},
    ]


def test_csv_reads_with_the_csv_module(tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    with FileDatabase(path=path) as db:
        db.create_batch(PEOPLE)
    with open(path, newline="") as handle:
        rows = list(csv.DictReader(handle))
    assert [row["id"] for row in rows] == ["ada", "alan"]
    assert json.loads(rows[1]["data"]) == {"name": "Alan", "age": 41, "score": 1.5}


def test_json_loads_as_an_array(tmp_path: Path) -> None:
    path = tmp_path / "people.json"
    with FileDatabase(path=path) as db:
        db.create_batch(PEOPLE)
    assert [item["id"] for item in json.loads(path.read_text())] == ["ada", "alan"]


def test_parquet_columns_are_typed_where_the_data_allows(tmp_path: Path) -> None:
    path = tmp_path / "people.parquet"
    with FileDatabase(path=path) as db:
        db.create_batch(
            [
                *PEOPLE,
                Record({"name": "Bob", "age": 7, "price": Decimal("1.10"), "mixed": 1}, id="b"),
                Record({"name": "Cy", "mixed": "one", "when": dt.datetime(2024, 1, 1)}, id="c"),
            ]
        )
    table = pq.read_table(path)
    types = {f.name: f.type for f in table.schema}
    assert types["_id"] == pa.string()
    assert types["name"] == pa.string()
    assert types["age"] == pa.int64()
    assert types["score"] == pa.float64()
    assert types["born"] == pa.date32()
    assert types["when"] == pa.timestamp("us")
    assert types["price"] == pa.string()  # Decimal: tagged JSON text
    assert types["mixed"] == pa.string()  # int and str: tagged JSON text
    assert table.column("age").to_pylist() == [36, 41, 7, None]


def test_parquet_round_trips_explicit_nulls_and_field_order(tmp_path: Path) -> None:
    path = tmp_path / "order.parquet"
    records = [
        Record({"a": 1, "b": None}, id="1"),
        Record({"b": 2, "a": 3}, id="2"),
        Record({"c": [1, {"x": None}]}, id="3"),
    ]
    with FileDatabase(path=path) as db:
        db.create_batch(records)
    with FileDatabase(path=path) as db:
        back = db.read_batch(["1", "2", "3"])
    for original, record in zip(records, back, strict=True):
        assert record is not None
        assert list(record.data.items()) == list(original.data.items())


def test_each_create_appends_about_one_line(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    with FileDatabase(path=path) as db:
        db.create(Record({"n": 0, "pad": "x" * 100}))
        inode = os.stat(path).st_ino
        sizes = []
        for i in range(1, 50):
            db.create(Record({"n": i, "pad": "x" * 100}))
            sizes.append(path.stat().st_size)
        assert os.stat(path).st_ino == inode  # appended, never rewritten
        growth = [b - a for a, b in itertools.pairwise(sizes)]
        line = len(path.read_bytes().splitlines()[-1]) + 1
        assert max(growth) <= line + 2
        assert min(growth) >= line - 2


def test_updates_append_versions_and_close_compacts(tmp_path: Path) -> None:
    path = tmp_path / "log.csv"
    with FileDatabase(path=path) as db:
        db.create_batch([Record({"n": i}, id=f"r{i}") for i in range(10)])
        inode = os.stat(path).st_ino
        db.update("r1", Record({"n": 100}))
        db.delete("r2")
        assert os.stat(path).st_ino == inode
        assert len(path.read_text().splitlines()) == 1 + 10 + 2
        assert db.read("r1") == Record({"n": 100}, id="r1")
        assert db.read("r2") is None
    assert len(path.read_text().splitlines()) == 1 + 9
    with FileDatabase(path=path) as db:
        assert db.count() == 9
        assert db.read("r1") == Record({"n": 100}, id="r1")


def test_parquet_writes_are_buffered_until_flush(tmp_path: Path) -> None:
    path = tmp_path / "buffered.parquet"
    with FileDatabase(path=path) as db:
        db.create(Record({"n": 1}, id="a"))
        assert not path.exists()
        assert db.read("a") == Record({"n": 1}, id="a")
        db.flush()
        assert pq.read_table(path).num_rows == 1
        db.create(Record({"n": 2}, id="b"))
    assert pq.read_table(path).num_rows == 2


def test_jsonl_streams_with_bounded_memory(tmp_path: Path) -> None:
    import tracemalloc

    path = tmp_path / "big.jsonl"
    with FileDatabase(path=path, fsync=False) as db:
        db.create_batch(Record({"n": i, "pad": "y" * 500}) for i in range(20_000))
    assert path.stat().st_size > 10_000_000
    with FileDatabase(path=path) as db:
        tracemalloc.start()
        total = sum(1 for _ in db.stream(batch_size=100))
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    assert total == 20_000
    assert peak < 2_000_000


def test_parquet_dictionary_encodes_only_columns_whose_values_repeat(tmp_path: Path) -> None:
    path = tmp_path / "people.parquet"
    cities = ["Oslo", "Rome", "Lima"]
    with FileDatabase(path=path) as db:
        db.create_batch(
            Record({"name": f"person {i}", "city": cities[i % 3], "note": None}, id=f"p{i}")
            for i in range(3000)
        )
        db.create(Record({"city": "Rome", "name": "out of order"}, id="last"))
    metadata = pq.ParquetFile(path).metadata
    group = metadata.row_group(0)
    encodings = {
        group.column(i).path_in_schema: set(group.column(i).encodings)
        for i in range(group.num_columns)
    }
    assert "RLE_DICTIONARY" in encodings["city"]
    assert "RLE_DICTIONARY" in encodings["_fields.list.element"]
    assert "RLE_DICTIONARY" not in encodings["_id"]
    assert "RLE_DICTIONARY" not in encodings["name"]
    table = pq.read_table(path)
    assert table.column("city").to_pylist()[:4] == ["Oslo", "Rome", "Lima", "Oslo"]
    assert table.column("name").to_pylist()[-1] == "out of order"
