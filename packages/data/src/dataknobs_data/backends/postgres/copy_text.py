"""Batch inserts as ``COPY ... FROM STDIN`` text, encoded a chunk at a time.

Records of plain scalar values (strings, ints, booleans, None, floats) and no metadata,
which is what bulk loads mostly are, are encoded column-wise with a handful of C-speed
passes per chunk instead of Python work per value:

* all values of the records sharing one key tuple go through one ``json`` C-encoder
  call as a flat list whose item separator is U+001E (never raw in JSON output, so
  splitting on it is exact);
* floats, which must be written as their exact decimal expansion (see :mod:`.storage`),
  are swapped for marker strings first and unquoted afterwards;
* the COPY rows are assembled by interleaving the id column, the constant key prefixes
  and the value columns with one ``str.join``.

Anything else (metadata, nested values, dates, Decimals, bytes, U+0000/U+0001 in a
string, ids needing COPY escapes, -0.0, huge ints) takes the per-record encoder of
:mod:`.storage`, which produces the same stored values.
"""

from __future__ import annotations

import json
import operator
from collections.abc import Iterator
from decimal import Decimal
from itertools import chain, compress, count, repeat
from typing import Any

from dataknobs_data.backends.postgres.storage import (
    encode_data,
    encode_document,
    exact_float_text,
    layout_of,
)
from dataknobs_data.records import Record

__all__ = ["copy_chunks", "copy_row_text"]

_FLAT_TYPES = frozenset({str, int, bool, type(None), float})
_MARK = "\x00"
_NULL = "\\N"
_JSON_MARK = "\\u0000"
# Fewer records than this with one key tuple: the per-record encoder is as fast.
_MIN_GROUP = 8
# Ints of more than 14,000 bits are refused by the per-record encoder; JSON texts of
# this many characters or fewer cannot hold one.
_SHORT_VALUE = 4000
_dumps_flat = json.JSONEncoder(
    ensure_ascii=False, check_circular=False, allow_nan=False, separators=("\x1e", ":")
).encode
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_escape(text: str) -> str:
    return text.translate(_COPY_ESCAPES)


def copy_row_text(record: Record) -> str:
    """One COPY text row ``id, data, metadata, field_order`` for any record.

    Raises:
        SerializationError: A value PostgreSQL cannot hold exactly.
    """
    assert record.id is not None
    data, order = encode_data(record.data)
    meta = encode_document(record.metadata) if record.metadata else "{}"
    tail = _NULL if order is None else order
    return f"{_copy_escape(record.id)}\t{_copy_escape(data)}\t{_copy_escape(meta)}\t{tail}\n"


def _float_texts(floats: list[float]) -> list[str] | None:
    texts = list(map(str, map(Decimal, floats)))
    # Integral floats print without a point: give them ".0"; -0.0 needs its tag.
    for i in compress(count(), map(float.is_integer, floats)):
        if texts[i].startswith("-0"):
            return None
        texts[i] = exact_float_text(floats[i])
    return texts


def _group_text(ids: list[str], datas: list[dict[str, Any]], keys: tuple[str, ...]) -> str | None:
    """COPY text of records with one key tuple, or None when the fast path does not apply."""
    width = len(keys)
    joined_ids = "".join(ids)
    if width == 0 or any(c in joined_ids for c in "\\\t\n\r\x00"):
        return None
    flat: list[Any] = list(chain.from_iterable(map(dict.values, datas)))
    if not _FLAT_TYPES.issuperset(map(type, flat)):
        return None
    where = list(compress(count(), map(operator.is_, map(type, flat), repeat(float))))
    if where:
        texts = _float_texts([flat[i] for i in where])
        if texts is None:
            return None
        for i, text in zip(where, texts, strict=True):
            flat[i] = _MARK + text + _MARK
    try:
        body = _dumps_flat(flat)
    except ValueError:  # an int too large to print
        return None
    if body.count(_JSON_MARK) != 2 * len(where) or "\\u0001" in body:
        return None  # a string holds U+0000 or U+0001 (or a backslash-u text): tagged
    if where:
        body = body.replace('"' + _JSON_MARK, "").replace(_JSON_MARK + '"', "")
    if "\\" in body:
        body = body.replace("\\", "\\\\")
    values = body[1:-1].split("\x1e")
    if max(map(len, values)) > _SHORT_VALUE and any(
        type(v) is int and v.bit_length() > 14_000 for v in flat
    ):
        return None
    layout = layout_of(keys)
    prefixes = [_copy_escape(p) for p in layout.prefixes]
    order = _NULL if layout.order_literal is None else layout.order_literal
    columns: list[Any] = [ids]
    for j, prefix in enumerate(prefixes):
        columns.append(repeat(("\t{" if j == 0 else ",") + prefix))
        columns.append(values[j::width])
    columns.append(repeat("}\t{}\t" + order + "\n"))
    return "".join(chain.from_iterable(zip(*columns, strict=False)))  # repeat() columns are endless


def _chunk_text(records: list[Record]) -> str:
    groups: dict[tuple[str, ...], tuple[list[str], list[dict[str, Any]]]] = {}
    slow: list[Record] = []
    for r in records:
        if r.metadata:
            slow.append(r)
            continue
        data = r.data
        group = groups.get(keys := tuple(data))
        if group is None:
            group = groups[keys] = ([], [])
        group[0].append(r.id)  # type: ignore[arg-type]
        group[1].append(data)
    parts: list[str] = []
    for keys, (ids, datas) in groups.items():
        text = _group_text(ids, datas, keys) if len(ids) >= _MIN_GROUP else None
        if text is None:
            parts.extend(
                copy_row_text(Record._trusted(d, i, {})) for i, d in zip(ids, datas, strict=True)
            )
        else:
            parts.append(text)
    parts.extend(map(copy_row_text, slow))
    return "".join(parts)


def copy_chunks(records: list[Record], chunk: int) -> Iterator[str]:
    """COPY text (columns ``id, data, metadata, field_order``) of ``chunk`` records at a time.

    Raises:
        SerializationError: A value PostgreSQL cannot hold exactly.
    """
    for start in range(0, len(records), chunk):
        yield _chunk_text(records[start : start + chunk])
