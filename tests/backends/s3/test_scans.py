"""Search, count and stream are parallel scans that never return a silently short result."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from botocore.exceptions import ClientError

from dataknobs_data import DatabaseError, Query, Record
from dataknobs_data.backends.s3 import AsyncS3Database, S3Database
from dataknobs_data.backends.s3.parallel import RequestPool

pytestmark = pytest.mark.services


def _fill(db: S3Database, n: int) -> list[str]:
    ids = [f"r{i:03d}" for i in range(n)]
    db.create_batch([Record({"i": i, "even": i % 2 == 0}, id=rid) for i, rid in enumerate(ids)])
    return ids


def test_explain_says_it_is_a_full_scan(db: S3Database) -> None:
    plan = db.explain(Query().filter("i", ">", 3).sort("i"))
    assert plan.native_text is not None
    assert "full scan" in plan.native_text and "no index" in plan.native_text
    assert "full scan" in str(plan)
    assert plan.python_sort  # sorting needs every match first: done by the core


def test_results_come_in_key_order_without_a_sort(db: S3Database) -> None:
    ids = _fill(db, 30)
    assert [r.id for r in db.search()] == ids
    pages = [db.search(Query().offset(o).limit(7)) for o in range(0, 30, 7)]
    assert [r.id for page in pages for r in page] == ids


def test_count_without_a_filter_only_lists(db: S3Database) -> None:
    _fill(db, 12)

    def no_gets(key: str) -> None:
        raise AssertionError("count() fetched an object")

    db._store._fetch = no_gets  # type: ignore[assignment, method-assign]
    assert db.count() == 12


def test_a_failing_fetch_raises_instead_of_shrinking_the_result(db: S3Database) -> None:
    _fill(db, 40)
    store = db._store
    original = store._fetch

    def flaky(key: str) -> Record | None:
        if key.endswith("r017.json"):
            raise ClientError(
                {
                    "Error": {"Code": "InternalError", "Message": "boom"},
                    "ResponseMetadata": {"HTTPStatusCode": 500},
                },
                "GetObject",
            )
        return original(key)

    store._fetch = flaky  # type: ignore[method-assign]
    with pytest.raises(DatabaseError, match="InternalError"):
        db.search()
    with pytest.raises(DatabaseError, match="InternalError"):
        db.count(Query().filter("even", "==", True))
    with pytest.raises(DatabaseError, match="InternalError"):
        list(db.stream(batch_size=5))


def test_an_object_deleted_during_the_scan_is_simply_gone(db: S3Database) -> None:
    ids = _fill(db, 10)
    store = db._store
    listed = store.list_keys

    def listing_with_a_vanished_key() -> Any:
        yield store.keys.key("deleted-meanwhile")
        yield from listed()

    store.list_keys = listing_with_a_vanished_key  # type: ignore[method-assign]
    assert [r.id for r in db.search()] == ids


def test_stream_keeps_a_bounded_number_of_objects_in_flight(db: S3Database) -> None:
    _fill(db, 60)
    store = db._store
    original = store._fetch
    lock = threading.Lock()
    state = {"fetched": 0, "consumed": 0, "max_ahead": 0}

    def counting(key: str) -> Record | None:
        with lock:
            state["fetched"] += 1
            ahead = state["fetched"] - state["consumed"]
            state["max_ahead"] = max(state["max_ahead"], ahead)
        return original(key)

    store._fetch = counting  # type: ignore[method-assign]
    bound = max(4, store.pool.size)
    for _ in db.stream(batch_size=4):
        time.sleep(0.001)
        with lock:
            state["consumed"] += 1
    assert state["consumed"] == 60
    assert state["max_ahead"] <= 2 * bound + 1


def test_a_limit_stops_the_scan_early(db: S3Database) -> None:
    _fill(db, 200)
    store = db._store
    original = store._fetch
    fetched = []

    def counting(key: str) -> Record | None:
        fetched.append(key)
        return original(key)

    store._fetch = counting  # type: ignore[method-assign]
    assert [r.id for r in db.search(Query().limit(3))] == ["r000", "r001", "r002"]
    assert len(fetched) < 200


def test_ordered_pool_runs_at_most_window_ahead() -> None:
    pool = RequestPool(8, "test")
    pulled = []

    def items() -> Any:
        for i in range(100):
            pulled.append(i)
            yield i

    results = pool.ordered(lambda x: x * 2, items(), window=5)
    assert next(results) == 0
    assert len(pulled) == 5
    assert list(results) == [2 * i for i in range(1, 100)]
    pool.close()


def test_async_stream_matches_sync(s3_options: dict[str, Any], db: S3Database) -> None:
    ids = _fill(db, 25)

    async def run() -> tuple[list[str], int, list[str]]:
        async with AsyncS3Database(**s3_options) as adb:
            streamed = [r.id async for r in adb.stream(Query().filter("even", "==", True), 4)]
            count = await adb.count(Query().filter("even", "==", False))
            first: list[str] = []
            async for record in adb.stream(batch_size=3):
                first.append(str(record.id))
                if len(first) == 2:
                    break
            return [str(i) for i in streamed], count, first

    streamed, count, first = asyncio.run(run())
    assert streamed == ids[::2]
    assert count == 12
    assert first == ids[:2]
