"""The column-wise COPY encoder writes exactly what the per-record encoder writes."""

from __future__ import annotations

from typing import Any

import pytest

from dataknobs_data import Record
from dataknobs_data.backends.postgres.copy_text import copy_chunks, copy_row_text
from dataknobs_data.errors import SerializationError

TRICKY: list[Any] = [
    "plain",
    "",
    'quote " and back\\slash \\u0000 text',
    "tab\tnew\nline\rcr",
    "nul \x00 and \x01",
    "\x1e record separator",
    "ünïcødé ☃ 𝄞",
    0,
    -7,
    2**70,
    2**14_000,
    True,
    False,
    None,
    0.1,
    1.0,
    -3.0,
    -0.0,
    0.0,
    1e-300,
    1.5e300,
    5e-324,
]


def _slow(records: list[Record]) -> str:
    return "".join(map(copy_row_text, records))


@pytest.mark.parametrize(
    "value", TRICKY, ids=[f"{type(v).__name__}-{i}" for i, v in enumerate(TRICKY)]
)
def test_fast_path_matches_per_record_encoding(value: Any) -> None:
    records = [
        Record({"b": i, "a": value, "$k": 1.25 * i, "long key": "x" * i}, id=f"id-{i}")
        for i in range(20)
    ]
    try:
        expected = "".join(_slow(records[s : s + 7]) for s in range(0, 20, 7))
    except SerializationError as exc:
        with pytest.raises(SerializationError, match="too large"):
            "".join(copy_chunks(records, 7))
        assert "too large" in str(exc)
        return
    assert "".join(copy_chunks(records, 7)) == expected


@pytest.mark.parametrize("rid", ["tab\tid", "back\\slash", "new\nline", "ok-id"])
def test_ids_needing_copy_escapes(rid: str) -> None:
    records = [Record({"a": i}, id=f"{rid}{i}") for i in range(10)]
    assert "".join(copy_chunks(records, 100)) == _slow(records)


def test_mixed_layouts_metadata_and_nested_values() -> None:
    records = [Record({"a": i, "b": 0.5}, id=f"a{i}") for i in range(10)]
    records += [Record({"n": {"x": [1, 2.5]}}, id=f"n{i}") for i in range(10)]
    records += [Record({"a": 1}, id=f"m{i}", metadata={"tag": i}) for i in range(3)]
    records += [Record({"z": 1}, id="single")]
    text = "".join(copy_chunks(records, 1000))
    assert sorted(text.splitlines(keepends=True)) == sorted(
        _slow(records).splitlines(keepends=True)
    )
