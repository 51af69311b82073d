"""Options (format and compression from the extension) and file:// URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

from dataknobs_data import ConfigurationError, Record, database_factory
from dataknobs_data.backends.file import FileDatabase
from dataknobs_data.backends.file.options import FileOptions, resolve
from dataknobs_data.urls import parse_database_url


@pytest.mark.parametrize(
    ("name", "fmt", "compression"),
    [
        ("a.jsonl", "jsonl", "none"),
        ("a.ndjson.gz", "jsonl", "gzip"),
        ("a.csv.zst", "csv", "zstd"),
        ("a.json", "json", "none"),
        ("a.parquet", "parquet", None),
        ("a.parquet.zst", "parquet", "zstd"),
    ],
)
def test_format_and_compression_follow_the_extension(
    name: str, fmt: str, compression: str | None
) -> None:
    resolved = resolve(FileOptions(path=Path(name)))
    assert (resolved.format, resolved.compression) == (fmt, compression)


def test_unknown_extension_asks_for_the_format_option() -> None:
    with pytest.raises(ConfigurationError, match="format"):
        FileDatabase(path="data.txt")


def test_explicit_format_overrides_the_extension(tmp_path: Path) -> None:
    path = tmp_path / "data.txt"
    with FileDatabase(path=path, format="jsonl") as db:
        db.create(Record({"n": 1}, id="a"))
    assert path.read_text().startswith('{"id":"a"')


def test_misspelt_option_is_named() -> None:
    with pytest.raises(ConfigurationError, match="compresion"):
        FileDatabase(path="a.jsonl", compresion="gzip")


def test_file_urls() -> None:
    assert parse_database_url("file:///data/people.parquet") == (
        "file",
        {"path": "/data/people.parquet"},
    )
    assert parse_database_url("file://people.jsonl") == ("file", {"path": "people.jsonl"})
    assert parse_database_url("file:///x.dat?format=csv&fsync=false") == (
        "file",
        {"path": "/x.dat", "format": "csv", "fsync": False},
    )


def test_factory_builds_from_a_file_url(tmp_path: Path) -> None:
    db = database_factory.from_url(f"file://{tmp_path}/people.csv.gz")
    assert isinstance(db, FileDatabase)
    with db:
        db.create(Record({"n": 1}, id="a"))
        assert db.read("a") == Record({"n": 1}, id="a")
