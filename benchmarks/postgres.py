"""PostgreSQL workloads; the raw baseline is psycopg on the same table layout.

Server: ``--option url=postgresql://...``, else ``$DATAKNOBS_TEST_POSTGRES_URL``, else a
throw-away server from ``tests.services.postgres`` for the run. The raw side writes the
same rows with ``COPY`` into a table of the same layout (``id text COLLATE "C" PRIMARY KEY,
data jsonb, metadata jsonb, field_order text``), each row's dict encoded with
``json.dumps``, and queries it with hand-written SQL returning the same records in the
same order (``ORDER BY id``).

``python -m benchmarks.postgres --n 1000000`` loads ``n`` records, indexes ``age`` and
prints the EXPLAIN ANALYZE and timing of an equality filter on the indexed field.
"""

from __future__ import annotations

import atexit
import json
import os
import sys
import time
import uuid
from collections.abc import Iterator
from functools import cache
from typing import Any

import psycopg
from psycopg import sql

from benchmarks.harness import Workload, ids_for, make_people
from dataknobs_data import Query, Record
from dataknobs_data.backends.postgres import PostgresDatabase

LAYOUT = (
    'CREATE TABLE {} (id text COLLATE "C" PRIMARY KEY, data jsonb NOT NULL, '
    "metadata jsonb NOT NULL DEFAULT '{{}}'::jsonb, field_order text)"
)
RAW_FILTER = (
    "SELECT id, data, metadata FROM {} WHERE (data->>'age')::int >= 30 "
    "AND data->>'city' = 'Oslo' ORDER BY id"
)
RAW_COUNT = "SELECT count(*) FROM {} WHERE (data->>'age')::int >= 30 AND data->>'city' = 'Oslo'"


@cache
def server_url(explicit: str | None = None) -> str:
    """The URL of the server the benchmark uses (started here if none is given)."""
    url = explicit or os.environ.get("DATAKNOBS_TEST_POSTGRES_URL")
    if url:
        return url
    sys.path.insert(0, os.getcwd())
    from tests.services.postgres import PostgresServer

    server = PostgresServer()
    server.start()
    atexit.register(server.stop)
    return server.url


def _fresh_table(url: str) -> str:
    name = f"bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL(LAYOUT).format(sql.Identifier(name)))
    return name


def _drop(url: str, name: str) -> None:
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(sql.Identifier(name)))


def workloads(n: int, options: dict[str, str]) -> Iterator[Workload]:
    url = server_url(options.get("url"))
    rows = make_people(n)
    ids = list(ids_for(n))
    records = [Record(row, id=rid) for row, rid in zip(rows, ids, strict=True)]
    single_n = min(n, 5_000)

    def empty() -> tuple[PostgresDatabase, psycopg.Connection[Any], str]:
        table = _fresh_table(url)
        db = PostgresDatabase(dsn=url, table=table).connect()
        return db, psycopg.connect(url), table

    def close(state: tuple[PostgresDatabase, psycopg.Connection[Any], str]) -> None:
        db, conn, table = state
        db.close()
        conn.close()
        _drop(url, table)

    def raw_copy(state: Any) -> None:
        conn: psycopg.Connection[Any] = state[1]
        table = sql.Identifier(state[2])
        dumps = json.dumps
        with (
            conn.transaction(),
            conn.cursor().copy(
                sql.SQL("COPY {} (id, data, metadata) FROM STDIN").format(table)
            ) as copy,
        ):
            for rid, row in zip(ids, rows, strict=True):
                copy.write_row((rid, dumps(row), "{}"))

    yield Workload(
        "batch create",
        n,
        lambda s: s[0].create_batch(records),
        raw_copy,
        setup=empty,
        teardown=close,
        target=0.7,
    )

    def dk_single(state: Any) -> None:
        create = state[0].create
        for record in records[:single_n]:
            create(record)

    def raw_single(state: Any) -> None:
        conn: psycopg.Connection[Any] = state[1]
        conn.autocommit = True
        insert = sql.SQL("INSERT INTO {} (id, data) VALUES (%s, %s)").format(
            sql.Identifier(state[2])
        )
        for rid, row in zip(ids[:single_n], rows[:single_n], strict=True):
            conn.execute(insert, (rid, json.dumps(row)))

    yield Workload("single create", single_n, dk_single, raw_single, setup=empty, teardown=close)

    loaded: dict[str, Any] = {}

    def load() -> tuple[PostgresDatabase, psycopg.Connection[Any], str]:
        if not loaded:
            table = _fresh_table(url)
            db = PostgresDatabase(dsn=url, table=table).connect()
            db.create_batch(records)
            with psycopg.connect(url, autocommit=True) as conn:
                conn.execute(sql.SQL("VACUUM ANALYZE {}").format(sql.Identifier(table)))
            loaded["state"] = (db, psycopg.connect(url, autocommit=True), table)
            atexit.register(lambda: (loaded["state"][0].close(), _drop(url, table)))
        return loaded["state"]  # type: ignore[no-any-return]

    query = Query().filter("age", ">=", 30).filter("city", "==", "Oslo")

    def raw_search(state: Any) -> list[Record]:
        cursor = state[1].execute(sql.SQL(RAW_FILTER).format(sql.Identifier(state[2])))
        return [Record(data, id=rid, metadata=meta) for rid, data, meta in cursor.fetchall()]

    def raw_count(state: Any) -> int:
        cursor = state[1].execute(sql.SQL(RAW_COUNT).format(sql.Identifier(state[2])))
        return int(cursor.fetchone()[0])

    yield Workload(
        "filtered search", n, lambda s: s[0].search(query), raw_search, setup=load, target=0.8
    )
    yield Workload("count", n, lambda s: s[0].count(query), raw_count, setup=load, target=0.8)

    sample = ids[:: max(1, n // 2000)]

    def dk_read(state: Any) -> None:
        read = state[0].read
        for rid in sample:
            read(rid)

    def raw_read(state: Any) -> None:
        select = sql.SQL("SELECT id, data, metadata FROM {} WHERE id = %s").format(
            sql.Identifier(state[2])
        )
        for rid in sample:
            row = state[1].execute(select, (rid,)).fetchone()
            Record(row[1], id=row[0], metadata=row[2])

    yield Workload("read by id", len(sample), dk_read, raw_read, setup=load)

    def dk_stream(state: Any) -> int:
        return sum(1 for _ in state[0].stream(batch_size=5000))

    def raw_stream(state: Any) -> int:
        with psycopg.connect(url) as conn, conn.cursor(name="raw_stream") as cursor:
            cursor.execute(
                sql.SQL("SELECT id, data, metadata FROM {} ORDER BY id").format(
                    sql.Identifier(state[2])
                )
            )
            total = 0
            while batch := cursor.fetchmany(5000):
                total += len([Record(d, id=i, metadata=m) for i, d, m in batch])
            return total

    yield Workload("stream", n, dk_stream, raw_stream, setup=load)


def explain_indexed(n: int, url: str) -> None:
    """Load ``n`` records, index ``age``, and show how an equality filter on it runs."""
    table = _fresh_table(url)
    rows = make_people(n)
    try:
        with PostgresDatabase(dsn=url, table=table) as db:
            started = time.perf_counter()
            for start in range(0, n, 100_000):
                chunk = zip(rows[start : start + 100_000], ids_for(n), strict=False)
                db.create_batch(
                    [Record(row, id=f"id-{start + i:07d}") for i, (row, _) in enumerate(chunk)]
                )
            print(f"loaded {n:,} records in {time.perf_counter() - started:.1f}s")
            started = time.perf_counter()
            db.create_index("age")
            db.create_index("name")
            print(
                f"create_index('age'), create_index('name') in {time.perf_counter() - started:.1f}s"
            )
            queries = {
                "age == 42": Query().filter("age", "==", 42),
                "name == person-424242": Query().filter("name", "==", "person-424242"),
                "age between 40 and 41, city == Oslo": Query()
                .filter("age", "between", [40, 41])
                .filter("city", "==", "Oslo"),
            }
            for title, query in queries.items():
                text, params = db._search_statement(db._plan(query).native)
                with db._conn() as conn:
                    explain = b"EXPLAIN (ANALYZE, BUFFERS) " + text.as_bytes(conn)
                    plan = conn.execute(explain, params)
                    print(f"--- {title}\n" + "\n".join(row[0] for row in plan))
                for label, q in (
                    ("search", query),
                    ("count", query),
                    ("search limit 10", query.limit(10)),
                ):
                    best = min(_timed(db, q, label) for _ in range(5))
                    found = db.count(q) if label == "count" else len(db.search(q))
                    print(f"{label:>16}: {best * 1000:.1f} ms ({found} records)")
    finally:
        _drop(url, table)


def _timed(db: PostgresDatabase, query: Query, label: str) -> float:
    started = time.perf_counter()
    if label == "count":
        db.count(query)
    else:
        db.search(query)
    return time.perf_counter() - started


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description="EXPLAIN of a filter on an indexed field")
    parser.add_argument("--n", type=int, default=1_000_000)
    parser.add_argument("--url", default=None)
    args = parser.parse_args()
    explain_indexed(args.n, server_url(args.url))
