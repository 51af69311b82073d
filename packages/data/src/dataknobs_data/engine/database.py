"""Database: the synchronous face. Operations come from :mod:`.ops`; I/O from primitives."""

from __future__ import annotations

from abc import abstractmethod
from collections.abc import Iterable, Iterator, Mapping
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

__all__ = ["Database"]

T = TypeVar("T")


class Database(DatabaseBase):
    """A synchronous database over one backend.

    Build one with :meth:`from_backend`, ``database_factory.create`` or a
    backend class. Use it as a context manager, or let the first call connect.

    Example:
        >>> from dataknobs_data import Database, Record, Query
        >>> with Database.from_backend("memory") as db:
        ...     rid = db.create(Record({"name": "Ada", "age": 36}))
        ...     [r["name"] for r in db.search(Query().filter("age", ">=", 30))]
        ['Ada']
    """

    # -- construction and lifecycle -----------------------------------------
    @staticmethod
    def from_backend(name: str, options: Mapping[str, Any] | None = None) -> Database:
        """Build the synchronous database of backend ``name`` with ``options``."""
        from dataknobs_data.factory import database_factory

        db: Database = database_factory.create(backend=name, **dict(options or {}))
        return db

    def connect(self) -> Self:
        """Open connections, files or clients; idempotent."""
        if not self._connected:
            self._connect()
            self._connected = True
        return self

    def close(self) -> None:
        """Flush and release resources; idempotent."""
        if self._connected:
            self._connected = False
            self._close()

    def __enter__(self) -> Self:
        return self.connect()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def _run(self, op: Op[T]) -> T:
        if not self._connected:
            self.connect()
        try:
            call = next(op)
            while True:
                try:
                    result = getattr(self, call.method)(*call.args)
                except Exception as exc:
                    call = op.throw(exc)
                else:
                    call = op.send(result)
        except StopIteration as stop:
            return stop.value  # type: ignore[no-any-return]

    # -- CRUD -------------------------------------------------------------------
    def create(self, record: Record) -> str:
        """Store a new record and return its id (assigned when absent).

        Raises:
            DuplicateRecordError: A record with this id exists.
        """
        return self._run(ops.create(self.capabilities, record))

    def read(self, record_id: str) -> Record | None:
        """Return the record with this id, or None."""
        if not self._connected:
            self.connect()
        if type(record_id) is not str or not record_id:
            ops.check_id(record_id)  # raises
        return self._get_one(record_id)

    def exists(self, record_id: str) -> bool:
        """Tell whether a record with this id exists."""
        return self._run(ops.exists(record_id))

    def update(self, record_id: str, record: Record) -> bool:
        """Replace the record's data; False when the id does not exist."""
        return self._run(ops.update(self.capabilities, record_id, record))

    def upsert(self, record: Record) -> str:
        """Insert or replace by ``record.id``; returns the id."""
        return self._run(ops.upsert(self.capabilities, record))

    def delete(self, record_id: str) -> bool:
        """Delete a record; False when the id does not exist."""
        return self._run(ops.delete(record_id))

    def create_batch(self, records: Iterable[Record]) -> list[str]:
        """Store all records or none of them; ids in input order."""
        return self._run(ops.create_batch(self.capabilities, records))

    def read_batch(self, ids: Iterable[str]) -> list[Record | None]:
        """Read records by id, in input order (None where absent)."""
        return self._run(ops.read_batch(ids))

    def update_batch(self, records: Iterable[Record]) -> list[bool]:
        """Replace records by id; one bool per record."""
        return self._run(ops.update_batch(self.capabilities, records))

    def upsert_batch(self, records: Iterable[Record]) -> list[str]:
        """Insert or replace records; ids in input order."""
        return self._run(ops.upsert_batch(self.capabilities, records))

    def delete_batch(self, ids: Iterable[str]) -> list[bool]:
        """Delete records by id; one bool per id."""
        return self._run(ops.delete_batch(ids))

    def clear(self) -> int:
        """Remove every record; return how many there were."""
        if not self._connected:
            self.connect()
        return self._clear()

    # -- queries ---------------------------------------------------------------
    def search(self, query: Query | None = None) -> list[Record]:
        """Return the records matching ``query``, sorted, paged and projected."""
        plan = self._plan(query)
        if not self._connected:
            self.connect()
        return ops.finish_search(plan, self._search(plan.native))

    def count(self, query: Query | None = None) -> int:
        """Count the records matching ``query`` (its offset and limit are ignored)."""
        plan = self._plan(query, paging=False)
        if not self._connected:
            self.connect()
        if plan.residual is None and self.capabilities.count:
            return self._count(plan.native)
        window = StreamWindow(plan)
        return sum(len(window.process(b)) for b in self._scan(plan.native, 1000))

    def stream(self, query: Query | None = None, batch_size: int = 1000) -> Iterator[Record]:
        """Yield matching records; memory is bounded by ``batch_size``.

        When a sort cannot run in the backend (see :meth:`explain`), the
        matching records are collected and sorted first.
        """
        if batch_size < 1:
            raise DatabaseError(f"batch_size must be at least 1, got {batch_size}")
        plan = self._plan(query)
        if not self._connected:
            self.connect()
        if plan.python_sort:
            yield from self.search(query)
            return
        window = StreamWindow(plan)
        if window.done:
            return
        for batch in self._scan(plan.native, batch_size):
            yield from window.process(batch)
            if window.done:
                return

    def stream_write(
        self,
        records: Iterable[Record],
        batch_size: int = 1000,
        on_progress: ProgressCallback | None = None,
    ) -> WriteResult:
        """Create records from any iterable in batches; failures are named, not fatal.

        ``on_progress(done, total)`` is called after each batch.
        """
        return self._run(ops.stream_write(self.capabilities, records, batch_size, on_progress))

    def create_index(self, field: str) -> None:
        """Create an index on ``field`` so filters on it avoid a full scan."""
        if not self._connected:
            self.connect()
        self._create_index(field)

    # -- primitives a backend implements ---------------------------------------
    def _connect(self) -> None:
        """Open resources."""

    def _close(self) -> None:
        """Release resources."""

    @abstractmethod
    def _get_many(self, ids: list[str]) -> list[Record | None]:
        """Records for ``ids`` in order, None where absent."""

    def _get_one(self, record_id: str) -> Record | None:
        return self._get_many([record_id])[0]

    def _exists_many(self, ids: list[str]) -> list[bool]:
        return [r is not None for r in self._get_many(ids)]

    @abstractmethod
    def _insert_many(self, records: list[Record]) -> None:
        """Insert all or none; DuplicateRecordError naming existing ids."""

    @abstractmethod
    def _update_many(self, records: list[Record]) -> list[bool]:
        """Replace existing records; False for absent ids."""

    @abstractmethod
    def _upsert_many(self, records: list[Record]) -> None:
        """Insert or replace each record."""

    @abstractmethod
    def _delete_many(self, ids: list[str]) -> list[bool]:
        """Delete records; False for absent ids."""

    @abstractmethod
    def _scan(self, native: NativeQuery, batch_size: int) -> Iterator[list[Record]]:
        """Yield batches of records matching ``native`` (its sort and paging applied)."""

    def _search(self, native: NativeQuery) -> list[Record]:
        return [r for batch in self._scan(native, 10_000) for r in batch]

    def _count(self, native: NativeQuery) -> int:
        return sum(len(b) for b in self._scan(native, 10_000))

    @abstractmethod
    def _clear(self) -> int:
        """Remove everything; return how many records there were."""

    def _create_index(self, field: str) -> None:
        raise DatabaseError(f"the {self.backend_name} backend does not support indexes")
