"""FileDatabase and AsyncFileDatabase: thin faces over one :class:`FileStore`.

The async face runs the same store in a worker thread (``asyncio.to_thread``).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

from dataknobs_data.backends.file.formats import log_format, snapshot_format
from dataknobs_data.backends.file.log_store import LogStore
from dataknobs_data.backends.file.options import FileOptions, resolve
from dataknobs_data.backends.file.snapshot_store import SnapshotStore
from dataknobs_data.backends.file.store import FileStore
from dataknobs_data.engine.async_database import AsyncDatabase
from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.engine.database import Database
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.query.filters import Filter
from dataknobs_data.records import Record

__all__ = ["AsyncFileDatabase", "FileDatabase", "make_store"]


def make_store(options: FileOptions) -> FileStore:
    """The store for the options' format: a log (jsonl, csv) or a snapshot (json, parquet)."""
    resolved = resolve(options)
    log = log_format(resolved.format)
    if log is not None:
        return LogStore(resolved, log, options)
    return SnapshotStore(resolved, snapshot_format(resolved.format), options)


class _FileBase:
    """What both faces share: the store, capabilities, pushdown and explain."""

    options: FileOptions
    _store: FileStore

    def _init_store(self) -> None:
        self._store = make_store(self.options)

    @property
    def capabilities(self) -> Capabilities:
        """What the store runs itself (filters, paging, projection, count)."""
        return self._store.capabilities

    def _can_push(self, condition: Filter) -> bool:
        return self._store.can_push(condition)

    def _native_text(self, native: NativeQuery) -> str | None:
        return self._store.native_text(native)


class FileDatabase(_FileBase, Database):
    """Records in one file: json, jsonl, csv or parquet, optionally gzip/zstd compressed.

    Example:
        >>> import tempfile, pathlib
        >>> from dataknobs_data import Record
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "people.jsonl"
        >>> with FileDatabase(path=path) as db:
        ...     _ = db.create(Record({"name": "Ada"}, id="a"))
        >>> with FileDatabase(path=path) as db:
        ...     db.read("a").to_dict()
        {'name': 'Ada'}
    """

    backend_name = "file"
    options_class = FileOptions

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._init_store()

    def flush(self) -> None:
        """Write buffered changes (json, parquet) to the file now; no-op for jsonl/csv."""
        if self._connected:
            self._store.flush()

    def compact(self) -> None:
        """jsonl/csv: rewrite the log without superseded versions; others: flush."""
        if isinstance(self._store, LogStore):
            self._store.compact()
        else:
            self.flush()

    def _connect(self) -> None:
        self._store.open()

    def _close(self) -> None:
        self._store.close()

    def _get_many(self, ids: list[str]) -> list[Record | None]:
        return self._store.get_many(ids)

    def _exists_many(self, ids: list[str]) -> list[bool]:
        return self._store.exists_many(ids)

    def _insert_many(self, records: list[Record]) -> None:
        self._store.insert_many(records)

    def _update_many(self, records: list[Record]) -> list[bool]:
        return self._store.update_many(records)

    def _upsert_many(self, records: list[Record]) -> None:
        self._store.upsert_many(records)

    def _delete_many(self, ids: list[str]) -> list[bool]:
        return self._store.delete_many(ids)

    def _scan(self, native: NativeQuery, batch_size: int) -> Iterator[list[Record]]:
        return self._store.scan(native, batch_size)

    def _count(self, native: NativeQuery) -> int:
        return self._store.count(native)

    def _clear(self) -> int:
        return self._store.clear()


class AsyncFileDatabase(_FileBase, AsyncDatabase):
    """The asynchronous face of :class:`FileDatabase`; the store runs in a worker thread."""

    backend_name = "file"
    options_class = FileOptions

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._init_store()

    async def flush(self) -> None:
        """Write buffered changes to the file now."""
        if self._connected:
            await asyncio.to_thread(self._store.flush)

    async def compact(self) -> None:
        """See :meth:`FileDatabase.compact`."""
        store = self._store
        await asyncio.to_thread(store.compact if isinstance(store, LogStore) else store.flush)

    async def _connect(self) -> None:
        await asyncio.to_thread(self._store.open)

    async def _close(self) -> None:
        await asyncio.to_thread(self._store.close)

    async def _get_many(self, ids: list[str]) -> list[Record | None]:
        return await asyncio.to_thread(self._store.get_many, ids)

    async def _exists_many(self, ids: list[str]) -> list[bool]:
        return await asyncio.to_thread(self._store.exists_many, ids)

    async def _insert_many(self, records: list[Record]) -> None:
        await asyncio.to_thread(self._store.insert_many, records)

    async def _update_many(self, records: list[Record]) -> list[bool]:
        return await asyncio.to_thread(self._store.update_many, records)

    async def _upsert_many(self, records: list[Record]) -> None:
        await asyncio.to_thread(self._store.upsert_many, records)

    async def _delete_many(self, ids: list[str]) -> list[bool]:
        return await asyncio.to_thread(self._store.delete_many, ids)

    async def _scan(self, native: NativeQuery, batch_size: int) -> AsyncIterator[list[Record]]:
        batches = self._store.scan(native, batch_size)
        try:
            while (batch := await asyncio.to_thread(next, batches, None)) is not None:
                yield batch
        finally:
            batches.close()  # type: ignore[attr-defined]

    async def _count(self, native: NativeQuery) -> int:
        return await asyncio.to_thread(self._store.count, native)

    async def _clear(self) -> int:
        return await asyncio.to_thread(self._store.clear)
