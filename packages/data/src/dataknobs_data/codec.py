"""Tagged JSON: the one encoding of the value model into JSON-compatible data.

JSON holds None, bool, int, float and str natively (Python's ``json`` writes
floats in shortest round-trip form, so they come back bit-exact, ``-0.0``
included). The other types become single-key tag objects:

==============  ==========================================
Python          JSON
==============  ==========================================
Decimal         ``{"$decimal": "1.10"}``
date            ``{"$date": "2024-05-01"}``
datetime        ``{"$datetime": "2024-05-01T12:00:00+00:00"}`` (naive: no offset)
bytes           ``{"$bytes": "<base64>"}``
a dict that     ``{"$dict": {...}}`` (escapes user dicts that look like a tag)
looks like one
==============  ==========================================

File, SQLite and S3 backends store records with it; Query.to_dict uses it for
filter values.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
from decimal import Decimal
from typing import Any

from dataknobs_data.errors import SerializationError

__all__ = [
    "TAGS",
    "decode_json_data",
    "decode_json_value",
    "dumps",
    "encode_json_data",
    "encode_json_value",
    "loads",
    "parse_json",
]

TAGS = frozenset({"$decimal", "$date", "$datetime", "$bytes", "$dict"})
_PLAIN = frozenset({type(None), bool, int, float, str})


def encode_json_value(value: Any) -> Any:
    """Encode a value of the model as JSON-compatible data.

    Example:
        >>> from decimal import Decimal
        >>> encode_json_value({"price": Decimal("9.90"), "n": 1})
        {'price': {'$decimal': '9.90'}, 'n': 1}
    """
    tp = type(value)
    if tp in _PLAIN:
        return value
    if tp is dict:
        out = {k: encode_json_value(v) for k, v in value.items()}
        if len(out) == 1 and next(iter(out)).startswith("$"):
            return {"$dict": out}
        return out
    if tp is list:
        return [encode_json_value(v) for v in value]
    if tp is dt.datetime:
        return {"$datetime": value.isoformat()}
    if tp is dt.date:
        return {"$date": value.isoformat()}
    if tp is Decimal:
        return {"$decimal": str(value)}
    if tp is bytes:
        return {"$bytes": base64.b64encode(value).decode("ascii")}
    if tp is tuple:
        return [encode_json_value(v) for v in value]
    raise SerializationError(f"cannot encode {tp.__name__} value {value!r} as JSON")


def encode_json_data(data: dict[str, Any]) -> dict[str, Any]:
    """:func:`encode_json_value` of a record's data, for writing out at once.

    Flat data of JSON-native values (the common case) is returned as it is, not
    copied: the caller must only serialise the result, never keep or change it.

    Example:
        >>> row = {"n": 1, "s": "x"}
        >>> encode_json_data(row) is row
        True
    """
    for value in data.values():
        if type(value) not in _PLAIN:
            break
    else:
        if len(data) != 1 or not next(iter(data)).startswith("$"):
            return data
    encoded: dict[str, Any] = encode_json_value(data)
    return encoded


def decode_json_value(value: Any) -> Any:
    """Inverse of :func:`encode_json_value`.

    Raises:
        SerializationError: A tag object holds malformed text.
    """
    tp = type(value)
    if tp is dict:
        if len(value) == 1:
            key = next(iter(value))
            if key in TAGS:
                return _decode_tag(key, value[key])
        return {k: decode_json_value(v) for k, v in value.items()}
    if tp is list:
        return [decode_json_value(v) for v in value]
    return value


def _decode_tag(tag: str, payload: Any) -> Any:
    try:
        if tag == "$dict":
            return {k: decode_json_value(v) for k, v in payload.items()}
        if tag == "$datetime":
            parsed = dt.datetime.fromisoformat(payload)
            return parsed if parsed.tzinfo is None else parsed.astimezone(dt.UTC)
        if tag == "$date":
            return dt.date.fromisoformat(payload)
        if tag == "$decimal":
            return Decimal(payload)
        return base64.b64decode(payload, validate=True)
    except (ValueError, TypeError, AttributeError) as exc:
        raise SerializationError(f"malformed {tag} value {payload!r}: {exc}") from None


def dumps(value: Any) -> str:
    """Encode a value as compact JSON text with tagged non-JSON types."""
    return json.dumps(encode_json_value(value), ensure_ascii=False, separators=(",", ":"))


def decode_json_data(data: dict[str, Any]) -> dict[str, Any]:
    """:func:`decode_json_value` of a record's data that was just parsed.

    Flat data without tags (the common case) is returned as it is, not copied:
    pass only data nobody else holds.

    Example:
        >>> decode_json_data({"n": 1}), decode_json_data({"d": {"$date": "2024-05-01"}})
        ({'n': 1}, {'d': datetime.date(2024, 5, 1)})
    """
    for value in data.values():
        tp = type(value)
        if tp is dict or tp is list:
            break
    else:
        if len(data) != 1 or next(iter(data)) not in TAGS:
            return data
    decoded: dict[str, Any] = decode_json_value(data)
    return decoded


_raw_decode = json.JSONDecoder().raw_decode
_JSON_BLANKS = " \t\n\r"  # the only whitespace JSON allows around a value


def parse_json(text: str | bytes) -> Any:
    r"""``json.loads``, quicker on the compact UTF-8 text this library writes.

    Such text is decoded directly: ``json.loads`` would first sniff the encoding
    of bytes and match whitespace before and after the value, which costs a
    third of decoding a small record. Anything else (leading blanks, a BOM,
    other encodings, invalid JSON) goes to ``json.loads``, which accepts what it
    always did and raises its own errors.

    Example:
        >>> parse_json(b'{"n": 1}\n'), parse_json("  [1] ")
        ({'n': 1}, [1])
    """
    try:
        decoded = text.decode() if isinstance(text, bytes) else text
        value, end = _raw_decode(decoded)
    except ValueError:
        return json.loads(text)
    if end != len(decoded) and decoded[end:].strip(_JSON_BLANKS):
        return json.loads(text)
    return value


def loads(text: str | bytes) -> Any:
    """Decode JSON text written by :func:`dumps`."""
    try:
        return decode_json_value(parse_json(text))
    except json.JSONDecodeError as exc:
        raise SerializationError(f"invalid JSON: {exc}") from None
