"""The file backend: every format, plain and compressed."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tests.conformance.harness import BackendCase, CaseContext


def _options(filename: str, **extra: Any) -> Callable[[CaseContext], dict[str, Any]]:
    def options(ctx: CaseContext) -> dict[str, Any]:
        return {"path": str(ctx.tmp_path / filename), **extra}

    return options


_FILES = {
    "jsonl": "db.jsonl",
    "jsonl-gzip": "db.jsonl.gz",
    "csv": "db.csv",
    "csv-zstd": "db.csv.zst",
    "json": "db.json",
    "json-zstd": "db.json.zst",
    "parquet": "db.parquet",
    "parquet-gzip": "db.parquet.gz",
}

CASES = [
    BackendCase(
        name=f"file-{name}",
        backend="file",
        options=_options(filename),
        differential_examples=40,
    )
    for name, filename in _FILES.items()
]
