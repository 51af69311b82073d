"""The store of the whole-file formats (json, parquet): a snapshot plus buffered writes.

Writes go to an in-memory overlay (id -> the format's buffered item, or None
for a delete) and become durable on ``flush()``/close (or when the overlay reaches
``buffer_size``): the file is rewritten once, atomically, under the
exclusive inter-process lock. A flush first reopens the file if another
process replaced it, so their records are kept and ours are laid over them
(for the same id, the last flush wins). Reads combine the file, minus
overlaid ids, with the overlay.

A bulk load (one batch of new ids, then a flush) never builds the overlay's
id -> item map: the batch is kept as its two lists until something asks for
an id, and a flush writes it as it is.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace
from functools import partial
from itertools import compress
from operator import attrgetter, is_not
from typing import Any

from dataknobs_data.backends.file.atomic import atomic_write
from dataknobs_data.backends.file.formats.base import SnapshotFormat, SnapshotReader, WriteBuffer
from dataknobs_data.backends.file.locking import FileLock
from dataknobs_data.backends.file.options import FileOptions, Resolved
from dataknobs_data.backends.file.store import FILE_CAPABILITIES, FileStore, unpaged, window
from dataknobs_data.engine.ops import ids_of
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.errors import DuplicateRecordError
from dataknobs_data.query.evaluate import compile_expression
from dataknobs_data.query.filters import Filter
from dataknobs_data.records import Record

__all__ = ["SnapshotStore"]

_Signature = tuple[int, int, int, int]
# The core hands over prepared records: ids are set, strings.
_id_of: Callable[[Record], str] = attrgetter("id")
_is_held = partial(is_not, None)


class SnapshotStore(FileStore):
    """A json or parquet file with buffered writes."""

    def __init__(self, resolved: Resolved, fmt: SnapshotFormat, options: FileOptions) -> None:
        self.path = resolved.path
        self.fmt = fmt
        # Formats that buffer Python records need the core to copy values on the way in.
        self.capabilities = replace(
            FILE_CAPABILITIES, copies_on_write=fmt.copies_on_write, columnar=fmt.columnar
        )
        self.compression = resolved.compression
        self.fsync = options.fsync
        self.buffer_size = options.buffer_size
        self.row_group_size = options.row_group_size
        self.lock = FileLock(self.path)
        self._mutex = threading.RLock()
        self._signature: _Signature | None = None
        self._reader: SnapshotReader | None = None
        self._base_ids: set[str] | None = None
        self._pending: dict[str, Any] = {}  # id -> its item in _buffer, None: deleted
        # The first batch buffered since a flush, when it is all new ids: (ids, items),
        # folded into _pending by _overlay() once anything needs the map.
        self._fresh: tuple[list[str], Sequence[Any]] | None = None
        self._buffer = fmt.buffer()

    # -- the file ------------------------------------------------------------------
    def _refresh(self) -> None:
        """Reopen the file if it was replaced since we opened it."""
        try:
            st = os.stat(self.path)
        except FileNotFoundError:
            self._signature, self._reader, self._base_ids = None, None, set()
            return
        signature = (st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns)
        if signature != self._signature:
            # Old readers are not closed: a stream may still be reading one.
            self._reader = self.fmt.open(self.path, self.compression)
            self._signature = signature
            self._base_ids = None

    def _ids(self) -> set[str]:
        if self._base_ids is None:
            self._base_ids = self._reader.ids() if self._reader is not None else set()
        return self._base_ids

    def _overlay(self) -> dict[str, Any]:
        """The buffered writes by id (with the fresh batch folded in)."""
        if self._fresh is not None:
            ids, held = self._fresh
            self._pending.update(zip(ids, held, strict=True))
            self._fresh = None
        return self._pending

    def _live(self, rid: str) -> bool:
        pending = self._overlay()
        if rid in pending:
            return pending[rid] is not None
        return rid in self._ids()

    def open(self) -> None:
        """Open and validate the file."""
        with self._mutex:
            self._refresh()

    def close(self) -> None:
        """Flush and release the file."""
        with self._mutex:
            self._write_pending(reopen=False)
            if self._reader is not None:
                self._reader.close()
            self._reader, self._signature, self._base_ids = None, None, None
            self.lock.close()

    def flush(self) -> None:
        """Rewrite the file atomically with the buffered writes applied."""
        with self._mutex:
            self._write_pending(reopen=True)

    def _write_pending(self, *, reopen: bool) -> None:
        """Write the buffered writes; ``reopen`` False when closing (no reader is needed)."""
        if not self._pending and self._fresh is None:
            return
        with self.lock.exclusive():
            self._refresh()
            known = self._base_ids
            deleted: list[str] = []
            if self._fresh is not None:  # one batch of new ids, nothing else buffered
                written, puts = self._fresh
            else:
                pending = self._pending
                written = list(pending)
                puts = list(filter(_is_held, pending.values()))
                if len(puts) < len(written):
                    deleted = [rid for rid, item in pending.items() if item is None]
            drop = set(written) if self._reader is not None else set()
            with atomic_write(self.path, fsync=self.fsync) as target:
                self.fmt.write(
                    target,
                    self._reader,
                    drop,
                    self._buffer,
                    puts,
                    self.compression,
                    self.row_group_size,
                )
            self._pending, self._fresh, self._buffer = {}, None, self.fmt.buffer()
            if not reopen:
                return
            self._refresh()
            if known is not None:
                known.update(written)
                known.difference_update(deleted)
                self._base_ids = known

    def _maybe_flush(self) -> None:
        size = len(self._pending) if self._fresh is None else len(self._fresh[0])
        if size >= self.buffer_size:
            self.flush()

    # -- writes ------------------------------------------------------------------------
    def insert_many(self, records: list[Record]) -> None:
        """Buffer all records, or raise DuplicateRecordError naming existing ids."""
        with self._mutex:
            self._refresh()
            ids = self._ids()
            batch = ids_of(records)
            candidates = ids.intersection(batch) if ids else set()
            pending = self._overlay()
            if pending and not pending.keys().isdisjoint(batch):
                candidates.update(rid for rid in batch if rid in pending)
            if candidates:
                existing = [rid for rid in batch if rid in candidates and self._live(rid)]
                if existing:
                    raise DuplicateRecordError(existing)
            held = self._buffer.hold(records)
            if pending:
                pending.update(zip(batch, held, strict=True))
            else:
                self._fresh = (batch, held)
            self._maybe_flush()

    def update_many(self, records: list[Record]) -> list[bool]:
        """Buffer new versions of the records that exist."""
        with self._mutex:
            self._refresh()
            hits = [self._live(str(r.id)) for r in records]
            found = list(compress(records, hits))
            self._overlay().update(zip(map(_id_of, found), self._buffer.hold(found), strict=True))
            self._maybe_flush()
            return hits

    def upsert_many(self, records: list[Record]) -> None:
        """Buffer every record."""
        with self._mutex:
            self._overlay().update(zip(ids_of(records), self._buffer.hold(records), strict=True))
            self._maybe_flush()

    def delete_many(self, ids: list[str]) -> list[bool]:
        """Buffer deletes of the ids that exist."""
        with self._mutex:
            self._refresh()
            hits = []
            for rid in ids:
                hit = self._live(rid)
                hits.append(hit)
                if hit:
                    self._overlay()[rid] = None
            self._maybe_flush()
            return hits

    def clear(self) -> int:
        """Write an empty file now; return how many records there were."""
        with self._mutex, self.lock.exclusive():
            self._refresh()
            pending = self._overlay()
            count = sum(1 for rid in self._ids() if rid not in pending)
            count += sum(1 for r in pending.values() if r is not None)
            self._pending, self._buffer = {}, self.fmt.buffer()
            if self._signature is not None:
                with atomic_write(self.path, fsync=self.fsync) as target:
                    self.fmt.write(
                        target,
                        None,
                        set(),
                        self._buffer,
                        [],
                        self.compression,
                        self.row_group_size,
                    )
                self._refresh()
            return count

    # -- reads ---------------------------------------------------------------------------
    def get_many(self, ids: list[str]) -> list[Record | None]:
        """Buffered records first, then the file."""
        with self._mutex:
            self._refresh()
            pending = self._overlay()
            from_file = [rid for rid in ids if rid not in pending]
            found = self._reader.get(from_file) if (from_file and self._reader) else {}
            held = {rid: pending[rid] for rid in ids if pending.get(rid) is not None}
            found.update(zip(held, self._buffer.fetch(list(held.values())), strict=True))
            return [None if (rid in pending and rid not in held) else found.get(rid) for rid in ids]

    def exists_many(self, ids: list[str]) -> list[bool]:
        """From the buffered writes and the file's ids."""
        with self._mutex:
            self._refresh()
            return [self._live(rid) for rid in ids]

    def _state(self) -> tuple[SnapshotReader | None, dict[str, Any], WriteBuffer]:
        with self._mutex:
            self._refresh()
            return self._reader, dict(self._overlay()), self._buffer

    def scan(self, native: NativeQuery, batch_size: int) -> Iterator[list[Record]]:
        """The file's matches (filtered by its engine), then the buffered ones."""

        def batches() -> Iterator[list[Record]]:
            reader, pending, buffer = self._state()
            if reader is not None:
                yield from reader.scan(native.where, set(pending), native.projection, batch_size)
            predicate = compile_expression(native.where)
            held = list(filter(_is_held, pending.values()))
            for start in range(0, len(held), batch_size):
                batch = buffer.fetch(held[start : start + batch_size])
                if matching := [r for r in batch if predicate(r.data)]:
                    yield matching

        return window(batches(), native, batch_size)

    def count(self, native: NativeQuery) -> int:
        """The file's count (by its engine) plus the buffered matches."""
        reader, pending, buffer = self._state()
        total = reader.count(native.where, set(pending)) if reader is not None else 0
        predicate = compile_expression(unpaged(native).where)
        held = buffer.fetch(list(filter(_is_held, pending.values())))
        return total + sum(1 for r in held if predicate(r.data))

    def can_push(self, condition: Filter) -> bool:
        """Asks the file's reader (parquet pushes typed comparisons into Arrow)."""
        with self._mutex:
            self._refresh()
            return self._reader.can_push(condition) if self._reader is not None else True

    def native_text(self, native: NativeQuery) -> str | None:
        """The reader's rendering of the filter."""
        reader, _, _ = self._state()
        if reader is None:
            return None
        return reader.describe(native.where)
