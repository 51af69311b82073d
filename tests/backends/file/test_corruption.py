"""A damaged file raises a clear error naming the file and place, and is left untouched."""

from __future__ import annotations

import datetime as dt
import gzip
from decimal import Decimal
from pathlib import Path

import pytest

from dataknobs_data import Record, SerializationError
from dataknobs_data.backends.file import FileDatabase


def _write_some(path: Path, n: int = 50) -> None:
    with FileDatabase(path=path) as db:
        db.create_batch([Record({"n": i, "s": f"value {i}"}, id=f"r{i}") for i in range(n)])


def _write_with_line(path: Path, index: int, line: bytes, n: int = 10) -> None:
    """Write ``n`` records, then put ``line`` in place of line ``index`` (0-based)."""
    _write_some(path, n)
    lines = path.read_bytes().splitlines(keepends=True)
    lines[index] = line
    path.write_bytes(b"".join(lines))


def _assert_refused(path: Path, *where: str) -> None:
    before = path.read_bytes()
    db = FileDatabase(path=path)
    with pytest.raises(SerializationError) as caught:
        db.connect()
    message = str(caught.value)
    assert str(path) in message
    for part in where:
        assert part in message
    with pytest.raises(SerializationError):
        db.create(Record({"n": 1}))
    db.close()
    assert path.read_bytes() == before


def test_truncated_file_is_refused_and_untouched(tmp_path: Path, filename: str) -> None:
    path = tmp_path / filename
    _write_some(path)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) * 2 // 3])
    _assert_refused(path)


def test_corrupt_jsonl_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "db.jsonl"
    _write_with_line(path, 6, b'{"id": "r6", "data": {"n": 6,\n')
    _assert_refused(path, "line 7", "byte ")


def test_cut_short_last_jsonl_line_is_named(tmp_path: Path) -> None:
    path = tmp_path / "db.jsonl"
    _write_some(path, 10)
    path.write_bytes(path.read_bytes()[:-7])
    _assert_refused(path, "line 10", "cut short")


def test_corrupt_csv_row_is_named(tmp_path: Path) -> None:
    path = tmp_path / "db.csv"
    _write_with_line(path, 3, b"r2,,not json,\n")
    _assert_refused(path, "line 4")


def test_corrupt_json_is_named(tmp_path: Path) -> None:
    path = tmp_path / "db.json"
    _write_some(path, 10)
    path.write_bytes(path.read_bytes().replace(b'"r4"', b'"r4', 1))
    _assert_refused(path, "line 6")


def test_corrupt_gzip_member_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.jsonl.gz"
    _write_some(path, 10)
    path.write_bytes(path.read_bytes() + gzip.compress(b'{"id": "x"')[:-4])
    _assert_refused(path)


def test_garbage_parquet_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "db.parquet"
    path.write_bytes(b"PAR1 this is not parquet")
    _assert_refused(path)


def test_missing_file_is_an_empty_database_created_on_first_write(tmp_path: Path) -> None:
    path = tmp_path / "sub" / "db.jsonl"
    with FileDatabase(path=path) as db:
        assert db.count() == 0
        assert not path.exists()
        db.create(Record({"n": 1}))
    assert path.exists()


def test_jsonl_lines_written_by_other_tools_are_read(tmp_path: Path) -> None:
    # A BOM, blank padding, CRLF endings, a tagged value and a nested one: all read back.
    path = tmp_path / "by-hand.jsonl"
    path.write_bytes(
        b'\xef\xbb\xbf{"id": "a", "data": {"n": 1}}\r\n'
        b'   {"id": "b", "data": {"when": {"$date": "2024-05-01"}}}   \n'
        b'{"id": "c", "data": {"$dict": {"$date": "not a tag"}}}\n'
        b'{"id": "d", "data": {"tags": ["x", {"$decimal": "1.10"}]}}'
    )
    with FileDatabase(path=path) as db:
        got = {r.id: r.to_dict() for r in db.search()}
    assert got == {
        "a": {"n": 1},
        "b": {"when": dt.date(2024, 5, 1)},
        "c": {"$date": "not a tag"},
        "d": {"tags": ["x", Decimal("1.10")]},
    }


@pytest.mark.parametrize(
    "line", [b'{"id": "r3", "data": {"n": 3}} x\n', b'{"id": "r3", "data": {}}{"id": "r4"}\n']
)
def test_jsonl_line_with_data_after_the_object_is_named(tmp_path: Path, line: bytes) -> None:
    path = tmp_path / "db.jsonl"
    _write_with_line(path, 3, line, 5)
    _assert_refused(path, "line 4", "Extra data")


def test_jsonl_line_that_is_not_utf8_is_named(tmp_path: Path) -> None:
    path = tmp_path / "db.jsonl"
    _write_with_line(path, 2, b'{"id": "r2", "data": {"s": "\xff"}}\n', 5)
    _assert_refused(path, "line 3")
