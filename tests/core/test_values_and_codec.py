"""The shared value modules: keys preserve order and equality; the codec round-trips."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from dataknobs_data.codec import (
    decode_json_value,
    dumps,
    encode_json_value,
    loads,
    parse_json,
)
from dataknobs_data.values import equality_key, number_key, sort_key, values_equal

numbers = st.one_of(
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.decimals(allow_nan=False, allow_infinity=False),
)


@given(numbers, numbers)
def test_number_key_order_is_numeric_order(a: Any, b: Any) -> None:
    assert (number_key(a) < number_key(b)) == (a < b)
    assert (number_key(a) == number_key(b)) == (a == b)


scalars = st.one_of(
    st.none(),
    st.booleans(),
    numbers,
    st.text(max_size=5),
    st.binary(max_size=3),
    st.dates(),
    st.datetimes(),
)
values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=3), inner, max_size=3)
    ),
    max_leaves=6,
)


@given(values, values)
def test_equality_key_agrees_with_values_equal(a: Any, b: Any) -> None:
    assert (equality_key(a) == equality_key(b)) == values_equal(a, b)


@given(st.text(), st.text())
def test_string_sort_keys_follow_code_points(a: str, b: str) -> None:
    assert (sort_key(a) < sort_key(b)) == (a < b)


@given(
    st.datetimes(timezones=st.sampled_from([dt.UTC, dt.timezone(dt.timedelta(hours=9))])),
    st.datetimes(),
)
def test_datetime_sort_keys_follow_instants(a: dt.datetime, b: dt.datetime) -> None:
    a_utc = a.astimezone(dt.UTC).replace(tzinfo=None)
    assert (sort_key(a) < sort_key(b)) == (a_utc < b)


@given(values)
def test_codec_round_trips(value: Any) -> None:
    assert values_equal(decode_json_value(encode_json_value(value)), value)
    assert loads(dumps(value)) == value


def test_codec_escapes_dicts_that_look_like_tags() -> None:
    tricky = {"$date": "not a date"}
    assert loads(dumps(tricky)) == tricky
    assert encode_json_value(Decimal("1.10")) == {"$decimal": "1.10"}


@pytest.mark.parametrize(
    "text",
    [
        '{"a": [1, 2.5, "x", null, true]}',
        b'{"a": "\xc3\xa9"}\n',
        '  {"a": 1}  ',
        b'\xef\xbb\xbf{"a": 1}',
        '{"a": 1}\r\n',
        "[]",
        '"just a string"',
        "1e400",
        "NaN",
    ],
)
def test_parse_json_reads_what_json_loads_reads(text: str | bytes) -> None:
    expected = json.loads(text)
    got = parse_json(text)
    assert repr(got) == repr(expected) and type(got) is type(expected)


@pytest.mark.parametrize(
    "text",
    ['{"a": 1} x', '{"a": 1}{"b": 2}', '{"a": ', "", "{}\x0c", b"\xff{}", b'{"a": "\xff"}'],
)
def test_parse_json_refuses_what_json_loads_refuses(text: str | bytes) -> None:
    with pytest.raises(ValueError) as expected:
        json.loads(text)
    with pytest.raises(ValueError) as got:
        parse_json(text)
    assert str(got.value) == str(expected.value)
