"""Behaviour that needs the real server: injection, errors, indexes, batches, streaming."""

from __future__ import annotations

import asyncio
import socket
import time
from typing import Any

import psycopg
import pytest

from dataknobs_data import (
    DatabaseConnectionError,
    DuplicateRecordError,
    Query,
    Record,
    database_factory,
)
from dataknobs_data.backends.postgres import AsyncPostgresDatabase, PostgresDatabase
from dataknobs_data.errors import ConfigurationError, DatabaseError
from dataknobs_data.urls import parse_database_url

pytestmark = pytest.mark.services

HOSTILE = [
    "x'); DROP TABLE records; --",
    'a"b',
    "\\' OR 1=1 --",
    "$$; SELECT pg_sleep(5); $$",
    "%s",
    "{}",
    "a.b'c",
]


def test_field_names_and_values_built_to_inject_sql_are_inert(db: PostgresDatabase) -> None:
    records = [Record({name: name, "k": i}, id=name) for i, name in enumerate(HOSTILE)]
    db.create_batch(records)
    for name in HOSTILE:
        top = name.split(".")[0] if "." in name else name
        if "." not in name:
            found = db.search(Query().filter(name, "==", name).sort(name))
            assert [r.id for r in found] == [name]
        assert db.count(Query().filter(top, "like", "%" + name[-2:] + "%")) >= 0
        assert db.count(Query().filter("k", "regex", name.replace("$", "\\$")[:0] or "x")) == 0
    db.create_index("x'); DROP TABLE records; --")
    assert db.count() == len(HOSTILE)
    assert db.read(HOSTILE[0]) == records[0]


def test_table_and_schema_names_are_quoted(pg_options: dict[str, Any]) -> None:
    options = {**pg_options, "schema": 'we"ird; schema', "table": "t'; DROP TABLE x; --"}
    with PostgresDatabase(**options) as weird:
        weird.create(Record({"a": 1}, id="1"))
        assert weird.count(Query().filter("a", "==", 1)) == 1
        weird.clear()


def test_a_wrong_password_is_a_connection_error_that_never_shows_it(postgres_url: str) -> None:
    secret = "Sup3r-secret-pw"
    bad = psycopg.conninfo.make_conninfo(postgres_url, password=secret)
    info = psycopg.conninfo.conninfo_to_dict(postgres_url)
    db = PostgresDatabase(
        host=info["host"],
        port=int(info["port"]),
        database=info["dbname"],
        user=info["user"],
        password=secret,
        connect_retries=0,
    )
    with pytest.raises(DatabaseConnectionError) as caught:
        db.connect()
    message = str(caught.value)
    assert secret not in message and secret not in repr(db)
    assert str(info["host"]) in message and str(info["port"]) in message
    assert str(info["dbname"]) in message and "password authentication failed" in message
    with pytest.raises(DatabaseConnectionError) as caught_dsn:
        PostgresDatabase(dsn=bad, connect_retries=0).connect()
    assert secret not in str(caught_dsn.value)


def test_transient_failures_are_retried_with_bounded_backoff() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    db = PostgresDatabase(
        host="127.0.0.1",
        port=port,
        database="x",
        user="u",
        password="p",
        connect_retries=2,
        retry_backoff=0.2,
    )
    started = time.monotonic()
    with pytest.raises(DatabaseConnectionError, match=f"127.0.0.1:{port}/x"):
        db.connect()
    assert 0.6 <= time.monotonic() - started < 10  # slept 0.2 + 0.4 between three attempts


def test_dsn_and_server_options_are_exclusive(postgres_url: str) -> None:
    with pytest.raises(ConfigurationError, match="either 'dsn'"):
        PostgresDatabase(dsn=postgres_url, host="elsewhere")


def test_url_schemes_build_the_backend(postgres_url: str, table_name: str) -> None:
    for scheme in ("postgresql", "postgres"):
        url = postgres_url.replace("postgresql", scheme, 1) + f"?table={table_name}"
        backend, options = parse_database_url(url)
        assert backend == "postgres" and options["table"] == table_name
        with database_factory.create(backend=backend, **options) as db:
            db.create(Record({"a": 1}, id="u"))
            assert db.count() == 1
            db.clear()


def test_a_batch_with_existing_ids_writes_nothing_and_names_them(db: PostgresDatabase) -> None:
    db.create_batch([Record({"n": 1}, id="a"), Record({"n": 2}, id="c")])
    with pytest.raises(DuplicateRecordError) as caught:
        db.create_batch([Record({"n": i}, id=i) for i in ("b", "c", "d", "a")])
    assert caught.value.ids == ["a", "c"]
    assert sorted(r.id for r in db.search()) == ["a", "c"]


def test_batches_larger_than_one_copy_chunk_are_one_transaction(
    pg_options: dict[str, Any],
) -> None:
    with PostgresDatabase(**pg_options, copy_chunk_size=7) as small:
        small.create(Record({}, id="r0049"))
        batch = [Record({"i": i}, id=f"r{i:04d}") for i in range(50) if i != 49]
        batch.append(Record({"i": 49}, id="r0049"))
        with pytest.raises(DuplicateRecordError):
            small.create_batch(batch)
        assert small.count() == 1
        small.delete("r0049")
        assert small.create_batch(batch) == [r.id for r in batch]
        assert small.count() == 50
        small.clear()


def test_update_upsert_delete_report_per_id(db: PostgresDatabase) -> None:
    db.create(Record({"v": 1}, id="a"))
    assert db.update_batch([Record({"v": 2}, id="a"), Record({"v": 3}, id="zz")]) == [True, False]
    assert db.upsert_batch([Record({"v": 4}, id="a"), Record({"v": 5}, id="b")]) == ["a", "b"]
    assert [r["v"] for r in db.read_batch(["b", "a", "none"]) if r] == [5, 4]
    assert db.delete_batch(["a", "none"]) == [True, False]


def test_stream_reads_through_a_server_side_cursor_in_batches(db: PostgresDatabase) -> None:
    db.create_batch([Record({"i": i}, id=f"{i:03d}") for i in range(25)])
    stream = db.stream(Query().filter("i", ">=", 5).sort("i", "desc"), batch_size=4)
    first = next(stream)
    with db._conn() as conn:
        cursors = conn.execute("SELECT count(*) FROM pg_cursors").fetchone()
    assert first["i"] == 24
    assert [r["i"] for r in stream] == list(range(23, 4, -1))
    assert cursors is not None


def test_filter_on_an_indexed_field_uses_the_index(db: PostgresDatabase) -> None:
    db.create_batch(
        [Record({"age": i % 1000, "name": f"n{i % 5000}"}, id=f"{i:06d}") for i in range(30_000)]
    )
    db.create_index("age")
    db.create_index("name")
    for query in (
        Query().filter("age", "==", 7),
        Query().filter("age", "between", [10, 12]),
        Query().filter("name", "==", "n42"),
        Query().filter("name", "starts_with", "n4999"),
    ):
        text, params = db._search_statement(db._plan(query).native)
        with db._conn() as conn:
            plan = "\n".join(r[0] for r in conn.execute(b"EXPLAIN " + text.as_bytes(conn), params))
        assert "Index" in plan and "Seq Scan" not in plan, plan
        assert db.count(query) == len(db.search(query)) > 0


def test_the_async_face_shares_the_table_layout(pg_options: dict[str, Any]) -> None:
    async def main() -> tuple[int, list[Any]]:
        async with AsyncPostgresDatabase(**pg_options) as adb:
            await adb.create_batch([Record({"x": i}, id=str(i)) for i in range(5)])
            with pytest.raises(DuplicateRecordError):
                await adb.create(Record({}, id="3"))
            seen = [r["x"] async for r in adb.stream(Query().sort("x", "desc"), batch_size=2)]
            return await adb.count(Query().filter("x", ">", 1)), seen

    assert asyncio.run(main()) == (3, [4, 3, 2, 1, 0])
    with PostgresDatabase(**pg_options) as sync:
        assert sync.count() == 5
        sync.clear()


def test_a_table_of_another_layout_is_refused_with_a_clear_error(
    postgres_url: str, table_name: str
) -> None:
    with psycopg.connect(postgres_url, autocommit=True) as conn:
        conn.execute(f'CREATE TABLE "{table_name}" (id int PRIMARY KEY, body text)')
    with pytest.raises(DatabaseError, match=r"exists with columns \(id integer, body text\)"):
        PostgresDatabase(dsn=postgres_url, table=table_name).connect()
