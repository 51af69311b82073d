"""API.md §3: ids, CRUD and batch semantics."""

from __future__ import annotations

from typing import Any

import pytest

from dataknobs_data import DuplicateRecordError, Record, ValidationError

ODD_IDS = [
    "plain",
    "with space",
    "slash/inside/id",
    "../../etc/passwd",
    "%2F%00-percent",
    "ünïcödé-😀",
    "dots.in.id",
    "UPPER",
    "upper",
    "x" * 300,
    "quote'\"; DROP TABLE records; --",
    "*?[]{}",
    " leading-and-trailing ",
]


def test_create_assigns_an_id_when_absent(db: Any) -> None:
    rid = db.create(Record({"a": 1}))
    assert isinstance(rid, str) and rid
    assert db.read(rid).id == rid


def test_create_keeps_the_given_id(db: Any) -> None:
    assert db.create(Record({"a": 1}, id="mine")) == "mine"
    assert db.read("mine").to_dict() == {"a": 1}


def test_assigned_ids_are_unique(db: Any) -> None:
    ids = [db.create(Record({"i": i})) for i in range(20)]
    ids += db.create_batch([Record({"i": i}) for i in range(20)])
    assert len(set(ids)) == 40


@pytest.mark.parametrize("rid", ODD_IDS)
def test_any_string_id_works(db: Any, rid: str) -> None:
    assert db.create(Record({"v": 1}, id=rid)) == rid
    assert db.read(rid).id == rid
    assert db.exists(rid)
    assert [r.id for r in db.search()] == [rid]
    assert db.update(rid, Record({"v": 2}))
    assert db.read(rid)["v"] == 2
    assert db.delete(rid)
    assert not db.exists(rid)


def test_ids_are_case_sensitive(db: Any) -> None:
    db.create_batch([Record({"v": 1}, id="abc"), Record({"v": 2}, id="ABC")])
    assert db.read("abc")["v"] == 1
    assert db.read("ABC")["v"] == 2


@pytest.mark.parametrize("bad", [5, "", None, b"id"])
def test_invalid_id_is_rejected(db: Any, bad: Any) -> None:
    with pytest.raises(ValidationError):
        db.read(bad)


def test_creating_an_existing_id_raises_and_keeps_the_original(db: Any) -> None:
    db.create(Record({"v": "original"}, id="a"))
    with pytest.raises(DuplicateRecordError) as info:
        db.create(Record({"v": "new"}, id="a"))
    assert "a" in info.value.ids
    assert db.read("a")["v"] == "original"


def test_read_of_missing_id_is_none(db: Any) -> None:
    assert db.read("nope") is None
    assert db.exists("nope") is False


def test_update_replaces_the_whole_record(db: Any) -> None:
    db.create(Record({"a": 1, "b": 2}, id="r"))
    assert db.update("r", Record({"b": 3, "c": 4})) is True
    got = db.read("r")
    assert got.to_dict() == {"b": 3, "c": 4}
    assert got.id == "r"


def test_update_of_missing_id_returns_false_and_creates_nothing(db: Any) -> None:
    assert db.update("ghost", Record({"a": 1})) is False
    assert db.read("ghost") is None
    assert db.count() == 0


def test_update_uses_the_id_argument_not_the_records_id(db: Any) -> None:
    db.create_batch([Record({"v": 1}, id="a"), Record({"v": 2}, id="b")])
    assert db.update("a", Record({"v": 10}, id="b")) is True
    assert db.read("a")["v"] == 10
    assert db.read("b")["v"] == 2


def test_upsert_inserts_then_replaces(db: Any) -> None:
    assert db.upsert(Record({"v": 1}, id="u")) == "u"
    assert db.upsert(Record({"w": 2}, id="u")) == "u"
    assert db.read("u").to_dict() == {"w": 2}
    assert db.count() == 1


def test_upsert_without_id_assigns_one(db: Any) -> None:
    rid = db.upsert(Record({"v": 1}))
    assert db.read(rid)["v"] == 1


def test_delete_returns_whether_it_deleted(db: Any) -> None:
    db.create(Record({"v": 1}, id="d"))
    assert db.delete("d") is True
    assert db.delete("d") is False
    assert db.read("d") is None


def test_create_batch_returns_ids_in_input_order(db: Any) -> None:
    records = [Record({"i": i}, id=f"id{i}") for i in range(5)] + [Record({"i": 5})]
    ids = db.create_batch(records)
    assert ids[:5] == [f"id{i}" for i in range(5)]
    assert db.read(ids[5])["i"] == 5
    assert db.count() == 6


def test_create_batch_with_an_existing_id_writes_nothing(db: Any) -> None:
    db.create(Record({"v": "old"}, id="b"))
    batch = [Record({"v": 1}, id="a"), Record({"v": 2}, id="b"), Record({"v": 3}, id="c")]
    with pytest.raises(DuplicateRecordError) as info:
        db.create_batch(batch)
    assert info.value.ids == ["b"]
    assert db.read("a") is None and db.read("c") is None
    assert db.read("b")["v"] == "old"
    assert db.count() == 1


def test_create_batch_with_an_id_twice_writes_nothing(db: Any) -> None:
    with pytest.raises(DuplicateRecordError):
        db.create_batch([Record({"v": 1}, id="a"), Record({"v": 2}, id="a")])
    assert db.count() == 0


def test_large_batch_is_written_whole(db: Any) -> None:
    ids = db.create_batch([Record({"i": i}) for i in range(2500)])
    assert len(ids) == 2500
    assert db.count() == 2500
    got = db.read_batch(ids[::250])
    assert [r["i"] for r in got] == list(range(0, 2500, 250))


def test_read_batch_keeps_input_order_with_none_for_missing(db: Any) -> None:
    db.create_batch([Record({"v": i}, id=f"r{i}") for i in range(3)])
    got = db.read_batch(["r2", "missing", "r0", "r2"])
    assert [None if r is None else r.id for r in got] == ["r2", None, "r0", "r2"]
    assert got[0]["v"] == 2


def test_update_batch_reports_each_record(db: Any) -> None:
    db.create_batch([Record({"v": 1}, id="a"), Record({"v": 2}, id="b")])
    done = db.update_batch(
        [Record({"v": 10}, id="a"), Record({"v": 0}, id="zz"), Record({"v": 20}, id="b")]
    )
    assert done == [True, False, True]
    assert [db.read(i)["v"] for i in ("a", "b")] == [10, 20]
    assert db.read("zz") is None


def test_update_batch_needs_ids(db: Any) -> None:
    with pytest.raises(ValidationError):
        db.update_batch([Record({"v": 1})])


def test_upsert_batch_inserts_and_replaces(db: Any) -> None:
    db.create(Record({"v": 1}, id="a"))
    ids = db.upsert_batch([Record({"v": 10}, id="a"), Record({"v": 2}, id="b"), Record({"v": 3})])
    assert ids[:2] == ["a", "b"]
    assert db.read("a")["v"] == 10 and db.read("b")["v"] == 2 and db.read(ids[2])["v"] == 3
    assert db.count() == 3


def test_delete_batch_reports_each_id(db: Any) -> None:
    db.create_batch([Record({"v": 1}, id="a"), Record({"v": 2}, id="b")])
    assert db.delete_batch(["a", "nope", "b"]) == [True, False, True]
    assert db.count() == 0


def test_empty_batches_do_nothing(db: Any) -> None:
    assert db.create_batch([]) == []
    assert db.read_batch([]) == []
    assert db.update_batch([]) == []
    assert db.upsert_batch([]) == []
    assert db.delete_batch([]) == []


def test_clear_removes_everything_and_returns_how_many(db: Any) -> None:
    db.create_batch([Record({"i": i}) for i in range(7)])
    assert db.clear() == 7
    assert db.count() == 0
    assert db.search() == []
    assert db.clear() == 0


def test_stream_write_names_each_failed_record(db: Any) -> None:
    db.create(Record({"v": "old"}, id="taken"))
    records = [Record({"i": i}, id=f"s{i}") for i in range(10)]
    records.insert(4, Record({"i": -1}, id="taken"))
    records.insert(7, Record({"bad": float("nan")}, id="nan"))
    result = db.stream_write(iter(records), batch_size=3)
    assert result.written == 10
    assert result.failed == 2
    failed = {rid: msg for _, rid, msg in result.errors}
    assert set(failed) == {"taken", "nan"}
    assert "Duplicate" in failed["taken"]
    assert db.read("taken")["v"] == "old"
    assert db.count() == 11


def test_stream_write_accepts_a_generator(db: Any) -> None:
    result = db.stream_write((Record({"i": i}) for i in range(2345)), batch_size=500)
    assert (result.written, result.failed) == (2345, 0)
    assert db.count() == 2345


def test_stream_write_reports_progress_after_each_batch(db: Any) -> None:
    seen: list[tuple[int, int | None]] = []
    db.stream_write(
        (Record({"i": i}) for i in range(7)),
        batch_size=3,
        on_progress=lambda done, total: seen.append((done, total)),
    )
    assert seen == [(3, None), (6, None), (7, None)]
