"""Memory backend workloads; the raw baseline is a plain dict doing the same work."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from benchmarks.harness import Workload, ids_for, make_people
from dataknobs_data import Query, Record
from dataknobs_data.backends.memory import MemoryDatabase


def workloads(n: int, options: dict[str, str]) -> Iterator[Workload]:
    rows = make_people(n)
    ids = list(ids_for(n))
    records = [Record(row, id=rid) for row, rid in zip(rows, ids, strict=True)]
    single_n = min(n, 20_000)

    def empty_db() -> MemoryDatabase:
        return MemoryDatabase()

    def loaded() -> tuple[MemoryDatabase, dict[str, dict[str, Any]]]:
        db = MemoryDatabase()
        db.create_batch(records)
        return db, {rid: dict(row) for rid, row in zip(ids, rows, strict=True)}

    # The raw side copies each row, as the store must (a record read back never aliases).
    def raw_insert(count: int) -> Any:
        def run(_: Any) -> None:
            store: dict[str, dict[str, Any]] = {}
            for rid, row in zip(ids[:count], rows[:count], strict=True):
                if rid in store:
                    raise KeyError(rid)
                store[rid] = dict(row)

        return run

    def dk_single(db: MemoryDatabase) -> None:
        create = db.create
        for record in records[:single_n]:
            create(record)

    yield Workload("single create", single_n, dk_single, raw_insert(single_n), setup=empty_db)
    yield Workload(
        "batch create",
        n,
        lambda db: db.create_batch(records),
        raw_insert(n),
        setup=empty_db,
        target=1 / 3,
    )

    def dk_read(state: Any) -> None:
        read = state[0].read
        for rid in ids:
            read(rid)

    def raw_read(state: Any) -> None:
        store = state[1]
        for rid in ids:
            dict(store[rid])

    yield Workload("read by id", n, dk_read, raw_read, setup=loaded, target=1 / 3)
    yield Workload("read_batch", n, lambda s: s[0].read_batch(ids), raw_read, setup=loaded)

    query = Query().filter("age", ">=", 30).filter("city", "==", "Oslo")

    def raw_filter(state: Any) -> Any:
        return [
            dict(r)
            for r in state[1].values()
            if type(r.get("age")) is int and r["age"] >= 30 and r.get("city") == "Oslo"
        ]

    yield Workload(
        "filtered search", n, lambda s: s[0].search(query), raw_filter, setup=loaded, target=1 / 5
    )
    yield Workload(
        "count",
        n,
        lambda s: s[0].count(query),
        lambda s: sum(
            1
            for r in s[1].values()
            if type(r.get("age")) is int and r["age"] >= 30 and r.get("city") == "Oslo"
        ),
        setup=loaded,
    )
    yield Workload(
        "stream",
        n,
        lambda s: sum(1 for _ in s[0].stream()),
        lambda s: sum(1 for r in s[1].values() if dict(r)),
        setup=loaded,
    )
