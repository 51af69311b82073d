"""SQLiteDatabase and AsyncSQLiteDatabase: thin faces over :class:`.engine.SQLiteEngine`."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator
from typing import Any

from dataknobs_data.backends.sqlite.engine import SQLiteEngine
from dataknobs_data.backends.sqlite.options import SQLiteOptions
from dataknobs_data.backends.sqlite.translate import pushable_path
from dataknobs_data.engine.async_database import AsyncDatabase
from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.engine.database import Database
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.query.filters import Filter
from dataknobs_data.records import Record

__all__ = ["SQLITE_CAPABILITIES", "AsyncSQLiteDatabase", "SQLiteDatabase"]

SQLITE_CAPABILITIES = Capabilities(name="sqlite", indexes=True, max_batch_size=1_000_000)
"""Everything runs in SQL; only field names that are not valid JSON paths stay in Python."""


class _SQLiteShared:
    """What both faces share besides the engine: capabilities, pushdown check, explain."""

    options: SQLiteOptions
    _engine: SQLiteEngine

    @property
    def capabilities(self) -> Capabilities:
        """Every operator, Or/Not, nested paths, sort, paging, projection and count."""
        return SQLITE_CAPABILITIES

    def _can_push(self, condition: Filter) -> bool:
        return pushable_path(condition.field)

    def _native_text(self, native: NativeQuery) -> str | None:
        return self._engine.native_text(native)


class SQLiteDatabase(_SQLiteShared, Database):
    """Records in an SQLite file (or in memory): the embedded default backend.

    Options (see :class:`SQLiteOptions`): ``path`` (``":memory:"`` allowed),
    ``table``, ``timeout``, ``synchronous``.

    Example:
        >>> from dataknobs_data import Query, Record
        >>> with SQLiteDatabase(path=":memory:") as db:
        ...     _ = db.create_batch([Record({"n": i}, id=str(i)) for i in range(5)])
        ...     [r.id for r in db.search(Query().filter("n", ">=", 3))]
        ['3', '4']
    """

    backend_name = "sqlite"
    options_class = SQLiteOptions

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._engine = SQLiteEngine(self.options)

    def _connect(self) -> None:
        self._engine.connect()

    def _close(self) -> None:
        self._engine.close()

    def _get_one(self, record_id: str) -> Record | None:
        return self._engine.get_one(record_id)

    def _get_many(self, ids: list[str]) -> list[Record | None]:
        return self._engine.get_many(ids)

    def _exists_many(self, ids: list[str]) -> list[bool]:
        return self._engine.exists_many(ids)

    def _insert_many(self, records: list[Record]) -> None:
        self._engine.insert_many(records)

    def _update_many(self, records: list[Record]) -> list[bool]:
        return self._engine.update_many(records)

    def _upsert_many(self, records: list[Record]) -> None:
        self._engine.upsert_many(records)

    def _delete_many(self, ids: list[str]) -> list[bool]:
        return self._engine.delete_many(ids)

    def _scan(self, native: NativeQuery, batch_size: int) -> Iterator[list[Record]]:
        return self._engine.scan(native, batch_size)

    def _search(self, native: NativeQuery) -> list[Record]:
        return self._engine.search(native)

    def _count(self, native: NativeQuery) -> int:
        return self._engine.count(native)

    def _clear(self) -> int:
        return self._engine.clear()

    def _create_index(self, field: str) -> None:
        self._engine.create_index(field)


class AsyncSQLiteDatabase(_SQLiteShared, AsyncDatabase):
    """The asynchronous face of :class:`SQLiteDatabase`: each call runs in a worker thread."""

    backend_name = "sqlite"
    options_class = SQLiteOptions

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._engine = SQLiteEngine(self.options)

    async def _connect(self) -> None:
        await asyncio.to_thread(self._engine.connect)

    async def _close(self) -> None:
        await asyncio.to_thread(self._engine.close)

    async def _get_one(self, record_id: str) -> Record | None:
        return await asyncio.to_thread(self._engine.get_one, record_id)

    async def _get_many(self, ids: list[str]) -> list[Record | None]:
        return await asyncio.to_thread(self._engine.get_many, ids)

    async def _exists_many(self, ids: list[str]) -> list[bool]:
        return await asyncio.to_thread(self._engine.exists_many, ids)

    async def _insert_many(self, records: list[Record]) -> None:
        await asyncio.to_thread(self._engine.insert_many, records)

    async def _update_many(self, records: list[Record]) -> list[bool]:
        return await asyncio.to_thread(self._engine.update_many, records)

    async def _upsert_many(self, records: list[Record]) -> None:
        await asyncio.to_thread(self._engine.upsert_many, records)

    async def _delete_many(self, ids: list[str]) -> list[bool]:
        return await asyncio.to_thread(self._engine.delete_many, ids)

    async def _scan(self, native: NativeQuery, batch_size: int) -> AsyncIterator[list[Record]]:
        batches = self._engine.scan(native, batch_size)
        try:
            while (batch := await asyncio.to_thread(next, batches, None)) is not None:
                yield batch
        finally:
            batches.close()

    async def _search(self, native: NativeQuery) -> list[Record]:
        return await asyncio.to_thread(self._engine.search, native)

    async def _count(self, native: NativeQuery) -> int:
        return await asyncio.to_thread(self._engine.count, native)

    async def _clear(self) -> int:
        return await asyncio.to_thread(self._engine.clear)

    async def _create_index(self, field: str) -> None:
        await asyncio.to_thread(self._engine.create_index, field)
