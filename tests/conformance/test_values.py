"""API.md §1: every backend stores and returns the value model exactly."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dataknobs_data import Record, ValidationError

from .data import EDGE_VALUES, assert_same_value, expected_after_round_trip


@pytest.mark.parametrize("name", list(EDGE_VALUES))
def test_value_round_trips_exactly(db: Any, name: str) -> None:
    value = EDGE_VALUES[name]
    rid = db.create(Record({"v": value}))
    got = db.read(rid)
    assert got is not None
    assert got.field_names == ["v"]
    assert_same_value(got["v"], expected_after_round_trip(value))


@pytest.mark.parametrize("name", list(EDGE_VALUES))
def test_value_round_trips_through_search(db: Any, name: str) -> None:
    value = EDGE_VALUES[name]
    db.create(Record({"v": value, "k": 1}, id="only"))
    (got,) = db.search()
    assert_same_value(got["v"], expected_after_round_trip(value))


@pytest.mark.parametrize(
    "data",
    [
        {"$date": "2020-01-01"},
        {"$bytes": "YWI="},
        {"$dict": {"a": 1}},
        {"$x": 1},
        {"$date": dt.date(2020, 1, 1)},
    ],
    ids=["date-tag", "bytes-tag", "dict-tag", "dollar-key", "dollar-key-date-value"],
)
def test_a_record_whose_only_field_is_named_like_a_tag_round_trips(
    db: Any, data: dict[str, Any]
) -> None:
    # Writers and readers skip the tag walk for flat data; a lone "$" field must not be
    # mistaken for a tagged value on the way out or back.
    db.create(Record(data, id="tag-like"))
    got = db.read("tag-like")
    assert got is not None and got.field_names == list(data)
    assert_same_value(got.to_dict(), data)
    (found,) = db.search()
    assert_same_value(found.to_dict(), data)


def test_record_with_every_value_round_trips(db: Any) -> None:
    rid = db.create(Record(dict(EDGE_VALUES)))
    got = db.read(rid)
    assert got is not None
    assert set(got.field_names) == set(EDGE_VALUES)
    for name, value in EDGE_VALUES.items():
        assert_same_value(got[name], expected_after_round_trip(value), name)


def test_field_type_may_differ_between_records(db: Any) -> None:
    values: list[Any] = [
        1,
        "1",
        1.0,
        Decimal("1"),
        True,
        None,
        [1],
        {"a": 1},
        b"1",
        dt.date(2020, 1, 1),
        dt.datetime(2020, 1, 1),
    ]
    ids = db.create_batch([Record({"v": v}) for v in values])
    for rid, value in zip(ids, values, strict=True):
        got = db.read(rid)
        assert_same_value(got["v"], value)


def test_records_may_have_different_fields(db: Any) -> None:
    db.create_batch(
        [Record({"a": 1}, id="1"), Record({"b": "x", "c": [1]}, id="2"), Record({}, id="3")]
    )
    assert db.read("1").to_dict() == {"a": 1}
    assert db.read("2").to_dict() == {"b": "x", "c": [1]}
    assert db.read("3").to_dict() == {}


def test_field_order_is_kept(db: Any) -> None:
    rid = db.create(Record({"z": 1, "a": 2, "m": 3}))
    assert db.read(rid).field_names == ["z", "a", "m"]


def test_metadata_round_trips(db: Any) -> None:
    rid = db.create(Record({"a": 1}, metadata={"source": "crm", "n": 2}))
    assert db.read(rid).metadata == {"source": "crm", "n": 2}


@pytest.mark.parametrize(
    "bad",
    [
        float("nan"),
        float("inf"),
        -float("inf"),
        Decimal("NaN"),
        Decimal("Infinity"),
        {1, 2},
        object(),
        {1: "int key"},
        [float("nan")],
        {"nested": {"x": float("inf")}},
    ],
    ids=[
        "nan",
        "inf",
        "-inf",
        "decimal-nan",
        "decimal-inf",
        "set",
        "object",
        "int-key",
        "nested-list-nan",
        "nested-dict-inf",
    ],
)
def test_value_outside_model_is_rejected_at_write(db: Any, bad: Any) -> None:
    with pytest.raises(ValidationError):
        db.create(Record({"ok": 1, "bad": bad}, id="r"))
    assert db.read("r") is None
    assert db.count() == 0


def test_rejected_value_in_batch_writes_nothing(db: Any) -> None:
    records = [Record({"n": 1}, id="a"), Record({"n": float("nan")}, id="b")]
    with pytest.raises(ValidationError):
        db.create_batch(records)
    assert db.count() == 0


def test_read_back_never_aliases_stored_state(db: Any) -> None:
    rid = db.create(Record({"tags": ["a"], "d": {"k": [1]}}))
    first = db.read(rid)
    first["tags"].append("mutated")
    first["d"]["k"].append(2)
    first.set_value("new", 1)
    again = db.read(rid)
    assert again.to_dict() == {"tags": ["a"], "d": {"k": [1]}}


def test_changing_input_after_write_does_not_change_stored_record(db: Any) -> None:
    data: dict[str, Any] = {"tags": ["a"]}
    record = Record(data, id="x")
    db.create(record)
    data["tags"].append("later")
    record.set_value("tags", ["replaced"])
    assert db.read("x")["tags"] == ["a"]


def test_changing_plain_inputs_after_a_batch_write_does_not_change_stored_records(
    db: Any,
) -> None:
    # Plain batches take the fast preparation path (checked per batch or per column).
    records = [Record({"n": i, "s": "x"}, id=f"r{i}") for i in range(20)]
    db.create_batch(records)
    upserted = [Record({"n": 100 + i}, id=f"r{i}") for i in range(5)]
    db.upsert_batch(upserted)
    for record in [*records, *upserted]:
        record.set_value("n", -1)
        record.set_value("extra", True)
    got = db.read_batch([f"r{i}" for i in range(20)])
    assert [r.to_dict() for r in got[:5]] == [{"n": 100 + i} for i in range(5)]
    assert [r.to_dict() for r in got[5:]] == [{"n": i, "s": "x"} for i in range(5, 20)]


def test_one_id_read_twice_in_a_batch_gives_two_independent_records(db: Any) -> None:
    db.create(Record({"tags": ["a"]}, id="x"))
    first, second = db.read_batch(["x", "x"])
    first["tags"].append("mutated")
    assert second["tags"] == ["a"]
    assert db.read("x")["tags"] == ["a"]


def test_search_results_do_not_alias_stored_state(db: Any) -> None:
    db.create(Record({"tags": ["a"]}, id="x"))
    db.search()[0]["tags"].append("mutated")
    assert db.read("x")["tags"] == ["a"]
