"""File formats behind two small interfaces.

* :class:`LogFormat` (jsonl, csv): an append-only log of entries, one per
  record version; updates and deletes append a new version or a tombstone.
* :class:`SnapshotFormat` (json, parquet): a whole-file snapshot rewritten
  atomically on ``flush()``; writes are buffered in between.
"""

from __future__ import annotations

from dataknobs_data.backends.file.formats.base import (
    LogEntry,
    LogFormat,
    SnapshotFormat,
    SnapshotReader,
    corrupt,
)

__all__ = [
    "LogEntry",
    "LogFormat",
    "SnapshotFormat",
    "SnapshotReader",
    "corrupt",
    "log_format",
    "snapshot_format",
]


def log_format(name: str) -> LogFormat | None:
    """The log format called ``name``, or None if ``name`` is a snapshot format."""
    if name == "jsonl":
        from dataknobs_data.backends.file.formats.jsonl import JSONL_FORMAT

        return JSONL_FORMAT
    if name == "csv":
        from dataknobs_data.backends.file.formats.csv import CSV_FORMAT

        return CSV_FORMAT
    return None


def snapshot_format(name: str) -> SnapshotFormat:
    """The snapshot format called ``name`` (json or parquet)."""
    if name == "json":
        from dataknobs_data.backends.file.formats.json import JSON_FORMAT

        return JSON_FORMAT
    from dataknobs_data.backends.file.formats.parquet import PARQUET_FORMAT

    return PARQUET_FORMAT
