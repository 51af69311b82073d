"""SQLiteDatabase and AsyncSQLiteDatabase: thin faces over :class:`.engine.SQLiteEngine`."""

from __future__ import annotations

from typing import Any

from dataknobs_data.backends.sqlite.engine import SQLiteEngine
from dataknobs_data.backends.sqlite.options import SQLiteOptions
from dataknobs_data.backends.sqlite.translate import pushable_path
from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.engine.store import AsyncStoreDatabase, StoreDatabase
from dataknobs_data.query.filters import Filter

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


class SQLiteDatabase(_SQLiteShared, StoreDatabase):
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
        self._store = self._engine = SQLiteEngine(self.options)


class AsyncSQLiteDatabase(_SQLiteShared, AsyncStoreDatabase):
    """The asynchronous face of :class:`SQLiteDatabase`: each call runs in a worker thread."""

    backend_name = "sqlite"
    options_class = SQLiteOptions

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._store = self._engine = SQLiteEngine(self.options)
