"""The memory backend: MemoryDatabase and AsyncMemoryDatabase."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from dataknobs_data.backends.memory.store import MEMORY_CAPABILITIES, MemoryStore
from dataknobs_data.engine.async_database import AsyncDatabase
from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.engine.database import Database
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.records import Record

__all__ = ["AsyncMemoryDatabase", "MemoryDatabase"]


class MemoryDatabase(Database):
    """Records in this process's memory; thread-safe; nothing is persisted.

    Example:
        >>> from dataknobs_data import Record
        >>> db = MemoryDatabase()
        >>> rid = db.create(Record({"n": 1}, id="a"))
        >>> db.read("a").to_dict()
        {'n': 1}
    """

    backend_name = "memory"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._store = MemoryStore()

    @property
    def capabilities(self) -> Capabilities:
        """Everything is native: the store runs the shared evaluator itself."""
        return MEMORY_CAPABILITIES

    def _get_many(self, ids: list[str]) -> list[Record | None]:
        return self._store.get_many(ids)

    def _get_one(self, record_id: str) -> Record | None:
        return self._store.get_one(record_id)

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

    def _search(self, native: NativeQuery) -> list[Record]:
        return self._store.search(native)

    def _scan(self, native: NativeQuery, batch_size: int) -> Iterator[list[Record]]:
        return self._store.scan(native, batch_size)

    def _count(self, native: NativeQuery) -> int:
        return self._store.count(native)

    def _clear(self) -> int:
        return self._store.clear()


class AsyncMemoryDatabase(AsyncDatabase):
    """The asynchronous face of :class:`MemoryDatabase` (same store semantics)."""

    backend_name = "memory"

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._store = MemoryStore()

    @property
    def capabilities(self) -> Capabilities:
        """Everything is native: the store runs the shared evaluator itself."""
        return MEMORY_CAPABILITIES

    async def _get_many(self, ids: list[str]) -> list[Record | None]:
        return self._store.get_many(ids)

    async def _get_one(self, record_id: str) -> Record | None:
        return self._store.get_one(record_id)

    async def _exists_many(self, ids: list[str]) -> list[bool]:
        return self._store.exists_many(ids)

    async def _insert_many(self, records: list[Record]) -> None:
        self._store.insert_many(records)

    async def _update_many(self, records: list[Record]) -> list[bool]:
        return self._store.update_many(records)

    async def _upsert_many(self, records: list[Record]) -> None:
        self._store.upsert_many(records)

    async def _delete_many(self, ids: list[str]) -> list[bool]:
        return self._store.delete_many(ids)

    async def _search(self, native: NativeQuery) -> list[Record]:
        return self._store.search(native)

    async def _scan(self, native: NativeQuery, batch_size: int) -> AsyncIterator[list[Record]]:
        for batch in self._store.scan(native, batch_size):
            yield batch

    async def _count(self, native: NativeQuery) -> int:
        return self._store.count(native)

    async def _clear(self) -> int:
        return self._store.clear()
