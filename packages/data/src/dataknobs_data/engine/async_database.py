"""AsyncDatabase: the asynchronous face. Same operations as :class:`Database`, awaited."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import AsyncIterator, Iterable, Mapping
from types import TracebackType
from typing import Any, Self, TypeVar

from dataknobs_data.engine import ops
from dataknobs_data.engine.base import DatabaseBase
from dataknobs_data.engine.ops import Op, StreamWindow, WriteResult
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.errors import DatabaseError
from dataknobs_data.progress import ProgressCallback
from dataknobs_data.query.query import Query
from dataknobs_data.records import Record

__all__ = ["AsyncDatabase"]

T = TypeVar("T")


class AsyncDatabase(DatabaseBase):
    """An asynchronous database over one backend; every method is a coroutine.

    Example:
        >>> import asyncio
        >>> from dataknobs_data import AsyncDatabase, Record
        >>> async def main() -> int:
        ...     async with AsyncDatabase.from_backend("memory") as db:
        ...         await db.create(Record({"n": 1}))
        ...         return await db.count()
        >>> asyncio.run(main())
        1
    """

    @staticmethod
    def from_backend(name: str, options: Mapping[str, Any] | None = None) -> AsyncDatabase:
        """Build the asynchronous database of backend ``name`` with ``options``."""
        from dataknobs_data.factory import database_factory

        db: AsyncDatabase = database_factory.create_async(backend=name, **dict(options or {}))
        return db

    async def connect(self) -> Self:
        """Open connections, files or clients; idempotent."""
        if not self._connected:
            await self._connect()
            self._connected = True
        return self

    async def close(self) -> None:
        """Flush and release resources; idempotent."""
        if self._connected:
            self._connected = False
            await self._close()

    async def __aenter__(self) -> Self:
        return await self.connect()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.close()

    async def _run(self, op: Op[T]) -> T:
        if not self._connected:
            await self.connect()
        try:
            call = next(op)
            while True:
                try:
                    result = await getattr(self, call.method)(*call.args)
                except Exception as exc:
                    call = op.throw(exc)
                else:
                    call = op.send(result)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]

    async def _ready(self) -> None:
        if not self._connected:
            await self.connect()

    # -- CRUD -------------------------------------------------------------------
    async def create(self, record: Record) -> str:
        """Store a new record and return its id; see :meth:`Database.create`."""
        return await self._run(ops.create(self.capabilities, record))

    async def read(self, record_id: str) -> Record | None:
        """Return the record with this id, or None."""
        await self._ready()
        if type(record_id) is not str or not record_id:
            ops.check_id(record_id)  # raises
        return await self._get_one(record_id)

    async def exists(self, record_id: str) -> bool:
        """Tell whether a record with this id exists."""
        return await self._run(ops.exists(record_id))

    async def update(self, record_id: str, record: Record) -> bool:
        """Replace the record's data; False when the id does not exist."""
        return await self._run(ops.update(self.capabilities, record_id, record))

    async def upsert(self, record: Record) -> str:
        """Insert or replace by ``record.id``; returns the id."""
        return await self._run(ops.upsert(self.capabilities, record))

    async def delete(self, record_id: str) -> bool:
        """Delete a record; False when the id does not exist."""
        return await self._run(ops.delete(record_id))

    async def create_batch(self, records: Iterable[Record]) -> list[str]:
        """Store all records or none of them; ids in input order."""
        return await self._run(ops.create_batch(self.capabilities, records))

    async def read_batch(self, ids: Iterable[str]) -> list[Record | None]:
        """Read records by id, in input order (None where absent)."""
        return await self._run(ops.read_batch(ids))

    async def update_batch(self, records: Iterable[Record]) -> list[bool]:
        """Replace records by id; one bool per record."""
        return await self._run(ops.update_batch(self.capabilities, records))

    async def upsert_batch(self, records: Iterable[Record]) -> list[str]:
        """Insert or replace records; ids in input order."""
        return await self._run(ops.upsert_batch(self.capabilities, records))

    async def delete_batch(self, ids: Iterable[str]) -> list[bool]:
        """Delete records by id; one bool per id."""
        return await self._run(ops.delete_batch(ids))

    async def clear(self) -> int:
        """Remove every record; return how many there were."""
        await self._ready()
        return await self._clear()

    # -- queries ---------------------------------------------------------------
    async def search(self, query: Query | None = None) -> list[Record]:
        """Return the records matching ``query``, sorted, paged and projected."""
        plan = self._plan(query)
        await self._ready()
        return ops.finish_search(plan, await self._search(plan.native))

    async def count(self, query: Query | None = None) -> int:
        """Count the records matching ``query`` (its offset and limit are ignored)."""
        plan = self._plan(query, paging=False)
        await self._ready()
        if plan.residual is None and self.capabilities.count:
            return await self._count(plan.native)
        window = StreamWindow(plan)
        total = 0
        async for batch in self._scan(plan.native, 1000):
            total += len(window.process(batch))
        return total

    async def stream(
        self, query: Query | None = None, batch_size: int = 1000
    ) -> AsyncIterator[Record]:
        """Yield matching records; memory is bounded by ``batch_size``."""
        if batch_size < 1:
            raise DatabaseError(f"batch_size must be at least 1, got {batch_size}")
        plan = self._plan(query)
        await self._ready()
        if plan.python_sort:
            for record in await self.search(query):
                yield record
            return
        window = StreamWindow(plan)
        if window.done:
            return
        async for batch in self._scan(plan.native, batch_size):
            for record in window.process(batch):
                yield record
            if window.done:
                return

    async def stream_write(
        self,
        records: Iterable[Record],
        batch_size: int = 1000,
        on_progress: ProgressCallback | None = None,
    ) -> WriteResult:
        """Create records from any iterable in batches; failures are named, not fatal.

        ``on_progress(done, total)`` is called after each batch.
        """
        op = ops.stream_write(self.capabilities, records, batch_size, on_progress)
        return await self._run(op)

    async def create_index(self, field: str) -> None:
        """Create an index on ``field`` so filters on it avoid a full scan."""
        await self._ready()
        await self._create_index(field)

    # -- primitives a backend implements ---------------------------------------
    async def _connect(self) -> None:
        """Open resources."""

    async def _close(self) -> None:
        """Release resources."""

    @abstractmethod
    async def _get_many(self, ids: list[str]) -> list[Record | None]:
        """Records for ``ids`` in order, None where absent."""

    async def _get_one(self, record_id: str) -> Record | None:
        return (await self._get_many([record_id]))[0]

    async def _exists_many(self, ids: list[str]) -> list[bool]:
        return [r is not None for r in await self._get_many(ids)]

    @abstractmethod
    async def _insert_many(self, records: list[Record]) -> None:
        """Insert all or none; DuplicateRecordError naming existing ids."""

    @abstractmethod
    async def _update_many(self, records: list[Record]) -> list[bool]:
        """Replace existing records; False for absent ids."""

    @abstractmethod
    async def _upsert_many(self, records: list[Record]) -> None:
        """Insert or replace each record."""

    @abstractmethod
    async def _delete_many(self, ids: list[str]) -> list[bool]:
        """Delete records; False for absent ids."""

    @abstractmethod
    def _scan(self, native: NativeQuery, batch_size: int) -> AsyncIterator[list[Record]]:
        """Yield batches of records matching ``native`` (an async generator)."""

    async def _search(self, native: NativeQuery) -> list[Record]:
        return [r async for batch in self._scan(native, 10_000) for r in batch]

    async def _count(self, native: NativeQuery) -> int:
        total = 0
        async for batch in self._scan(native, 10_000):
            total += len(batch)
        return total

    @abstractmethod
    async def _clear(self) -> int:
        """Remove everything; return how many records there were."""

    async def _create_index(self, field: str) -> None:
        raise DatabaseError(f"the {self.backend_name} backend does not support indexes")
