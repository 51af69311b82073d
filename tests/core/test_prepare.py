"""Write preparation: the fused batch path agrees with the per-record one."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from dataknobs_data import Record, ValidationError
from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.engine.ops import prepare_record, prepare_records

COPYING = Capabilities(name="test", copies_on_write=True)
KEEPING = Capabilities(name="test")


def _same(a: Record, b: Record) -> bool:
    return a == b and a.metadata == b.metadata


@pytest.mark.parametrize("caps", [COPYING, KEEPING], ids=["copies", "keeps"])
def test_plain_batch_is_flagged_and_matches_prepare_record(caps: Capabilities) -> None:
    records = [
        Record({"n": i, "s": "x", "f": 1.5, "b": None, "d": dt.date(2020, 1, 1)}, id=f"r{i}")
        for i in range(5)
    ]
    out = prepare_records(records, caps)
    assert out.plain is True
    assert all(_same(p, prepare_record(r, caps)) for p, r in zip(out, records, strict=True))
    if caps.copies_on_write:
        # A store that keeps Python objects gets copies it alone holds.
        assert all(p is not r and p._data is not r._data for p, r in zip(out, records, strict=True))
    else:
        # A store that only reads its input gets the records themselves: nothing to do.
        assert all(p is r for p, r in zip(out, records, strict=True))
    assert all(r.id == f"r{i}" and r.metadata == {} for i, r in enumerate(records))


@pytest.mark.parametrize(
    "odd",
    [
        Record({"v": Decimal("1.5")}, id="x"),
        Record({"v": [1, 2]}, id="x"),
        Record({"v": dt.datetime(2020, 1, 1, tzinfo=dt.UTC)}, id="x"),
        Record({"v": 1}, id="x", metadata={"m": 1}),
    ],
    ids=["decimal", "list", "datetime", "metadata"],
)
def test_a_record_outside_the_plain_case_unflags_the_batch(odd: Record) -> None:
    out = prepare_records([Record({"v": 1}, id="a"), odd], COPYING)
    assert out.plain is False
    assert _same(out[1], prepare_record(odd, COPYING))


def test_missing_ids_are_assigned_only_when_asked() -> None:
    out = prepare_records([Record({"v": 1}), Record({"v": 2})], KEEPING, assign=True)
    assert out.plain is True
    assert all(isinstance(r.id, str) and r.id for r in out)
    assert out[0].id != out[1].id
    with pytest.raises(ValidationError, match="needs records with ids"):
        prepare_records([Record({"v": 1})], KEEPING)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        ({"v": float("nan")}, "only finite floats"),
        ({"v": float("inf")}, "only finite floats"),
        ({"v": object()}, "object"),
    ],
)
def test_bad_values_raise_the_per_record_error(bad: dict[str, Any], message: str) -> None:
    with pytest.raises(ValidationError, match=message):
        prepare_records([Record({"v": 1}, id="a"), Record(bad, id="b")], KEEPING)


def test_bad_ids_and_non_records_raise() -> None:
    bad_id = Record({"v": 1})
    bad_id.id = ""
    with pytest.raises(ValidationError, match="non-empty string"):
        prepare_records([bad_id], KEEPING, assign=True)
    with pytest.raises(ValidationError, match="expected a Record"):
        prepare_records([{"v": 1}], KEEPING)  # type: ignore[list-item]


COLUMNAR = Capabilities(name="test", columnar=True)


def test_a_plain_batch_for_a_columnar_store_comes_with_its_columns() -> None:
    records = [Record({"n": i, "f": i / 2, "s": "x"}, id=f"r{i}") for i in range(4)]
    records.append(Record({"s": "y", "n": None}, id="r4"))
    out = prepare_records(iter(records), COLUMNAR)
    assert out.plain is True and out.columns is not None
    assert all(p is r for p, r in zip(out, records, strict=True))
    assert out.columns.names == ["n", "f", "s"]
    assert out.columns.values["f"] == [0.0, 0.5, 1.0, 1.5, None]
    assert out.columns.key_orders == [("n", "f", "s"), ("s", "n")]


def test_columnar_missing_ids_are_assigned_on_new_records() -> None:
    records = [Record({"n": 1}), Record({"n": 2}, id="b")]
    out = prepare_records(records, COLUMNAR, assign=True)
    assert out.columns is not None and out[1] is records[1]
    assert out[0] is not records[0] and out[0].id and records[0].id is None


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ([1.5, float("nan")], "only finite floats"),
        ([1, "a", float("-inf")], "only finite floats"),
        ([1, object()], "object"),
    ],
)
def test_columnar_bad_values_raise_the_per_record_error(values: list[Any], message: str) -> None:
    records = [Record({"v": v}, id=str(i)) for i, v in enumerate(values)]
    with pytest.raises(ValidationError, match=message):
        prepare_records(records, COLUMNAR)


@pytest.mark.parametrize(
    "odd",
    [
        Record({"v": Decimal("1")}, id="x"),
        Record({"v": 1}, id="x", metadata={"m": 1}),
        Record({"v": 1e308}, id="x"),  # the column's sum overflows: checked per record
    ],
    ids=["decimal", "metadata", "overflowing-sum"],
)
def test_columnar_batches_outside_the_plain_case_go_record_by_record(odd: Record) -> None:
    out = prepare_records([Record({"v": 1e308}, id="a"), odd], COLUMNAR)
    assert out.columns is None
    assert _same(out[1], prepare_record(odd, COLUMNAR))
