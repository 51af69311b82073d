"""CSV: columns ``id,op,data,metadata``; ``data`` and ``metadata`` hold tagged JSON text.

Any CSV reader gets one row per record version with the data as a JSON
object in one column, so every value of the model round-trips exactly and
records may have different fields. ``op`` is empty for an insert,
``replace`` for a newer version of an earlier row, ``delete`` for a tombstone.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from dataknobs_data.backends.file.formats.base import (
    DELETE,
    INSERT,
    Cursor,
    LogEntry,
    LogFormat,
    corrupt,
    read_lines,
)
from dataknobs_data.backends.file.formats.jsonl import check_entry

__all__ = ["CSV_FORMAT", "CsvFormat"]

COLUMNS = ("id", "op", "data", "metadata")
_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode


def _row(values: list[str]) -> bytes:
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerow(values)
    return buffer.getvalue().encode()


class CsvFormat(LogFormat):
    """The csv log format."""

    name = "csv"
    header = _row(list(COLUMNS))

    def encode(self, record_id: str, op: str, data: Any, metadata: Any) -> bytes:
        """One CSV row (it may span lines when the id holds a newline)."""
        return _row(
            [
                record_id,
                "" if op == INSERT else op,
                "" if op == DELETE else _dumps(data),
                _dumps(metadata) if metadata else "",
            ]
        )

    def entries(self, stream: BinaryIO, cursor: Cursor, source: Path | str) -> Iterator[LogEntry]:
        """Parse rows; a row ends where its double quotes balance."""
        pending: list[bytes] = []
        quotes = 0
        start = (cursor.offset, cursor.line)
        for at, number, raw in read_lines(stream, cursor, source):
            if not pending:
                start = (at, number)
            pending.append(raw)
            quotes += raw.count(b'"')
            if quotes % 2 or not raw.endswith(b"\n"):
                continue
            text = b"".join(pending)
            pending.clear()
            quotes = 0
            entry = self._parse(text, start, source)
            if entry is not None:
                yield entry
        if pending:
            text = b"".join(pending)
            if quotes % 2:
                raise corrupt(source, "a quoted field is cut short", line=start[1], offset=start[0])
            entry = self._parse(text, start, source)
            if entry is not None:
                yield entry

    def _parse(self, text: bytes, start: tuple[int, int], source: Path | str) -> LogEntry | None:
        offset, line = start
        if not text.strip():
            return None
        try:
            rows = list(csv.reader(io.StringIO(text.decode())))
            if len(rows) != 1 or len(rows[0]) != len(COLUMNS):
                raise ValueError(f"expected one row of {len(COLUMNS)} columns {COLUMNS}")
            rid, op, data, metadata = rows[0]
            if offset == 0:
                if (rid, op, data, metadata) != COLUMNS:
                    raise ValueError(f"the header must be {','.join(COLUMNS)}")
                return None
            obj = {
                "id": rid,
                "op": op or INSERT,
                "data": json.loads(data) if data else None,
                "metadata": json.loads(metadata) if metadata else None,
            }
            rid, op, data_obj, meta_obj = check_entry(obj)
        except ValueError as exc:
            reason = str(exc) if text.endswith(b"\n") else f"row is cut short ({exc})"
            raise corrupt(source, reason, line=line, offset=offset) from None
        return LogEntry(offset, line, rid, op, data_obj, meta_obj)


CSV_FORMAT = CsvFormat()
