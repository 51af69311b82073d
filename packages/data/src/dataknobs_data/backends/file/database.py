"""FileDatabase and AsyncFileDatabase: thin faces over one :class:`FileStore`.

The async face runs the same store in a worker thread (``asyncio.to_thread``).
"""

from __future__ import annotations

import asyncio
from typing import Any

from dataknobs_data.backends.file.formats import log_format, snapshot_format
from dataknobs_data.backends.file.log_store import LogStore
from dataknobs_data.backends.file.options import FileOptions, resolve
from dataknobs_data.backends.file.snapshot_store import SnapshotStore
from dataknobs_data.backends.file.store import FileStore
from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.engine.store import AsyncStoreDatabase, StoreDatabase
from dataknobs_data.query.filters import Filter

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


class FileDatabase(_FileBase, StoreDatabase):
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


class AsyncFileDatabase(_FileBase, AsyncStoreDatabase):
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
