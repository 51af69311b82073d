"""PostgresDatabase: the synchronous face (psycopg ``ConnectionPool``)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool, PoolTimeout

from dataknobs_data.backends.postgres.common import PostgresCommon, Statement, configure_connection
from dataknobs_data.engine.database import Database
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.errors import DatabaseConnectionError
from dataknobs_data.records import Record

__all__ = ["PostgresDatabase"]


class PostgresDatabase(PostgresCommon, Database):
    """Records in a PostgreSQL table, one row each, values as exact tagged jsonb.

    Example:
        >>> db = PostgresDatabase(host="db.example", database="app", user="ada",
        ...                       password="hunter2", table="people")
        >>> db
        PostgresDatabase(PostgresOptions(host='db.example', port=None, database='app', \
user='ada', password='***', dsn=None, schema='public', table='people', min_pool_size=1, \
max_pool_size=10, connect_timeout=10.0, connect_retries=3, retry_backoff=0.2, \
copy_chunk_size=2000, application_name='dataknobs'))
    """

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._pool: ConnectionPool[psycopg.Connection[Any]] | None = None

    # -- lifecycle ------------------------------------------------------------------------
    def _open_connection(self) -> psycopg.Connection[Any]:
        delays = self._retry_delays()
        while True:
            try:
                return psycopg.connect(self._conninfo())
            except psycopg.Error as exc:
                delay = next(delays, None) if self._is_transient(exc) else None
                if delay is None:
                    raise self._connection_error(exc) from None
                time.sleep(delay)

    def _connect(self) -> None:
        with self._open_connection() as conn:
            self._setup(conn)
        pool: ConnectionPool[psycopg.Connection[Any]] = ConnectionPool(
            self._conninfo(),
            min_size=self.options.min_pool_size,
            max_size=self.options.max_pool_size,
            configure=configure_connection,
            timeout=self.options.connect_timeout,
            kwargs={"autocommit": True},
            open=False,
            name=f"dataknobs-{self.options.table}",
        )
        try:
            pool.open(wait=self.options.min_pool_size > 0, timeout=self.options.connect_timeout)
        except (PoolTimeout, psycopg.Error) as exc:
            pool.close()
            raise self._connection_error(exc) from None
        self._pool = pool

    def _setup(self, conn: psycopg.Connection[Any]) -> None:
        conn.execute(*self._setup_lock())
        present = conn.execute(*self._functions_query()).fetchone() is not None
        for statement in self._setup_statements(present):
            conn.execute(statement)
        self._check_layout(conn.execute(*self._layout_query()).fetchone())
        query, params = self._collation_query()
        self._use_collation(conn.execute(query, params).fetchone() is not None)
        conn.commit()

    def _close(self) -> None:
        if self._pool is not None:
            self._pool.close()
            self._pool = None

    def _conn(self) -> Any:
        if self._pool is None:
            raise DatabaseConnectionError("the database is closed; call connect() first")
        try:
            return self._pool.connection()
        except PoolTimeout as exc:
            raise self._connection_error(exc) from None

    def _fetch(self, statement: Statement) -> list[Any]:
        query, params = statement
        with self._conn() as conn:
            return conn.execute(query, params).fetchall()  # type: ignore[no-any-return]

    # -- primitives ----------------------------------------------------------------------
    def _get_many(self, ids: list[str]) -> list[Record | None]:
        return self._in_order(ids, self._fetch(self._get_statement(ids)))

    def _exists_many(self, ids: list[str]) -> list[bool]:
        found = {row[0] for row in self._fetch(self._exists_statement(ids))}
        return [i in found for i in ids]

    def _insert_many(self, records: list[Record]) -> None:
        small = self._insert_statement(records)
        with self._conn() as conn:
            try:
                if small is not None:
                    conn.execute(*small)
                    return
                # One COPY fed chunk by chunk: the server parses a chunk while the next is encoded.
                with conn.transaction(), conn.cursor().copy(self._copy_statement()) as copy:
                    for text in self._copy_texts(records, self.options.copy_chunk_size):
                        copy.write(text)
            except psycopg.errors.UniqueViolation:
                query, params = self._exists_statement([r.id for r in records])  # type: ignore[misc]
                existing = [row[0] for row in conn.execute(query, params).fetchall()]
                raise self._duplicate_error(existing) from None

    def _update_many(self, records: list[Record]) -> list[bool]:
        done = {row[0] for row in self._fetch(self._update_statement(records))}
        return [r.id in done for r in records]

    def _upsert_many(self, records: list[Record]) -> None:
        query, params = self._upsert_statement(records)
        with self._conn() as conn:
            conn.execute(query, params)

    def _delete_many(self, ids: list[str]) -> list[bool]:
        done = {row[0] for row in self._fetch(self._delete_statement(ids))}
        return [i in done for i in ids]

    def _search(self, native: NativeQuery) -> list[Record]:
        record = self._record
        return [record(row) for row in self._fetch(self._search_statement(native))]

    def _scan(self, native: NativeQuery, batch_size: int) -> Iterator[list[Record]]:
        query, params = self._search_statement(native)
        record = self._record
        with (
            self._conn() as conn,
            conn.transaction(),
            conn.cursor(name=f"dk_{uuid.uuid4().hex}") as cursor,
        ):
            cursor.itersize = batch_size
            cursor.execute(query, params)
            while rows := cursor.fetchmany(batch_size):
                yield [record(row) for row in rows]

    def _count(self, native: NativeQuery) -> int:
        return int(self._fetch(self._count_statement(native))[0][0])

    def _clear(self) -> int:
        lock, count, truncate = self._clear_statements()
        with self._conn() as conn, conn.transaction():
            conn.execute(lock)
            total = int(conn.execute(count).fetchone()[0])
            conn.execute(truncate)
        return total

    def _create_index(self, field: str) -> None:
        with self._conn() as conn, conn.transaction():
            for statement in self._index_statements(field):
                conn.execute(statement, ())
