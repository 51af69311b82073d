"""The in-memory store shared by MemoryDatabase and AsyncMemoryDatabase.

Records live in an insertion-ordered dict under one lock. Values were copied
on the way in (capabilities.copies_on_write) and are copied again on the way
out, so no caller ever holds a reference into stored state. Flat records
(only immutable values, no metadata) are stored as their data dict alone and
copied out with a single ``dict()``.
"""

from __future__ import annotations

import datetime as dt
import operator
import threading
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.engine.store import BlockingStore
from dataknobs_data.errors import DuplicateRecordError
from dataknobs_data.query.evaluate import compile_expression, project_record, sort_records
from dataknobs_data.records import Record
from dataknobs_data.values.model import copy_value

__all__ = ["MEMORY_CAPABILITIES", "MemoryStore"]

MEMORY_CAPABILITIES = Capabilities(name="memory", copies_on_write=True, max_batch_size=1 << 30)

_IMMUTABLE = frozenset({type(None), bool, int, float, str, bytes, Decimal, dt.date, dt.datetime})

# id -> the data of a flat record (immutable values only, no metadata), else (data, metadata)
_Row = dict[str, Any] | tuple[dict[str, Any], dict[str, Any]]


_is_flat = _IMMUTABLE.issuperset
_record_id = operator.attrgetter("id")
_record_data = operator.attrgetter("_data")
_trusted = Record._trusted


def _row(record: Record) -> _Row:
    data = record._data
    if not record.metadata and _is_flat(map(type, data.values())):
        return data
    return (data, record.metadata)


def _rows(records: list[Record]) -> Iterator[tuple[str, _Row]]:
    """(id, row) pairs; a batch known to be plain needs no per-record check."""
    if getattr(records, "plain", False):
        return zip(map(_record_id, records), map(_record_data, records), strict=True)
    return ((r.id, _row(r)) for r in records)  # type: ignore[misc]


def _data_of(row: _Row) -> dict[str, Any]:
    return row[0] if isinstance(row, tuple) else row


def _record_out(rid: str, row: _Row) -> Record:
    if isinstance(row, dict):
        return _trusted(dict(row), rid, {})
    data, metadata = row
    copied = {k: copy_value(v) for k, v in data.items()}
    return _trusted(copied, rid, copy_value(metadata) if metadata else {})


class MemoryStore(BlockingStore):
    """Thread-safe record storage with the primitives of the Database interface."""

    def __init__(self) -> None:
        self._rows: dict[str, _Row] = {}
        self._lock = threading.RLock()

    def get_many(self, ids: list[str]) -> list[Record | None]:
        """Records for ids, copied out; None where absent."""
        rows = self._rows
        with self._lock:
            found = [(rid, rows.get(rid)) for rid in ids]
        return [None if row is None else _record_out(rid, row) for rid, row in found]

    def get_one(self, rid: str) -> Record | None:
        """One record by id, copied out; None when absent."""
        row = self._rows.get(rid)  # a single dict read is atomic; no lock needed
        if type(row) is dict:  # the common case inline
            return _trusted(dict(row), rid, {})
        return None if row is None else _record_out(rid, row)

    def exists_many(self, ids: list[str]) -> list[bool]:
        """Whether each id is stored."""
        rows = self._rows
        return [rid in rows for rid in ids]

    def insert_many(self, records: list[Record]) -> None:
        """Insert all or none; DuplicateRecordError naming ids that exist."""
        rows = self._rows
        new_rows = _rows(records)
        with self._lock:
            if not rows.keys().isdisjoint(map(_record_id, records)):
                raise DuplicateRecordError([str(r.id) for r in records if r.id in rows])
            rows.update(new_rows)

    def update_many(self, records: list[Record]) -> list[bool]:
        """Replace existing records; False for absent ids."""
        rows = self._rows
        done = []
        with self._lock:
            for record in records:
                hit = record.id in rows
                if hit:
                    rows[record.id] = _row(record)  # type: ignore[index]
                done.append(hit)
        return done

    def upsert_many(self, records: list[Record]) -> None:
        """Insert or replace each record."""
        rows = self._rows
        new_rows = _rows(records)
        with self._lock:
            rows.update(new_rows)

    def delete_many(self, ids: list[str]) -> list[bool]:
        """Delete by id; False for absent ids."""
        rows = self._rows
        with self._lock:
            return [rows.pop(rid, None) is not None for rid in ids]

    def clear(self) -> int:
        """Remove everything; return how many records there were."""
        with self._lock:
            n = len(self._rows)
            self._rows.clear()
            return n

    def count(self, native: NativeQuery) -> int:
        """Count records matching the native filter."""
        if native.where is None:
            return len(self._rows)
        predicate = compile_expression(native.where)
        with self._lock:
            rows = list(self._rows.values())
        return sum(1 for row in rows if predicate(row[0] if isinstance(row, tuple) else row))

    def _matching(self, native: NativeQuery) -> list[tuple[str, _Row]]:
        with self._lock:
            items = list(self._rows.items())
        if native.where is not None:
            predicate = compile_expression(native.where)
            items = [item for item in items if predicate(_data_of(item[1]))]
        return items

    def _select(self, native: NativeQuery) -> list[tuple[str, _Row]]:
        items = self._matching(native)
        if native.sort:
            # Sort lightweight views; records are copied out only when returned.
            by_id = dict(items)
            views = [Record._trusted(_data_of(row), rid, None) for rid, row in items]
            sort_records(views, native.sort)
            items = [(str(v.id), by_id[str(v.id)]) for v in views]
        end = None if native.limit is None else native.offset + native.limit
        if native.offset or end is not None:
            items = items[native.offset : end]
        return items

    @staticmethod
    def _out(items: list[tuple[str, _Row]], native: NativeQuery) -> list[Record]:
        records = [_record_out(rid, row) for rid, row in items]
        if native.projection is not None:
            names = native.projection
            records = [project_record(r, names) for r in records]
        return records

    def search(self, native: NativeQuery) -> list[Record]:
        """Matching records, sorted, paged and projected, copied out."""
        return self._out(self._select(native), native)

    def scan(self, native: NativeQuery, batch_size: int) -> Iterator[list[Record]]:
        """The same as search, in batches copied out one at a time."""
        items = self._select(native)
        for start in range(0, len(items), batch_size):
            yield self._out(items[start : start + batch_size], native)
