"""Values and datasets the conformance tests share."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import Any

from dataknobs_data import Record

UTC = dt.UTC
IST = dt.timezone(dt.timedelta(hours=5, minutes=30))

# Every type of the value model with its edge values (API.md §1).
EDGE_VALUES: dict[str, Any] = {
    "none": None,
    "true": True,
    "false": False,
    "int_zero": 0,
    "int_negative": -7,
    "int64_max": 2**63 - 1,
    "int64_min": -(2**63),
    "int_beyond_float": 2**53 + 1,
    "float": 1.5,
    "float_negative_zero": -0.0,
    "float_integral": 2.0,
    "float_tiny": 5e-324,
    "float_huge": 1.7976931348623157e308,
    "float_third": 1 / 3,
    "str_empty": "",
    "str_nul": "a\x00b",
    "str_unicode": "Grüße 😀 漢字 \u2028 \u0301e",
    "str_newlines": "line1\nline2\r\n",
    "str_quotes": 'it\'s "quoted" \\ back % under_score',
    "str_json_like": '{"$date": "2020-01-01"}',
    "str_long": "x" * 10_000,
    "bytes_empty": b"",
    "bytes_all": bytes(range(256)),
    "decimal_pi": Decimal("3.14159265358979323846264338327950288"),
    "decimal_scaled": Decimal("1.10"),
    "decimal_negative_small": Decimal("-0.001"),
    "decimal_large": Decimal("1E+30"),
    "date": dt.date(2024, 2, 29),
    "date_min": dt.date(1, 1, 1),
    "date_max": dt.date(9999, 12, 31),
    "datetime_naive": dt.datetime(2024, 5, 1, 12, 30, 45, 123456),
    "datetime_utc": dt.datetime(2024, 5, 1, 12, 30, 45, 123456, tzinfo=UTC),
    "datetime_offset": dt.datetime(2024, 5, 1, 18, 0, 45, 1, tzinfo=IST),
    "list_empty": [],
    "list_mixed": [1, "a", None, 2.5, [True, {"k": b"x"}], Decimal("2.50")],
    "dict_empty": {},
    "dict_nested": {"a": {"b": {"c": [Decimal("1.5"), dt.date(2020, 1, 1)]}}, "z": None},
    "dict_tag_like": {"$date": "not a date"},
    "dict_dollar_keys": {"$a": 1, "$b": {"$bytes": "x"}},
    "dict_unicode_keys": {"ключ": 1, "": 2, "a.b": 3},
}


def expected_after_round_trip(value: Any) -> Any:
    """What a stored value reads back as: aware datetimes in UTC, the rest unchanged."""
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(UTC)
    if isinstance(value, list):
        return [expected_after_round_trip(v) for v in value]
    if isinstance(value, dict):
        return {k: expected_after_round_trip(v) for k, v in value.items()}
    return value


def assert_same_value(actual: Any, expected: Any, path: str = "value") -> None:
    """Equal and of the same Python type, recursively; floats bit-exact; UTC kept."""
    assert type(actual) is type(expected), f"{path}: {actual!r} is not a {type(expected).__name__}"
    if isinstance(expected, float):
        assert math.copysign(1, actual) == math.copysign(1, expected), f"{path}: sign of zero"
        assert actual.hex() == expected.hex(), f"{path}: {actual!r} != {expected!r}"
    elif isinstance(expected, dict):
        assert list(actual) == list(expected) or set(actual) == set(expected), path
        for key in expected:
            assert_same_value(actual[key], expected[key], f"{path}.{key}")
    elif isinstance(expected, list):
        assert len(actual) == len(expected), f"{path}: {actual!r} != {expected!r}"
        for i, (a, e) in enumerate(zip(actual, expected, strict=True)):
            assert_same_value(a, e, f"{path}[{i}]")
    elif isinstance(expected, dt.datetime):
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"
        if expected.tzinfo is None:
            assert actual.tzinfo is None, f"{path}: naive datetime came back aware"
        else:
            assert actual.utcoffset() == dt.timedelta(0), f"{path}: aware datetime not in UTC"
    else:
        assert actual == expected, f"{path}: {actual!r} != {expected!r}"


def people() -> list[Record]:
    """A small dataset with missing and null values, nested dicts and lists."""
    rows: list[tuple[str, dict[str, Any]]] = [
        (
            "p01",
            {
                "name": "Ada",
                "age": 36,
                "city": "Oslo",
                "tags": ["x", "y"],
                "address": {"city": "Oslo", "zip": "0150"},
                "score": 9.5,
            },
        ),
        (
            "p02",
            {
                "name": "bob",
                "age": 25,
                "city": "Rome",
                "tags": ["y"],
                "address": {"city": "Rome"},
                "score": Decimal("7.25"),
            },
        ),
        ("p03", {"name": "Cy", "age": None, "city": "Oslo", "tags": [], "address": {"city": None}}),
        ("p04", {"name": "Dee", "city": "Paris", "score": 7.25, "tags": ["x"]}),
        ("p05", {"name": "Émile", "age": 41.5, "city": "paris", "address": "n/a"}),
        ("p06", {"name": "Fay", "age": "n/a", "city": None, "tags": ["z", 1]}),
        ("p07", {"name": "Gus", "age": True, "score": None}),
        (
            "p08",
            {
                "name": "ada",
                "age": 30,
                "city": "Oslo",
                "tags": ["X"],
                "address": {"city": "Bergen", "geo": {"lat": 60.4}},
            },
        ),
        ("p09", {"age": 19, "city": "Rome"}),
        ("p10", {"name": "Zed", "age": Decimal("36"), "city": "Zürich", "tags": [["x"]]}),
    ]
    return [Record(data, id=rid) for rid, data in rows]
