"""The memory backend: MemoryDatabase and AsyncMemoryDatabase."""

from __future__ import annotations

from typing import Any

from dataknobs_data.backends.memory.store import MEMORY_CAPABILITIES, MemoryStore
from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.engine.store import AsyncStoreDatabase, StoreDatabase

__all__ = ["AsyncMemoryDatabase", "MemoryDatabase"]


class MemoryDatabase(StoreDatabase):
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


class AsyncMemoryDatabase(AsyncStoreDatabase):
    """The asynchronous face of :class:`MemoryDatabase` (same store semantics)."""

    backend_name = "memory"
    blocking = False  # the store never waits on I/O

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._store = MemoryStore()

    @property
    def capabilities(self) -> Capabilities:
        """Everything is native: the store runs the shared evaluator itself."""
        return MEMORY_CAPABILITIES
