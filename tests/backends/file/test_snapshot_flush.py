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
