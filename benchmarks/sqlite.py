"""SQLite backend workloads; the raw baseline is stdlib sqlite3 on the same table layout.

Both sides write the same rows (``id``, the record's JSON text, NULL metadata)
into a fresh WAL file with ``synchronous=NORMAL``; the raw side encodes with
``json.dumps``, inserts with ``executemany`` in one transaction, and reads with
``json.loads``. Options: ``dir=<folder>`` for the database files (default: a
temporary folder).
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from benchmarks.harness import Workload, ids_for, make_people
from dataknobs_data import Query, Record
from dataknobs_data.backends.sqlite import SQLiteDatabase

_DUMPS = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_FILTER_SQL = (
    """json_type(data, '$."age"') = 'integer' AND json_extract(data, '$."age"') >= 30 """
    """AND json_extract(data, '$."city"') = 'Oslo'"""
)


def _raw_connect(path: Path) -> sqlite3.Connection:
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    conn.execute(
        "CREATE TABLE IF NOT EXISTS records "
        "(id TEXT PRIMARY KEY NOT NULL, data TEXT NOT NULL, metadata TEXT)"
    )
    return conn


def workloads(n: int, options: dict[str, str]) -> Iterator[Workload]:
    rows = make_people(n)
    ids = list(ids_for(n))
    records = [Record(row, id=rid) for row, rid in zip(rows, ids, strict=True)]
    single_n = min(n, 20_000)
    base = Path(options["dir"]) if "dir" in options else None

    class State:
        def __init__(self, load: bool) -> None:
            self.folder = Path(tempfile.mkdtemp(prefix="dk-bench-", dir=base))
            self.path = self.folder / "bench.db"
            self.db = SQLiteDatabase(path=str(self.path)).connect()
            self.raw = _raw_connect(self.path)
            if load:
                self.db.create_batch(records)

    def empty() -> State:
        return State(load=False)

    def loaded() -> State:
        return State(load=True)

    def teardown(state: State) -> None:
        state.db.close()
        state.raw.close()
        shutil.rmtree(state.folder, ignore_errors=True)

    def raw_insert(count: int, *, batch: bool) -> Any:
        def run(state: State) -> None:
            conn = state.raw
            sql = "INSERT INTO records (id, data, metadata) VALUES (?, ?, NULL)"
            if batch:
                conn.execute("BEGIN IMMEDIATE")
                conn.executemany(
                    sql, [(rid, _DUMPS(row)) for rid, row in zip(ids[:count], rows, strict=False)]
                )
                conn.execute("COMMIT")
                return
            for rid, row in zip(ids[:count], rows, strict=False):
                conn.execute("BEGIN IMMEDIATE")
                conn.execute(sql, (rid, _DUMPS(row)))
                conn.execute("COMMIT")

        return run

    def dk_single(state: State) -> None:
        create = state.db.create
        for record in records[:single_n]:
            create(record)

    yield Workload(
        "single create",
        single_n,
        dk_single,
        raw_insert(single_n, batch=False),
        setup=empty,
        teardown=teardown,
    )
    yield Workload(
        "batch create",
        n,
        lambda s: s.db.create_batch(records),
        raw_insert(n, batch=True),
        setup=empty,
        teardown=teardown,
        target=0.7,
    )

    def dk_read(state: State) -> None:
        read = state.db.read
        for rid in ids:
            read(rid)

    def raw_read(state: State) -> None:
        execute = state.raw.execute
        for rid in ids:
            json.loads(execute("SELECT data FROM records WHERE id = ?", (rid,)).fetchone()[0])

    yield Workload("read by id", n, dk_read, raw_read, setup=loaded, teardown=teardown)

    def raw_read_batch(state: State) -> None:
        found = {}
        for start in range(0, n, 500):
            chunk = ids[start : start + 500]
            sql = f"SELECT id, data FROM records WHERE id IN ({', '.join('?' * len(chunk))})"
            found.update((rid, json.loads(data)) for rid, data in state.raw.execute(sql, chunk))
        [found.get(rid) for rid in ids]

    yield Workload(
        "read_batch",
        n,
        lambda s: s.db.read_batch(ids),
        raw_read_batch,
        setup=loaded,
        teardown=teardown,
    )

    query = Query().filter("age", ">=", 30).filter("city", "==", "Oslo")

    def raw_filter(state: State) -> list[Any]:
        sql = f"SELECT id, data FROM records WHERE {_FILTER_SQL} ORDER BY rowid"
        return [json.loads(data) for _, data in state.raw.execute(sql)]

    yield Workload(
        "filtered search",
        n,
        lambda s: s.db.search(query),
        raw_filter,
        setup=loaded,
        teardown=teardown,
    )

    def raw_count(state: State) -> int:
        sql = f"SELECT COUNT(*) FROM records WHERE {_FILTER_SQL}"
        return int(state.raw.execute(sql).fetchone()[0])

    yield Workload(
        "count", n, lambda s: s.db.count(query), raw_count, setup=loaded, teardown=teardown
    )

    def raw_stream(state: State) -> int:
        cursor = state.raw.execute("SELECT id, data FROM records ORDER BY rowid")
        total = 0
        while batch := cursor.fetchmany(1000):
            total += sum(1 for _, data in batch if json.loads(data) is not None)
        return total

    yield Workload(
        "stream",
        n,
        lambda s: sum(1 for _ in s.db.stream()),
        raw_stream,
        setup=loaded,
        teardown=teardown,
    )

    def with_index(state: State) -> State:
        state.db.create_index("city")
        return state

    yield Workload(
        "filtered search (indexed)",
        n,
        lambda s: s.db.search(query),
        raw_filter,
        setup=lambda: with_index(loaded()),
        teardown=teardown,
        note="both sides use the index on city",
    )
