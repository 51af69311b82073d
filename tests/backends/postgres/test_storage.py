"""The jsonb layout round-trips the whole value model exactly (no server needed)."""

from __future__ import annotations

import datetime as dt
import json
import math
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataknobs_data.backends.postgres.storage import (
    decode_document,
    encode_data,
    encode_document,
    escape_text,
    restore_order,
    unescape_text,
)
from dataknobs_data.errors import SerializationError

keys = st.text(st.sampled_from(list("ab$\x00\x01\x02.é")), min_size=1, max_size=4)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.text(),
    st.binary(),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.just(dt.UTC)),
)
values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(keys, inner, max_size=3),
    max_leaves=8,
)


def same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, float):
        return math.copysign(1.0, a) == math.copysign(1.0, b) and a == b
    if isinstance(a, dict):
        return list(a) == list(b) and all(same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, Decimal):
        return str(a) == str(b)
    return bool(a == b)


def as_jsonb(value: Any) -> Any:
    """What jsonb does to a document: object keys sorted by (byte length, bytes)."""
    if isinstance(value, dict):
        items = sorted(value.items(), key=lambda kv: (len(kv[0].encode()), kv[0].encode()))
        return {k: as_jsonb(v) for k, v in items}
    if isinstance(value, list):
        return [as_jsonb(v) for v in value]
    return value


@given(st.dictionaries(keys, values, max_size=4))
def test_documents_round_trip_exactly_with_key_order(data: dict[str, Any]) -> None:
    text = encode_document(data)
    assert "\\u0000" not in text  # jsonb rejects U+0000
    assert same(decode_document(json.dumps(as_jsonb(json.loads(text))).encode()), data)


@given(st.dictionaries(keys, values, max_size=4))
def test_record_data_round_trips_with_its_order_in_a_separate_column(data: dict[str, Any]) -> None:
    text, order = encode_data(data)
    as_stored = json.dumps(as_jsonb(json.loads(text))).encode()
    assert same(restore_order(decode_document(as_stored), order), data)


@given(st.floats(allow_nan=False, allow_infinity=False))
def test_floats_are_stored_as_their_exact_value(value: float) -> None:
    text = encode_document({"f": value})
    stored = json.loads(text, parse_float=Decimal)["f"]
    if isinstance(stored, dict):
        assert stored == {"$float": "-0.0"}
    else:
        assert stored == Decimal(value)


@given(st.text(), st.text())
def test_text_escape_preserves_code_point_order_and_prefixes(a: str, b: str) -> None:
    ea, eb = escape_text(a), escape_text(b)
    assert "\x00" not in ea
    assert (ea < eb) == (a < b)
    assert ea.startswith(eb) == a.startswith(b)
    assert unescape_text(ea) == a


def test_user_keys_that_look_like_tags_stay_dicts() -> None:
    data = {"$decimal": "1", "x": {"$date": "2024-01-01"}, "$$": 1}
    assert decode_document(encode_document(data).encode()) == data


@pytest.mark.parametrize(
    "value", [Decimal("1E+200000"), Decimal("1E-20000"), 10**5000], ids=["big", "tiny", "int"]
)
def test_numbers_beyond_numeric_are_refused_at_write_time(value: Any) -> None:
    with pytest.raises(SerializationError, match=r"numeric|too large"):
        encode_document({"n": value})
