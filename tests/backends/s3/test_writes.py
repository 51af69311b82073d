"""Write guarantees: conditional creates, batch rollback, updates never resurrect."""

from __future__ import annotations

import threading
from typing import Any

import pytest

from dataknobs_data import DatabaseError, DuplicateRecordError, Record
from dataknobs_data.backends.s3 import S3Database
from tests.services.s3 import S3Endpoint

pytestmark = pytest.mark.services


def test_server_support_for_conditional_writes_is_detected(
    db: S3Database, s3_server: S3Endpoint
) -> None:
    if s3_server.conditional_writes is None:
        pytest.skip("the external endpoint's support is unknown")
    assert db._store.conditional_writes() is s3_server.conditional_writes


@pytest.mark.parametrize("conditional", [True, False], ids=["conditional", "head-then-put"])
def test_create_refuses_an_existing_id(make_db: Any, conditional: bool) -> None:
    db = make_db(conditional_writes=conditional)
    db.create(Record({"v": 1}, id="a"))
    with pytest.raises(DuplicateRecordError, match="'a'"):
        db.create(Record({"v": 2}, id="a"))
    assert db.read("a") == Record({"v": 1}, id="a")


def test_concurrent_creates_of_one_id_leave_exactly_one_winner(
    make_db: Any, s3_server: S3Endpoint
) -> None:
    if not s3_server.conditional_writes:
        pytest.skip("only conditional writes make this guarantee")
    databases = [make_db() for _ in range(8)]
    barrier = threading.Barrier(len(databases))
    outcomes: list[str] = []

    def create(index: int) -> None:
        barrier.wait()
        try:
            databases[index].create(Record({"writer": index}, id="contended"))
            outcomes.append(f"won:{index}")
        except DuplicateRecordError:
            outcomes.append("duplicate")

    threads = [threading.Thread(target=create, args=(i,)) for i in range(len(databases))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    winners = [o for o in outcomes if o.startswith("won")]
    assert len(winners) == 1 and outcomes.count("duplicate") == len(databases) - 1
    stored = databases[0].read("contended")
    assert stored is not None and f"won:{stored['writer']}" == winners[0]


@pytest.mark.parametrize("conditional", [True, False], ids=["conditional", "head-then-put"])
def test_batch_with_an_existing_id_writes_nothing(make_db: Any, conditional: bool) -> None:
    db = make_db(conditional_writes=conditional)
    db.create(Record({"v": "old"}, id="r50"))
    batch = [Record({"v": i}, id=f"r{i}") for i in range(100)]
    with pytest.raises(DuplicateRecordError) as caught:
        db.create_batch(batch)
    assert caught.value.ids == ["r50"]
    assert db.count() == 1
    assert db.read("r50") == Record({"v": "old"}, id="r50")


def test_batch_failing_midway_is_rolled_back_and_names_the_failures(db: S3Database) -> None:
    original = db._store._put_new

    def flaky(record: Record) -> None:
        if record.id in {"r3", "r7"}:
            raise DatabaseError("injected failure")
        original(record)

    db._store._put_new = flaky  # type: ignore[method-assign]
    db._store._conditional = True
    with pytest.raises(DatabaseError) as caught:
        db.create_batch([Record({"v": i}, id=f"r{i}") for i in range(10)])
    message = str(caught.value)
    assert "'r3'" in message and "'r7'" in message and "2 of 10" in message
    assert "deleted again" in message
    assert db.count() == 0


@pytest.mark.parametrize("conditional", [True, False], ids=["conditional", "head-then-put"])
def test_update_replaces_only_existing_records(make_db: Any, conditional: bool) -> None:
    db = make_db(conditional_writes=conditional)
    db.create(Record({"v": 1}, id="a"))
    assert db.update_batch([Record({"v": 2}, id="a"), Record({"v": 3}, id="b")]) == [True, False]
    assert db.read("a") == Record({"v": 2}, id="a")
    assert db.read("b") is None


def test_update_after_a_concurrent_change_still_applies(db: S3Database) -> None:
    db.create(Record({"v": 1}, id="a"))
    store = db._store
    original = store._etag
    calls = {"n": 0}

    def stale_once(record_id: str) -> str | None:
        etag = original(record_id)
        calls["n"] += 1
        if calls["n"] == 1:  # someone else writes between our HEAD and PUT
            store._put(Record({"v": "theirs"}, id="a"))
        return etag

    store._etag = stale_once  # type: ignore[method-assign]
    if not store.conditional_writes():
        pytest.skip("without If-Match the race is not detected (documented)")
    assert db.update("a", Record({"v": "ours"}))
    assert calls["n"] == 2  # the 412 made it look again
    assert db.read("a") == Record({"v": "ours"}, id="a")


def test_update_never_resurrects_a_record_deleted_concurrently(db: S3Database) -> None:
    db.create(Record({"v": 1}, id="a"))
    store = db._store
    original = store._etag
    calls = {"n": 0}

    def deleted_meanwhile(record_id: str) -> str | None:
        etag = original(record_id)
        calls["n"] += 1
        if calls["n"] == 1:
            store._delete_keys([store.keys.key("a")])
        return etag

    store._etag = deleted_meanwhile  # type: ignore[method-assign]
    if not store.conditional_writes():
        pytest.skip("without If-Match the race is not detected (documented)")
    assert db.update("a", Record({"v": 2})) is False
    assert db.read("a") is None


def test_delete_reports_what_existed(db: S3Database) -> None:
    db.create_batch([Record({"v": i}, id=f"r{i}") for i in range(3)])
    assert db.delete_batch(["r0", "nope", "r2"]) == [True, False, True]
    assert [r.id for r in db.search()] == ["r1"]
