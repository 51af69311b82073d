"""Fixtures of the file backend tests: one file name per format, plain and compressed."""

from __future__ import annotations

import pytest

ALL_FILES = [
    "db.jsonl",
    "db.jsonl.gz",
    "db.csv",
    "db.csv.zst",
    "db.json",
    "db.json.gz",
    "db.parquet",
    "db.parquet.zst",
]
ROW_FILES = ["db.jsonl", "db.jsonl.gz", "db.csv", "db.csv.zst"]


@pytest.fixture(params=ALL_FILES)
def filename(request: pytest.FixtureRequest) -> str:
    return str(request.param)
