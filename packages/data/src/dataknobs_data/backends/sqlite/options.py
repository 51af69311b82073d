"""The options of the SQLite backend."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

__all__ = ["MEMORY", "SQLiteOptions"]

MEMORY = ":memory:"


@dataclass(frozen=True)
class SQLiteOptions:
    """Options of :class:`~dataknobs_data.backends.sqlite.SQLiteDatabase`.

    Attributes:
        path: The database file (created when absent), or ``":memory:"`` for a
            private in-memory database that lives as long as the connection.
        table: The table that holds the records (created when absent).
        timeout: Seconds to wait for another process's write lock before failing.
        synchronous: SQLite's ``synchronous`` setting; ``NORMAL`` is durable
            across crashes of the process in WAL mode, ``FULL`` also across power loss.
    """

    path: str | Path = "dataknobs.db"
    table: str = "records"
    timeout: float = 5.0
    synchronous: str = "NORMAL"

    def __post_init__(self) -> None:
        from dataknobs_data.errors import ConfigurationError

        if not str(self.path):
            raise ConfigurationError("SQLiteDatabase option 'path' must not be empty")
        if not self.table or "\x00" in self.table:
            raise ConfigurationError(
                f"SQLiteDatabase option 'table' must be a non-empty name, got {self.table!r}"
            )
        if self.timeout < 0:
            raise ConfigurationError(
                f"SQLiteDatabase option 'timeout' must be >= 0 seconds, got {self.timeout!r}"
            )
        if self.synchronous.upper() not in ("OFF", "NORMAL", "FULL", "EXTRA"):
            raise ConfigurationError(
                "SQLiteDatabase option 'synchronous' must be one of OFF, NORMAL, FULL, EXTRA; "
                f"got {self.synchronous!r}"
            )

    @property
    def in_memory(self) -> bool:
        """Whether the database lives in memory only."""
        return str(self.path) == MEMORY
