"""How records are laid out in SQLite: one row per record, data as tagged JSON.

Table layout (``id TEXT PRIMARY KEY, data TEXT, metadata TEXT``): ``data`` is a
JSON object whose members are the record's fields, each value encoded with
:mod:`dataknobs_data.codec` (so the top level is always a plain object that
``json_extract(data, '$."field"')`` can reach); ``metadata`` is the codec's JSON
of the metadata dict, or NULL when empty.

Both directions have a fast path that lets the C JSON module do all the work
and falls back to the codec's per-value walk only where it must.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import json.encoder
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from dataknobs_data import codec
from dataknobs_data.errors import SerializationError
from dataknobs_data.records import Record

__all__ = ["Row", "decode_data", "encode_rows", "quote_identifier", "record_from_row"]

Row = tuple[str, str, str | None]

_TAG_OPEN = '{"$'


def quote_identifier(name: str) -> str:
    """Quote an SQL identifier (table or index name) so any text is safe in it."""
    return '"' + name.replace('"', '""') + '"'


class _Tagger:
    """``default`` hook of the fast encoder: tags the non-JSON types, counting them."""

    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, value: Any) -> Any:
        tp = type(value)
        self.count += 1
        if tp is dt.datetime:
            return {"$datetime": value.isoformat()}
        if tp is dt.date:
            return {"$date": value.isoformat()}
        if tp is Decimal:
            return {"$decimal": str(value)}
        if tp is bytes:
            return {"$bytes": base64.b64encode(value).decode("ascii")}
        raise TypeError(f"cannot encode {tp.__name__} value {value!r} as JSON")


def _slow_data(data: dict[str, Any]) -> str:
    encoded = {name: codec.encode_json_value(value) for name, value in data.items()}
    return json.dumps(encoded, ensure_ascii=False, separators=(",", ":"))


def _encoder(default: Callable[[Any], Any]) -> Callable[[Any], str]:
    """Compact JSON text of a value, calling ``default`` for non-JSON types.

    Uses the C encoder directly when the interpreter has it (what
    ``json.dumps`` does underneath, minus two Python-level calls per value).
    """
    make = getattr(json.encoder, "c_make_encoder", None)
    quote = getattr(json.encoder, "c_encode_basestring", None)
    if make is not None and quote is not None:
        try:
            encode = make(None, default, quote, None, ":", ",", False, False, True)
            if encode({"a": [1.5, None]}, 0) == ['{"a":[1.5,null]}']:
                join = "".join
                return lambda value: join(encode(value, 0))
        except TypeError:  # pragma: no cover - another interpreter's signature
            pass
    return json.JSONEncoder(  # pragma: no cover
        ensure_ascii=False, separators=(",", ":"), default=default, check_circular=False
    ).encode


def encode_rows(records: Sequence[Record]) -> list[Row]:
    """Encode records (already validated, with ids) as ``(id, data, metadata)`` rows.

    The fast path is one C JSON encoding per record with a ``default`` hook
    for tagged types. It is exact unless some user dict needs the codec's
    ``$dict`` escape; that shows as more ``{"$`` openings in the text than
    tags were made (a ``{"$`` can only open an object: inside strings the
    quote is escaped), and then each record is checked and, where needed,
    encoded again by the codec.

    Raises:
        SerializationError: A value cannot be written as JSON (e.g. an integer
            with more digits than Python will convert).
    """
    tagger = _Tagger()
    dumps = _encoder(tagger)
    meta_dumps = codec.dumps
    try:
        rows: list[Row] = [
            (
                record.id,
                dumps(record.data),
                meta_dumps(record.metadata) if record.metadata else None,
            )  # type: ignore[misc]
            for record in records
        ]
        if sum(row[1].count(_TAG_OPEN, 1) for row in rows) != tagger.count:
            rows = [
                (rid, _exact(dumps, tagger, record.data), meta)
                for (rid, _, meta), record in zip(rows, records, strict=True)
            ]
    except (TypeError, ValueError) as exc:
        raise SerializationError(f"record cannot be stored in SQLite: {exc}") from None
    return rows


def _exact(dumps: Callable[[Any], str], tagger: _Tagger, data: dict[str, Any]) -> str:
    before = tagger.count
    text = dumps(data)
    return text if text.count(_TAG_OPEN, 1) == tagger.count - before else _slow_data(data)


def _hook(obj: dict[str, Any]) -> Any:
    if len(obj) == 1:
        for key in obj:
            if key in codec.TAGS:
                return codec.decode_json_value(obj)
    return obj


def decode_data(text: str) -> dict[str, Any]:
    """Decode a ``data`` column back into the record's data dict.

    The fast path decodes tags in ``json.loads``'s object hook; it is skipped
    when the top-level object starts with a ``$`` field (which is never a tag)
    or when a ``$dict`` escape is present (whose payload must not be read as tags).
    """
    try:
        if text.find(_TAG_OPEN, 1) < 0:  # no tag anywhere: plain JSON
            plain: dict[str, Any] = codec.parse_json(text)
            return plain
        if text.startswith(_TAG_OPEN) or '"$dict"' in text:
            raw = codec.parse_json(text)
            return {name: codec.decode_json_value(value) for name, value in raw.items()}
        decoded: dict[str, Any] = json.loads(text, object_hook=_hook)
        return decoded
    except json.JSONDecodeError as exc:
        raise SerializationError(f"stored record data is not valid JSON: {exc}") from None


def record_from_row(row: tuple[str, str, str | None]) -> Record:
    """Build a record from a ``(id, data, metadata)`` row."""
    rid, text, meta = row
    metadata = codec.loads(meta) if meta else {}
    return Record._trusted(decode_data(text), rid, metadata)
