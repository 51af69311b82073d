"""AsyncPostgresDatabase: the asynchronous face (psycopg ``AsyncConnectionPool``)."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import psycopg
from psycopg_pool import AsyncConnectionPool, PoolTimeout

from dataknobs_data.backends.postgres.common import PostgresCommon, Statement, configure_connection
from dataknobs_data.engine.async_database import AsyncDatabase
from dataknobs_data.engine.planner import NativeQuery
from dataknobs_data.errors import DatabaseConnectionError
from dataknobs_data.records import Record

__all__ = ["AsyncPostgresDatabase"]


async def _configure(conn: psycopg.AsyncConnection[Any]) -> None:
    configure_connection(conn)


class AsyncPostgresDatabase(PostgresCommon, AsyncDatabase):
    """The asynchronous face of :class:`~.PostgresDatabase` (same table, same SQL)."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] | None = None

    # -- lifecycle ------------------------------------------------------------------------
    async def _open_connection(self) -> psycopg.AsyncConnection[Any]:
        delays = self._retry_delays()
        while True:
            try:
                return await psycopg.AsyncConnection.connect(self._conninfo())
            except psycopg.Error as exc:
                delay = next(delays, None) if self._is_transient(exc) else None
                if delay is None:
                    raise self._connection_error(exc) from None
                await asyncio.sleep(delay)

    async def _connect(self) -> None:
        async with await self._open_connection() as conn:
            await self._setup(conn)
        pool: AsyncConnectionPool[psycopg.AsyncConnection[Any]] = AsyncConnectionPool(
            self._conninfo(),
            min_size=self.options.min_pool_size,
            max_size=self.options.max_pool_size,
            configure=_configure,
            timeout=self.options.connect_timeout,
            kwargs={"autocommit": True},
            open=False,
            name=f"dataknobs-{self.options.table}",
        )
        try:
            await pool.open(
                wait=self.options.min_pool_size > 0, timeout=self.options.connect_timeout
            )
        except (PoolTimeout, psycopg.Error) as exc:
            await pool.close()
            raise self._connection_error(exc) from None
        self._pool = pool

    async def _setup(self, conn: psycopg.AsyncConnection[Any]) -> None:
        await conn.execute(*self._setup_lock())
        present = await (await conn.execute(*self._functions_query())).fetchone() is not None
        for statement in self._setup_statements(present):
            await conn.execute(statement)
        self._check_layout(await (await conn.execute(*self._layout_query())).fetchone())
        query, params = self._collation_query()
        self._use_collation(await (await conn.execute(query, params)).fetchone() is not None)
        await conn.commit()

    async def _close(self) -> None:
        if self._pool is not None:
            await self._pool.close()
            self._pool = None

    def _conn(self) -> Any:
        if self._pool is None:
            raise DatabaseConnectionError("the database is closed; call connect() first")
        return self._pool.connection()

    async def _fetch(self, statement: Statement) -> list[Any]:
        query, params = statement
        try:
            async with self._conn() as conn:
                cursor = await conn.execute(query, params)
                return await cursor.fetchall()  # type: ignore[no-any-return]
        except PoolTimeout as exc:
            raise self._connection_error(exc) from None

    # -- primitives ----------------------------------------------------------------------
    async def _get_many(self, ids: list[str]) -> list[Record | None]:
        return self._in_order(ids, await self._fetch(self._get_statement(ids)))

    async def _exists_many(self, ids: list[str]) -> list[bool]:
        found = {row[0] for row in await self._fetch(self._exists_statement(ids))}
        return [i in found for i in ids]

    async def _insert_many(self, records: list[Record]) -> None:
        small = self._insert_statement(records)
        async with self._conn() as conn:
            try:
                if small is not None:
                    await conn.execute(*small)
                    return
                # One COPY fed chunk by chunk: the server parses a chunk while the next is encoded.
                async with conn.transaction(), conn.cursor().copy(self._copy_statement()) as copy:
                    for text in self._copy_texts(records, self.options.copy_chunk_size):
                        await copy.write(text)
            except psycopg.errors.UniqueViolation:
                query, params = self._exists_statement([r.id for r in records])  # type: ignore[misc]
                cursor = await conn.execute(query, params)
                existing = [row[0] for row in await cursor.fetchall()]
                raise self._duplicate_error(existing) from None

    async def _update_many(self, records: list[Record]) -> list[bool]:
        done = {row[0] for row in await self._fetch(self._update_statement(records))}
        return [r.id in done for r in records]

    async def _upsert_many(self, records: list[Record]) -> None:
        query, params = self._upsert_statement(records)
        async with self._conn() as conn:
            await conn.execute(query, params)

    async def _delete_many(self, ids: list[str]) -> list[bool]:
        done = {row[0] for row in await self._fetch(self._delete_statement(ids))}
        return [i in done for i in ids]

    async def _search(self, native: NativeQuery) -> list[Record]:
        record = self._record
        return [record(row) for row in await self._fetch(self._search_statement(native))]

    async def _scan(self, native: NativeQuery, batch_size: int) -> AsyncIterator[list[Record]]:
        query, params = self._search_statement(native)
        record = self._record
        async with (
            self._conn() as conn,
            conn.transaction(),
            conn.cursor(name=f"dk_{uuid.uuid4().hex}") as cursor,
        ):
            cursor.itersize = batch_size
            await cursor.execute(query, params)
            while rows := await cursor.fetchmany(batch_size):
                yield [record(row) for row in rows]

    async def _count(self, native: NativeQuery) -> int:
        return int((await self._fetch(self._count_statement(native)))[0][0])

    async def _clear(self) -> int:
        lock, count, truncate = self._clear_statements()
        async with self._conn() as conn, conn.transaction():
            await conn.execute(lock)
            row = await (await conn.execute(count)).fetchone()
            await conn.execute(truncate)
        return int(row[0])

    async def _create_index(self, field: str) -> None:
        async with self._conn() as conn, conn.transaction():
            for statement in self._index_statements(field):
                await conn.execute(statement, ())
