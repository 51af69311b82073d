"""The SQLite backend's I/O, written once and run by both faces.

One connection per database object, opened with ``check_same_thread=False``
and used only under a lock, so the sync face may be shared between threads
and the async face can run every call in a worker thread. Writes run in one
``BEGIN IMMEDIATE`` transaction each (all or nothing; the immediate lock
avoids deadlocks between processes); the file is in WAL mode, so readers in
other processes never block a writer.
"""

from __future__ import annotations

import hashlib
import sqlite3
import threading
from collections.abc import Generator, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from dataknobs_data.backends.sqlite.functions import register_functions
from dataknobs_data.backends.sqlite.options import SQLiteOptions
from dataknobs_data.backends.sqlite.storage import (
    encode_rows,
    quote_identifier,
    record_from_row,
)
from dataknobs_data.backends.sqlite.translate import (
    SqlBuilder,
    count_sql,
    index_expression,
    pushable_path,
    select_sql,
)
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.engine.store import BlockingStore
from dataknobs_data.errors import (
    ConfigurationError,
    DatabaseConnectionError,
    DatabaseError,
    DuplicateRecordError,
    QueryError,
    SerializationError,
)
from dataknobs_data.query.evaluate import project_record
from dataknobs_data.records import Record

__all__ = ["SQLiteEngine"]

_CHUNK = 500  # ids per "IN (...)" lookup, well below SQLite's parameter limit
_COLUMNS = ["id", "data", "metadata"]


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), _CHUNK):
        yield items[start : start + _CHUNK]


class SQLiteEngine(BlockingStore):
    """Connection, transactions and the backend primitives over one table."""

    def __init__(self, options: SQLiteOptions) -> None:
        self.options = options
        self.table = quote_identifier(options.table)
        self._select_one = f"SELECT id, data, metadata FROM {self.table} WHERE id = ?"
        self._connection: sqlite3.Connection | None = None
        self._lock = threading.RLock()

    # -- lifecycle ----------------------------------------------------------------
    def connect(self) -> None:
        """Open the database, set WAL mode and create the table if needed."""
        path = str(self.options.path)
        try:
            conn = sqlite3.connect(
                path, timeout=self.options.timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as exc:
            raise DatabaseConnectionError(f"cannot open SQLite database {path!r}: {exc}") from None
        try:
            register_functions(conn)
            if not self.options.in_memory:
                conn.execute("PRAGMA journal_mode=WAL")
            conn.execute(f"PRAGMA synchronous={self.options.synchronous.upper()}")
            conn.execute(
                f"CREATE TABLE IF NOT EXISTS {self.table} "
                "(id TEXT PRIMARY KEY NOT NULL, data TEXT NOT NULL, metadata TEXT)"
            )
            columns = [row[1] for row in conn.execute(f"PRAGMA table_info({self.table})")]
        except sqlite3.Error as exc:
            conn.close()
            raise DatabaseConnectionError(
                f"cannot use SQLite database {path!r}: {exc}; check that its folder exists "
                "and is writable and that the file is an SQLite database"
            ) from None
        if columns != _COLUMNS:
            conn.close()
            raise ConfigurationError(
                f"table {self.options.table!r} in {path!r} has columns {columns}, not the "
                f"dataknobs layout {_COLUMNS}; choose another table with the 'table' option"
            )
        self._connection = conn

    def close(self) -> None:
        """Close the connection (a WAL checkpoint happens as the last one closes)."""
        with self._lock:
            if self._connection is not None:
                self._connection.close()
                self._connection = None

    def _conn(self) -> sqlite3.Connection:
        if self._connection is None:
            raise DatabaseConnectionError("the SQLite database is closed; call connect() first")
        return self._connection

    @contextmanager
    def _errors(self, action: str) -> Iterator[None]:
        try:
            yield
        except UnicodeEncodeError as exc:
            raise SerializationError(
                f"cannot {action}: text is not valid Unicode ({exc.reason}, e.g. a lone surrogate)"
            ) from None
        except sqlite3.Error as exc:
            raise DatabaseError(
                f"SQLite could not {action} in {str(self.options.path)!r}: {exc}"
            ) from exc

    @contextmanager
    def _write(self, action: str) -> Iterator[sqlite3.Connection]:
        with self._lock, self._errors(action):
            conn = self._conn()
            conn.execute("BEGIN IMMEDIATE")
            try:
                yield conn
            except BaseException:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
                raise
            conn.execute("COMMIT")

    # -- reads by id ----------------------------------------------------------------
    def _existing(self, conn: sqlite3.Connection, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for chunk in _chunks(ids):
            marks = ", ".join("?" * len(chunk))
            sql = f"SELECT id FROM {self.table} WHERE id IN ({marks})"
            found.update(row[0] for row in conn.execute(sql, chunk))
        return found

    def get_one(self, record_id: str) -> Record | None:
        """The record with this id, or None (the hot path of ``read``)."""
        try:
            with self._lock:
                row = self._conn().execute(self._select_one, (record_id,)).fetchone()
        except sqlite3.Error as exc:
            raise DatabaseError(f"SQLite could not read a record: {exc}") from exc
        return None if row is None else record_from_row(row)

    def get_many(self, ids: list[str]) -> list[Record | None]:
        """Records for ``ids`` in order, None where absent."""
        rows: dict[str, tuple[str, str, str | None]] = {}
        with self._lock, self._errors("read records"):
            conn = self._conn()
            for chunk in _chunks(ids):
                marks = ", ".join("?" * len(chunk))
                sql = f"SELECT id, data, metadata FROM {self.table} WHERE id IN ({marks})"
                rows.update((row[0], row) for row in conn.execute(sql, chunk))
        return [None if (row := rows.get(rid)) is None else record_from_row(row) for rid in ids]

    def exists_many(self, ids: list[str]) -> list[bool]:
        """Whether each id is stored."""
        with self._lock, self._errors("check ids"):
            found = self._existing(self._conn(), ids)
        return [rid in found for rid in ids]

    # -- writes -------------------------------------------------------------------------
    def insert_many(self, records: list[Record]) -> None:
        """Insert all records in one transaction, or none (DuplicateRecordError)."""
        rows = encode_rows(records)
        with self._write("insert records") as conn:
            try:
                conn.executemany(
                    f"INSERT INTO {self.table} (id, data, metadata) VALUES (?, ?, ?)", rows
                )
            except sqlite3.IntegrityError:
                conn.execute("ROLLBACK")  # first, so this batch's own rows are not counted
                existing = self._existing(conn, [row[0] for row in rows])
                raise DuplicateRecordError([row[0] for row in rows if row[0] in existing]) from None

    def update_many(self, records: list[Record]) -> list[bool]:
        """Replace the records whose ids exist; False for the others."""
        rows = encode_rows(records)
        with self._write("update records") as conn:
            existing = self._existing(conn, [row[0] for row in rows])
            conn.executemany(
                f"UPDATE {self.table} SET data = ?, metadata = ? WHERE id = ?",
                [(data, meta, rid) for rid, data, meta in rows if rid in existing],
            )
        return [row[0] in existing for row in rows]

    def upsert_many(self, records: list[Record]) -> None:
        """Insert or replace each record (an existing row keeps its place in scan order)."""
        rows = encode_rows(records)
        with self._write("upsert records") as conn:
            conn.executemany(
                f"INSERT INTO {self.table} (id, data, metadata) VALUES (?, ?, ?) "
                "ON CONFLICT (id) DO UPDATE SET data = excluded.data, metadata = excluded.metadata",
                rows,
            )

    def delete_many(self, ids: list[str]) -> list[bool]:
        """Delete records by id; False for ids that were absent."""
        with self._write("delete records") as conn:
            existing = self._existing(conn, ids)
            for chunk in _chunks([rid for rid in ids if rid in existing]):
                marks = ", ".join("?" * len(chunk))
                conn.execute(f"DELETE FROM {self.table} WHERE id IN ({marks})", chunk)
        return [rid in existing for rid in ids]

    def clear(self) -> int:
        """Delete every record; return how many there were."""
        with self._write("clear the table") as conn:
            count: int = conn.execute(f"SELECT COUNT(*) FROM {self.table}").fetchone()[0]
            conn.execute(f"DELETE FROM {self.table}")
        return count

    # -- queries --------------------------------------------------------------------------
    def _decode(self, rows: list[Any], native: NativeQuery) -> list[Record]:
        records = [record_from_row(row) for row in rows]
        if native.projection is not None:
            names = native.projection
            records = [project_record(r, names) for r in records]
        return records

    def search(self, native: NativeQuery) -> list[Record]:
        """All records matching ``native``, in its order and window."""
        b = SqlBuilder()
        sql = select_sql(self.table, native, b)
        with self._lock, self._errors("search"):
            rows = self._conn().execute(sql, b.params).fetchall()
        return self._decode(rows, native)

    def scan(self, native: NativeQuery, batch_size: int) -> Generator[list[Record], None, None]:
        """The same as :meth:`search`, fetched ``batch_size`` rows at a time from a cursor."""
        b = SqlBuilder()
        sql = select_sql(self.table, native, b)
        with self._lock, self._errors("search"):
            cursor = self._conn().execute(sql, b.params)
        try:
            while True:
                with self._lock, self._errors("search"):
                    rows = cursor.fetchmany(batch_size)
                if not rows:
                    return
                yield self._decode(rows, native)
        finally:
            with self._lock:
                cursor.close()

    def count(self, native: NativeQuery) -> int:
        """``COUNT(*)`` of the rows matching ``native``'s filter."""
        b = SqlBuilder()
        sql = count_sql(self.table, native, b)
        with self._lock, self._errors("count"):
            total: int = self._conn().execute(sql, b.params).fetchone()[0]
        return total

    def native_text(self, native: NativeQuery) -> str:
        """The SELECT statement that runs ``native``, with its parameters."""
        b = SqlBuilder()
        sql = select_sql(self.table, native, b)
        return f"{sql} -- parameters: {b.params!r}" if b.params else sql

    def create_index(self, field: str) -> None:
        """Create (once) an expression index that filters on ``field`` use."""
        if not pushable_path(field):
            raise QueryError(
                f"cannot index field {field!r}: its name cannot be written as an SQLite JSON "
                "path (empty parts, quotes, backslashes or control characters)"
            )
        digest = hashlib.sha1(field.encode("utf-8", "surrogatepass")).hexdigest()[:16]
        name = quote_identifier(f"{self.options.table}__dk_{digest}")
        with self._write("create an index") as conn:
            conn.execute(
                f"CREATE INDEX IF NOT EXISTS {name} ON {self.table} ({index_expression(field)})"
            )
