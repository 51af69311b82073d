"""JSON Lines: one JSON object per line, ``{"id": ..., "data": {...}}``.

A later line for the same id carries ``"op": "replace"`` (it supersedes the
earlier one) or ``"op": "delete"`` (a tombstone); compaction drops them.
Values use the tagged JSON of :mod:`dataknobs_data.codec`, so ``json.loads``
of any line gives the record's data with Decimal, bytes, dates and
datetimes as ``{"$decimal": "1.10"}``-style objects.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from dataknobs_data.backends.file.formats.base import (
    DELETE,
    INSERT,
    REPLACE,
    Cursor,
    LogEntry,
    LogFormat,
    corrupt,
    read_lines,
)
from dataknobs_data.codec import parse_json

__all__ = ["JSONL_FORMAT", "JsonlFormat", "check_entry"]

_OPS = frozenset({INSERT, REPLACE, DELETE})
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def check_entry(obj: Any) -> tuple[str, str, Any, Any]:
    """Validate a decoded entry object; return ``(id, op, data, metadata)``.

    Raises:
        ValueError: The object is not an entry.
    """
    if type(obj) is not dict:
        raise ValueError(f"expected a JSON object, got {type(obj).__name__}")
    rid = obj.get("id")
    if type(rid) is not str or not rid:
        raise ValueError('missing or invalid "id"')
    op = obj.get("op", INSERT)
    if op not in _OPS:
        raise ValueError(f"unknown op {op!r}")
    data = obj.get("data")
    if op != DELETE and type(data) is not dict:
        raise ValueError('missing or invalid "data" object')
    metadata = obj.get("metadata")
    if metadata is not None and type(metadata) is not dict:
        raise ValueError('"metadata" must be an object')
    return rid, op, data, metadata


class JsonlFormat(LogFormat):
    """The jsonl log format."""

    name = "jsonl"

    def encode(self, record_id: str, op: str, data: Any, metadata: Any) -> bytes:
        """One line; ``op`` is omitted for inserts, ``data`` for tombstones."""
        obj: dict[str, Any] = {"id": record_id}
        if op != INSERT:
            obj["op"] = op
        if op != DELETE:
            obj["data"] = data
            if metadata:
                obj["metadata"] = metadata
        return (_dumps(obj) + "\n").encode()

    def entries(self, stream: BinaryIO, cursor: Cursor, source: Path | str) -> Iterator[LogEntry]:
        """Parse lines; blank lines are skipped, anything else must be an entry."""
        for at, number, raw in read_lines(stream, cursor, source):
            if not raw.strip():
                continue
            try:
                rid, op, data, metadata = check_entry(parse_json(raw))
            except ValueError as exc:
                reason = "line is cut short" if not raw.endswith(b"\n") else str(exc)
                raise corrupt(source, reason, line=number, offset=at) from None
            yield LogEntry(at, number, rid, op, data, metadata)


JSONL_FORMAT = JsonlFormat()
