"""Snapshot formats (json, parquet): what the store knows after a flush and after close."""

from __future__ import annotations

import gc
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from dataknobs_data import DuplicateRecordError, Record
from dataknobs_data.backends.file import FileDatabase


@pytest.fixture(params=["db.json", "db.parquet"])
def path(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    """A file of each snapshot format (json and parquet buffer their writes)."""
    name: str = request.param
    return tmp_path / name


def test_ids_after_a_flush_of_puts_and_deletes(path: Path) -> None:
    with FileDatabase(path=path) as db:
        db.create_batch(Record({"n": i}, id=f"r{i}") for i in range(6))
        db.flush()
        assert db.exists("r0")  # the file's id set is loaded before the next flush
        db.delete_batch(["r0", "r1"])
        db.create(Record({"n": 9}, id="r9"))
        db.flush()
        assert [db.exists(f"r{i}") for i in (0, 1, 2, 9)] == [False, False, True, True]
        assert db.count() == 5
    with FileDatabase(path=path) as db:
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


def test_buffered_writes_across_batches_keep_values_kinds_and_field_order(path: Path) -> None:
    # A file, then buffered batches whose columns arrive in other orders and with other
    # kinds, replacing rows of earlier batches out of order: what is read before the
    # flush, after it and after reopening is the same.
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


def test_read_batch_of_one_id_twice_gives_two_records(path: Path) -> None:
    with FileDatabase(path=path) as db:
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


def test_a_first_buffered_batch_answers_every_kind_of_access(path: Path) -> None:
    # The first batch after a flush is kept apart from the id map until something needs it;
    # every access must see it, and nothing may be lost when it is folded in.
    def fresh(db: FileDatabase) -> None:
        db.flush()
        db.create_batch(Record({"n": i}, id=f"b{i}") for i in range(4))

    with FileDatabase(path=path) as db:
        db.create(Record({"n": -1}, id="old"))
        fresh(db)
        assert db.exists("b3") and not db.exists("b4")
        fresh_ids = ["b0", "b1", "b2", "b3"]
        fresh_ids_read = [r.id for r in db.read_batch(fresh_ids) if r is not None]
        assert fresh_ids_read == fresh_ids
        db.clear()
        fresh(db)
        assert db.count() == 4 and sorted(r.id for r in db.search()) == fresh_ids
        db.clear()
        fresh(db)
        with pytest.raises(DuplicateRecordError):
            db.create_batch([Record({"n": 9}, id="new"), Record({"n": 9}, id="b2")])
        assert not db.exists("new") and db.read("b2") == Record({"n": 2}, id="b2")
        db.create_batch([Record({"n": 5}, id="b5")])
        db.delete("b0")
        db.upsert(Record({"n": 10}, id="b1"))
        db.update("b3", Record({"n": 30}))
        expected = {"b1": 10, "b2": 2, "b3": 30, "b5": 5}
        assert {r.id: r["n"] for r in db.search()} == expected
    with FileDatabase(path=path) as db:
        assert {r.id: r["n"] for r in db.search()} == expected


def test_a_first_buffered_batch_overrides_the_same_ids_written_meanwhile(path: Path) -> None:
    with FileDatabase(path=path) as ours:
        ours.create(Record({"by": "ours"}, id="kept"))
        ours.flush()
        ours.create_batch([Record({"by": "ours"}, id="a"), Record({"by": "ours"}, id="b")])
        with FileDatabase(path=path) as theirs:
            theirs.create_batch([Record({"by": "theirs"}, id=i) for i in ("a", "c")])
        ours.flush()
        assert {r.id: r["by"] for r in ours.search()} == {
            "kept": "ours",
            "a": "ours",
            "b": "ours",
            "c": "theirs",
        }
        assert ours.count() == 4


def test_parquet_buffer_keeps_no_python_object_per_record(tmp_path: Path) -> None:
    # Buffered rows live in Arrow memory: a large buffer gives the garbage collector
    # nothing to walk (per-record tuples there once cost more than the encoding).
    records = [Record({"n": i, "s": f"v{i}"}, id=f"r{i}") for i in range(20_000)]
    with FileDatabase(path=tmp_path / "db.parquet") as db:
        gc.collect()
        before = len(gc.get_objects())
        db.create_batch(records)
        db.create_batch([Record({"n": 1}, id="one-more")])
        gc.collect()
        assert len(gc.get_objects()) - before < 1_000
        assert db.count() == 20_001
