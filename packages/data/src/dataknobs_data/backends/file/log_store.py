"""The store of the row formats (jsonl, csv): an append-only log with compaction.

Every write appends entries with one ``write`` call under the exclusive
inter-process lock, after reading whatever other processes appended since
(the file's identity and size tell). An entry that supersedes an earlier one
is flagged (``replace`` or ``delete``), so a scan of a log without flagged
entries needs no index at all, and a scan of one with flagged entries only
remembers those ids: streaming memory stays bounded by the batch size. The
id index (id -> offset) is built on the first operation by id. Compaction
rewrites the log atomically without superseded entries, when more than half
of it is garbage and on close.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterator
from typing import Any, BinaryIO, cast

from dataknobs_data.backends.file.atomic import append_bytes, atomic_write
from dataknobs_data.backends.file.compression import (
    LimitedReader,
    compress,
    open_reader,
    open_writer,
)
from dataknobs_data.backends.file.formats.base import (
    DELETE,
    INSERT,
    REPLACE,
    Cursor,
    LogEntry,
    LogFormat,
)
from dataknobs_data.backends.file.locking import FileLock
from dataknobs_data.backends.file.options import FileOptions, Resolved
from dataknobs_data.backends.file.store import FileStore, decode_record, unpaged, window
from dataknobs_data.codec import encode_json_data, encode_json_value
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.errors import DuplicateRecordError
from dataknobs_data.query.evaluate import compile_expression
from dataknobs_data.records import Record

__all__ = ["LogStore"]

_COMPACT_MIN_FLAGGED = 1000
_WRITE_CHUNK = 1 << 20

# id -> (offset of the id's newest entry, that entry is a tombstone)
_Superseded = dict[str, tuple[int, bool]]


class LogStore(FileStore):
    """An append-only jsonl/csv log file."""

    def __init__(self, resolved: Resolved, fmt: LogFormat, options: FileOptions) -> None:
        self.path = resolved.path
        self.fmt = fmt
        self.compression = resolved.compression
        self.fsync = options.fsync
        self.compact_on_close = options.compact_on_close
        self.lock = FileLock(self.path)
        self._mutex = threading.RLock()
        self._reset()

    # -- state -------------------------------------------------------------------
    def _reset(self) -> None:
        self._ident: tuple[int, int] | None = None
        self._size = 0  # bytes of the file read so far
        self._cursor = Cursor()  # decompressed position after them
        self._entries = 0
        self._flagged = 0
        self._superseded: _Superseded = {}
        self._index: dict[str, int] | None = None

    def _refresh(self, *, index: bool) -> None:
        """Catch up with the file (caller holds the lock)."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            self._reset()
            self._index = {}
            return
        ident = (st.st_dev, st.st_ino)
        if ident != self._ident or st.st_size < self._size or (index and self._index is None):
            self._reset()
            self._ident = ident
            if index:
                self._index = {}
            self._read(0, st.st_size)
        elif st.st_size > self._size:
            self._read(self._size, st.st_size)

    def _read(self, start: int, end: int) -> None:
        with open(self.path, "rb") as raw:
            raw.seek(start)
            limited = io.BufferedReader(LimitedReader(raw, end - start), 1 << 16)
            stream = open_reader(cast(BinaryIO, limited), self.compression)
            for entry in self.fmt.entries(stream, self._cursor, self.path):
                self._apply(entry.id, entry.op, entry.offset)
        self._size = end

    def _apply(self, rid: str, op: str, offset: int) -> None:
        self._entries += 1
        index = self._index
        if op == INSERT and (rid in self._superseded or (index is not None and rid in index)):
            op = REPLACE  # a hand-written log may repeat an id without flagging it
        if op == INSERT:
            if index is not None:
                index[rid] = offset
            return
        self._flagged += 1
        deleted = op == DELETE
        self._superseded[rid] = (offset, deleted)
        if index is not None:
            if deleted:
                index.pop(rid, None)
            else:
                index[rid] = offset

    def _ids(self) -> dict[str, int]:
        assert self._index is not None
        return self._index

    # -- lifecycle -----------------------------------------------------------------
    def open(self) -> None:
        """Read (and so validate) the whole log once."""
        with self._mutex, self.lock.shared():
            self._refresh(index=False)

    def close(self) -> None:
        """Compact a log holding superseded entries, then release the lock file."""
        with self._mutex:
            if self.compact_on_close and self.path.exists():
                self.compact(only_if_garbage=True)
            self.lock.close()
            self._reset()

    # -- writing ---------------------------------------------------------------------
    def _append(self, entries: list[tuple[str, str, Any, Any]]) -> None:
        """Append entries (caller holds the exclusive lock and has refreshed)."""
        prefix = b""
        if self._size == 0:
            prefix = self.fmt.header
        elif not self._cursor.clean:
            prefix = b"\n"
        encode = self.fmt.encode
        chunks = [prefix]
        offset = self._cursor.offset + len(prefix)
        placed: list[tuple[str, str, int]] = []
        for rid, op, data, metadata in entries:
            chunk = encode(rid, op, data, metadata)
            chunks.append(chunk)
            placed.append((rid, op, offset))
            offset += len(chunk)
        payload = b"".join(chunks)
        size = append_bytes(self.path, compress(payload, self.compression), fsync=self.fsync)
        if self._ident is None:
            st = os.stat(self.path)
            self._ident = (st.st_dev, st.st_ino)
        self._size = size
        self._cursor.offset = offset
        self._cursor.line += payload.count(b"\n")
        self._cursor.clean = True
        for rid, op, at in placed:
            self._apply(rid, op, at)
        if self._flagged >= _COMPACT_MIN_FLAGGED and self._flagged * 2 >= self._entries:
            self.compact()

    @staticmethod
    def _encoded(record: Record, op: str) -> tuple[str, str, Any, Any]:
        metadata = encode_json_value(record.metadata) if record.metadata else None
        return (str(record.id), op, encode_json_data(record.data), metadata)

    def insert_many(self, records: list[Record]) -> None:
        """Append all records, or raise DuplicateRecordError naming existing ids."""
        with self._mutex, self.lock.exclusive():
            self._refresh(index=True)
            index = self._ids()
            existing = [str(r.id) for r in records if r.id in index]
            if existing:
                raise DuplicateRecordError(existing)
            seen = self._superseded
            self._append([self._encoded(r, REPLACE if r.id in seen else INSERT) for r in records])

    def update_many(self, records: list[Record]) -> list[bool]:
        """Append new versions of the records that exist."""
        with self._mutex, self.lock.exclusive():
            self._refresh(index=True)
            index = self._ids()
            hits = [r.id in index for r in records]
            changed = [
                self._encoded(r, REPLACE) for r, hit in zip(records, hits, strict=True) if hit
            ]
            if changed:
                self._append(changed)
            return hits

    def upsert_many(self, records: list[Record]) -> None:
        """Append every record as an insert or a new version."""
        with self._mutex, self.lock.exclusive():
            self._refresh(index=True)
            index, seen = self._ids(), self._superseded
            self._append(
                [
                    self._encoded(r, REPLACE if (r.id in index or r.id in seen) else INSERT)
                    for r in records
                ]
            )

    def delete_many(self, ids: list[str]) -> list[bool]:
        """Append tombstones for the ids that exist."""
        with self._mutex, self.lock.exclusive():
            self._refresh(index=True)
            index = self._ids()
            hits = []
            tombstones: list[tuple[str, str, Any, Any]] = []
            doomed: set[str] = set()
            for rid in ids:
                hit = rid in index and rid not in doomed
                hits.append(hit)
                if hit:
                    doomed.add(rid)
                    tombstones.append((rid, DELETE, None, None))
            if tombstones:
                self._append(tombstones)
            return hits

    def clear(self) -> int:
        """Replace the log by an empty file; return how many records it held."""
        with self._mutex, self.lock.exclusive():
            self._refresh(index=True)
            count = len(self._ids())
            if self._ident is not None:
                with atomic_write(self.path, fsync=self.fsync):
                    pass
                self._reset()
                self._refresh(index=True)
            return count

    def compact(self, *, only_if_garbage: bool = False) -> None:
        """Rewrite the log atomically with only the newest version of each live record."""
        with self._mutex, self.lock.exclusive():
            self._refresh(index=False)
            if self._ident is None or (only_if_garbage and not self._flagged):
                return
            index: dict[str, int] = {}
            offset = lines = 0
            with atomic_write(self.path, fsync=self.fsync) as raw:
                out = open_writer(raw, self.compression)
                chunks = [self.fmt.header]
                size = len(self.fmt.header)
                encode = self.fmt.encode
                for entry in self._live(self._size, dict(self._superseded)):
                    chunk = encode(entry.id, INSERT, entry.data, entry.metadata)
                    chunks.append(chunk)
                    index[entry.id] = offset + size
                    size += len(chunk)
                    if size >= _WRITE_CHUNK:
                        data = b"".join(chunks)
                        out.write(data)
                        lines += data.count(b"\n")
                        offset += size
                        chunks, size = [], 0
                data = b"".join(chunks)
                out.write(data)
                lines += data.count(b"\n")
                offset += size
                out.close()
            st = os.stat(self.path)
            self._reset()
            self._ident = (st.st_dev, st.st_ino)
            self._size = st.st_size
            self._cursor = Cursor(offset, lines + 1, True)
            self._entries = len(index)
            self._index = index

    # -- reading -----------------------------------------------------------------------
    def _live(self, limit: int, superseded: _Superseded) -> Iterator[LogEntry]:
        """The newest version of each live record among the first ``limit`` bytes."""
        with open(self.path, "rb") as raw:
            limited = io.BufferedReader(LimitedReader(raw, limit), 1 << 16)
            stream = open_reader(cast(BinaryIO, limited), self.compression)
            for entry in self.fmt.entries(stream, Cursor(), self.path):
                if superseded:
                    newest = superseded.get(entry.id)
                    if newest is not None and (newest[0] != entry.offset or newest[1]):
                        continue
                elif entry.op == DELETE:
                    continue
                yield entry

    def _snapshot(self, *, index: bool) -> tuple[int, _Superseded]:
        with self._mutex, self.lock.shared():
            self._refresh(index=index)
            return self._size, dict(self._superseded)

    def _records(self, native: NativeQuery) -> Iterator[Record]:
        limit, superseded = self._snapshot(index=False)
        if not limit:
            return
        predicate = compile_expression(native.where) if native.where is not None else None
        source = str(self.path)
        for entry in self._live(limit, superseded):
            record = decode_record(
                entry.id, entry.data, entry.metadata, f"{source}: line {entry.line}"
            )
            if predicate is None or predicate(record.data):
                yield record

    def scan(self, native: NativeQuery, batch_size: int) -> Iterator[list[Record]]:
        """Stream matching records; memory is bounded by ``batch_size``."""

        def batches() -> Iterator[list[Record]]:
            batch: list[Record] = []
            for record in self._records(native):
                batch.append(record)
                if len(batch) >= batch_size:
                    yield batch
                    batch = []
            if batch:
                yield batch

        return window(batches(), native, batch_size)

    def count(self, native: NativeQuery) -> int:
        """Count matches (the index answers an unfiltered count)."""
        if native.where is None:
            with self._mutex, self.lock.shared():
                self._refresh(index=True)
                return len(self._ids())
        return sum(1 for _ in self._records(unpaged(native)))

    def get_many(self, ids: list[str]) -> list[Record | None]:
        """Read records by id: by offset in a plain file, by one pass in a compressed one."""
        with self._mutex, self.lock.shared():
            self._refresh(index=True)
            index = self._ids()
            wanted = {rid: index[rid] for rid in ids if rid in index}
            if not wanted:
                return [None] * len(ids)
            found = self._fetch(wanted)
        return [found.get(rid) for rid in ids]

    def _fetch(self, wanted: dict[str, int]) -> dict[str, Record]:
        source = str(self.path)
        found: dict[str, Record] = {}
        if self.compression == "none":
            with open(self.path, "rb") as raw:
                for rid, offset in wanted.items():
                    raw.seek(offset)
                    entry = next(self.fmt.entries(raw, Cursor(offset, 0), source))
                    found[rid] = decode_record(rid, entry.data, entry.metadata, source)
            return found
        offsets = {offset: rid for rid, offset in wanted.items()}
        for entry in self._live(self._size, self._superseded):
            hit = offsets.get(entry.offset)
            if hit is not None:
                found[hit] = decode_record(hit, entry.data, entry.metadata, source)
        return found

    def exists_many(self, ids: list[str]) -> list[bool]:
        """Answered from the id index."""
        with self._mutex, self.lock.shared():
            self._refresh(index=True)
            index = self._ids()
            return [rid in index for rid in ids]

    def native_text(self, native: NativeQuery) -> str | None:
        """The scan the store runs."""
        return f"stream {self.fmt.name} log {self.path} through the shared evaluator"
