"""Databases over a blocking store: the faces written once for every such backend.

Memory, SQLite, file and S3 keep their I/O in one blocking *store* object
whose methods are the backend primitives without the leading underscore. The
sync face calls them directly; the async face runs each one in a worker
thread (``asyncio.to_thread``), or inline when the store never blocks
(``blocking = False``, the memory store). A backend then writes only its
store and the few things its faces add (options, capabilities, explain text).
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator
from typing import Any, ClassVar, TypeVar

from dataknobs_data.engine.async_database import AsyncDatabase
from dataknobs_data.engine.database import Database
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.errors import DatabaseError
from dataknobs_data.records import Record

__all__ = ["AsyncStoreDatabase", "BlockingStore", "StoreDatabase"]

T = TypeVar("T")


class BlockingStore:
    """Base of a backend's store; the optional primitives have defaults here."""

    def connect(self) -> None:
        """Open resources."""

    def close(self) -> None:
        """Release resources."""

    def get_many(self, ids: list[str]) -> list[Record | None]:
        """Records for ``ids`` in order, None where absent."""
        raise NotImplementedError

    def get_one(self, record_id: str) -> Record | None:
        """One record by id, or None."""
        return self.get_many([record_id])[0]

    def exists_many(self, ids: list[str]) -> list[bool]:
        """Whether each id is stored."""
        return [r is not None for r in self.get_many(ids)]

    def scan(self, native: NativeQuery, batch_size: int) -> Iterator[list[Record]]:
        """Batches of records matching ``native``."""
        raise NotImplementedError

    def search(self, native: NativeQuery) -> list[Record]:
        """All records matching ``native``."""
        return [r for batch in self.scan(native, 10_000) for r in batch]

    def count(self, native: NativeQuery) -> int:
        """How many records match ``native``."""
        return sum(len(batch) for batch in self.scan(native, 10_000))

    def create_index(self, field: str) -> None:
        """Index ``field``; stores without indexes refuse."""
        raise DatabaseError(f"this backend does not support indexes (field {field!r})")


class StoreDatabase(Database):
    """The synchronous face over ``self._store``: each primitive is one store call."""

    _store: Any

    def _connect(self) -> None:
        self._store.connect()

    def _close(self) -> None:
        self._store.close()

    def _get_one(self, record_id: str) -> Record | None:
        return self._store.get_one(record_id)  # type: ignore[no-any-return]

    def _get_many(self, ids: list[str]) -> list[Record | None]:
        return self._store.get_many(ids)  # type: ignore[no-any-return]

    def _exists_many(self, ids: list[str]) -> list[bool]:
        return self._store.exists_many(ids)  # type: ignore[no-any-return]

    def _insert_many(self, records: list[Record]) -> None:
        self._store.insert_many(records)

    def _update_many(self, records: list[Record]) -> list[bool]:
        return self._store.update_many(records)  # type: ignore[no-any-return]

    def _upsert_many(self, records: list[Record]) -> None:
        self._store.upsert_many(records)

    def _delete_many(self, ids: list[str]) -> list[bool]:
        return self._store.delete_many(ids)  # type: ignore[no-any-return]

    def _scan(self, native: NativeQuery, batch_size: int) -> Iterator[list[Record]]:
        return self._store.scan(native, batch_size)  # type: ignore[no-any-return]

    def _search(self, native: NativeQuery) -> list[Record]:
        return self._store.search(native)  # type: ignore[no-any-return]

    def _count(self, native: NativeQuery) -> int:
        return self._store.count(native)  # type: ignore[no-any-return]

    def _clear(self) -> int:
        return self._store.clear()  # type: ignore[no-any-return]

    def _create_index(self, field: str) -> None:
        self._store.create_index(field)


class AsyncStoreDatabase(AsyncDatabase):
    """The asynchronous face over ``self._store``: each call in a worker thread."""

    _store: Any
    blocking: ClassVar[bool] = True  # False: the store never blocks; call it inline

    async def _call(self, method: Callable[..., T], *args: Any) -> T:
        if self.blocking:
            return await asyncio.to_thread(method, *args)
        return method(*args)

    async def _connect(self) -> None:
        await self._call(self._store.connect)

    async def _close(self) -> None:
        await self._call(self._store.close)

    async def _get_one(self, record_id: str) -> Record | None:
        return await self._call(self._store.get_one, record_id)

    async def _get_many(self, ids: list[str]) -> list[Record | None]:
        return await self._call(self._store.get_many, ids)

    async def _exists_many(self, ids: list[str]) -> list[bool]:
        return await self._call(self._store.exists_many, ids)

    async def _insert_many(self, records: list[Record]) -> None:
        await self._call(self._store.insert_many, records)

    async def _update_many(self, records: list[Record]) -> list[bool]:
        return await self._call(self._store.update_many, records)

    async def _upsert_many(self, records: list[Record]) -> None:
        await self._call(self._store.upsert_many, records)

    async def _delete_many(self, ids: list[str]) -> list[bool]:
        return await self._call(self._store.delete_many, ids)

    async def _scan(self, native: NativeQuery, batch_size: int) -> AsyncIterator[list[Record]]:
        batches = self._store.scan(native, batch_size)
        try:
            while (batch := await self._call(next, batches, None)) is not None:
                yield batch
        finally:
            close = getattr(batches, "close", None)
            if close is not None:
                await self._call(close)

    async def _search(self, native: NativeQuery) -> list[Record]:
        return await self._call(self._store.search, native)

    async def _count(self, native: NativeQuery) -> int:
        return await self._call(self._store.count, native)

    async def _clear(self) -> int:
        return await self._call(self._store.clear)

    async def _create_index(self, field: str) -> None:
        await self._call(self._store.create_index, field)
