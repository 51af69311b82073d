"""Snapshot formats (json, parquet): what the store knows after a flush and after close."""

from __future__ import annotations

from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dataknobs_data import Record
from dataknobs_data.backends.file import FileDatabase


@pytest.mark.parametrize("name", ["db.json", "db.parquet"])
def test_ids_after_a_flush_of_puts_and_deletes(tmp_path: Path, name: str) -> None:
    with FileDatabase(path=tmp_path / name) as db:
        db.create_batch(Record({"n": i}, id=f"r{i}") for i in range(6))
        db.flush()
        assert db.exists("r0")  # the file's id set is loaded before the next flush
        db.delete_batch(["r0", "r1"])
        db.create(Record({"n": 9}, id="r9"))
        db.flush()
        assert [db.exists(f"r{i}") for i in (0, 1, 2, 9)] == [False, False, True, True]
        assert db.count() == 5
    with FileDatabase(path=tmp_path / name) as db:
        assert sorted(r.id for r in db.search()) == ["r2", "r3", "r4", "r5", "r9"]


def test_close_writes_the_buffer_once(tmp_path: Path) -> None:
    path = tmp_path / "db.parquet"
    records = [Record({"n": i, "s": str(i)}, id=f"r{i}") for i in range(2000)]
    with FileDatabase(path=path) as db:
        db.create_batch(records)
        assert not path.exists()
    table = pq.read_table(path)
    assert table.column("_id").to_pylist() == [r.id for r in records]
    assert table.column("n").to_pylist() == list(range(2000))
    assert str(table.schema.field("n").type) == "int64"


def _snapshot(db: FileDatabase) -> dict[str, tuple[list[str], dict[str, object]]]:
    return {str(r.id): (r.field_names, r.to_dict()) for r in db.search()}


@pytest.mark.parametrize("name", ["db.json", "db.parquet"])
def test_buffered_writes_across_batches_keep_values_kinds_and_field_order(
    tmp_path: Path, name: str
) -> None:
    # A file, then buffered batches whose columns arrive in other orders and with other
    # kinds, replacing rows of earlier batches out of order: what is read before the
    # flush, after it and after reopening is the same.
    path = tmp_path / name
    with FileDatabase(path=path) as db:
        db.create_batch([Record({"a": 1, "b": "x"}, id=f"f{i}") for i in range(3)])
    with FileDatabase(path=path) as db:
        db.create_batch([Record({"c": True, "b": "y", "a": 2}, id=f"g{i}") for i in range(3)])
        db.create_batch([Record({"a": "text", "d": None}, id=f"h{i}") for i in range(3)])
        db.upsert_batch([Record({"b": 5, "a": 1.5}, id="g2"), Record({"z": [1]}, id="g0")])
        db.update_batch([Record({"a": 3}, id="f1")])
        db.delete("h1")
        before = _snapshot(db)
        db.flush()
        assert _snapshot(db) == before
    with FileDatabase(path=path) as db:
        assert _snapshot(db) == before
    assert before["g1"] == (["c", "b", "a"], {"c": True, "b": "y", "a": 2})
    assert before["g2"] == (["b", "a"], {"b": 5, "a": 1.5})
    assert before["g0"] == (["z"], {"z": [1]})
    assert before["h0"] == (["a", "d"], {"a": "text", "d": None})
    assert before["f1"] == (["a"], {"a": 3}) and "h1" not in before
    assert type(before["f0"][1]["a"]) is int and len(before) == 8


@pytest.mark.parametrize("name", ["db.json", "db.parquet"])
def test_read_batch_of_one_id_twice_gives_two_records(tmp_path: Path, name: str) -> None:
    with FileDatabase(path=tmp_path / name) as db:
        db.create(Record({"v": [1]}, id="a"))
        db.create(Record({"v": [2]}, id="b"))
        db.flush()
        db.create(Record({"v": [3]}, id="c"))
        for rid in ("a", "c"):
            first, second = db.read_batch([rid, rid])
            assert first == second and first is not second
            assert first is not None and second is not None
            first["v"].append(9)
            assert second["v"] != first["v"] and db.read(rid) == second


def test_parquet_buffer_holds_arrow_rows_not_the_callers_records(tmp_path: Path) -> None:
    record = Record({"n": 1, "tags": ["a"]}, id="r")
    with FileDatabase(path=tmp_path / "db.parquet") as db:
        db.create(record)
        record["n"] = 2
        record["tags"].append("b")
        assert db.read("r") == Record({"n": 1, "tags": ["a"]}, id="r")
