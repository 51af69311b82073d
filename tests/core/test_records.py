"""Record and Field behave as API.md §1 says."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from dataknobs_data import Field, FieldType, Record, ValidationError


def test_record_basics() -> None:
    r = Record({"name": "Ada", "age": 36, "tags": ["x"]}, id="u1", metadata={"source": "crm"})
    assert r.id == "u1"
    assert r["age"] == 36
    assert r.get_value("missing", default=5) == 5
    r.set_value("age", 37)
    assert "age" in r and "nope" not in r
    assert r.field_names == ["name", "age", "tags"]
    assert r.fields["age"] == Field(name="age", value=37, type=FieldType.INTEGER)
    assert r.to_dict() == {"name": "Ada", "age": 37, "tags": ["x"]}
    assert r.metadata == {"source": "crm"}


def test_id_is_none_until_assigned() -> None:
    assert Record({"a": 1}).id is None


def test_get_value_reaches_into_nested_dicts() -> None:
    r = Record({"address": {"city": "Oslo"}})
    assert r.get_value("address.city") == "Oslo"
    assert r.get_value("address.zip", "none") == "none"


def test_from_dict_inverts_to_dict_and_copies() -> None:
    data = {"a": [1, {"b": 2}]}
    r = Record.from_dict(data)
    assert r.to_dict() == data
    r["a"][1]["b"] = 3
    assert data["a"][1]["b"] == 2


def test_copy_shares_no_mutable_state() -> None:
    r = Record({"l": [1]}, id="x", metadata={"m": [1]})
    c = r.copy()
    c["l"].append(2)
    c.metadata["m"].append(2)
    assert r["l"] == [1] and r.metadata == {"m": [1]}
    assert c.id == "x"


def test_project_keeps_named_fields_and_id() -> None:
    r = Record({"a": 1, "b": 2, "c": 3}, id="x")
    p = r.project(["c", "a", "zz"])
    assert p.id == "x" and p.to_dict() == {"c": 3, "a": 1}


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("s", FieldType.STRING),
        (1, FieldType.INTEGER),
        (1.5, FieldType.FLOAT),
        (Decimal("1"), FieldType.DECIMAL),
        (True, FieldType.BOOLEAN),
        (dt.datetime(2020, 1, 1), FieldType.DATETIME),
        (dt.date(2020, 1, 1), FieldType.DATE),
        (b"x", FieldType.BINARY),
        ([1], FieldType.JSON),
        ({"a": 1}, FieldType.JSON),
        (None, FieldType.JSON),
    ],
)
def test_field_type_is_inferred_from_the_value(value: object, expected: FieldType) -> None:
    assert Field("f", value).type is expected


def test_field_type_given_explicitly_is_kept() -> None:
    assert Field("f", "2020-01-01", FieldType.DATE).type is FieldType.DATE
    r = Record([Field("when", "2020-01-01", FieldType.DATE)])
    assert r.fields["when"].type is FieldType.DATE


@pytest.mark.parametrize("bad", [5, ""])
def test_record_id_must_be_a_non_empty_string(bad: object) -> None:
    with pytest.raises(ValidationError):
        Record({}, id=bad)  # type: ignore[arg-type]


def test_records_compare_by_id_data_and_value_types() -> None:
    assert Record({"a": 1}, id="x") == Record({"a": 1}, id="x")
    assert Record({"a": 1}, id="x") != Record({"a": 1.0}, id="x")
    assert Record({"a": 1}, id="x") != Record({"a": 1}, id="y")
