"""How records are laid out in PostgreSQL: one row per record, values as tagged jsonb.

The table is ``(id text COLLATE "C" PRIMARY KEY, data jsonb, metadata jsonb, field_order
text)``. Values
use the tags of :mod:`dataknobs_data.codec` (``$decimal``, ``$date``, ``$datetime``,
``$bytes``) with three changes that make jsonb hold every value exactly and keep SQL
comparisons exact:

* floats are written as their exact decimal expansion with a decimal point
  (``0.1`` -> ``0.1000000000000000055511151231257827021181583404541015625``), so the
  jsonb numeric *is* the float's value and reads back bit-exact; ``-0.0`` (which numeric
  cannot hold) is ``{"$float": "-0.0"}``;
* strings containing U+0000 or U+0001 (jsonb rejects U+0000) are ``{"$str": escaped}``
  where U+0000 -> U+0001 U+0001 and U+0001 -> U+0001 U+0002; this escape keeps code-point
  order, so plain and escaped strings compare correctly as one text domain;
* dict keys get the same escape, and keys starting with ``$`` get one more ``$``, so an
  object holding a ``$tag`` key is always a tag; datetimes always carry microseconds,
  so the first 26 characters are the UTC instant in a fixed-width, sortable form.

Dicts keep their key order when jsonb's own key order (shorter keys first) differs from
the insertion order: a record's top level through the ``field_order`` column (a
permutation such as ``"2,0,1"``, so flat records decode without a walk), nested dicts
and metadata through an inline ``"$order"`` key list. Floats and strings with both forms
in one field still compare as one kind, because SQL reads them through the key functions
of :mod:`.schema`.
"""

from __future__ import annotations

import base64
import datetime as dt
import json
import math
from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache
from typing import Any

from dataknobs_data.errors import SerializationError

__all__ = [
    "NUMERIC_MAX_FRACTION_DIGITS",
    "NUMERIC_MAX_INTEGER_DIGITS",
    "Layout",
    "decode_document",
    "encode_data",
    "encode_document",
    "encode_scalar",
    "escape_key",
    "escape_text",
    "exact_float_text",
    "layout_of",
    "numeric_fits",
    "restore_order",
    "unescape_text",
]

NUMERIC_MAX_INTEGER_DIGITS = 131_072
NUMERIC_MAX_FRACTION_DIGITS = 16_383

_MAX_INT_BITS = 14_000
_ORDER = "$order"
_TEXT_ESCAPE = str.maketrans({"\x00": "\x01\x01", "\x01": "\x01\x02"})
_encode_str: Callable[[str], str] = json.encoder.encode_basestring


def escape_text(text: str) -> str:
    """Map a string into the NUL-free text domain (order- and prefix-preserving)."""
    if "\x00" in text or "\x01" in text:
        return text.translate(_TEXT_ESCAPE)
    return text


def unescape_text(text: str) -> str:
    """Inverse of :func:`escape_text`."""
    if "\x01" not in text:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        ch = text[i]
        if ch == "\x01":
            out.append("\x00" if text[i + 1 : i + 2] == "\x01" else "\x01")
            i += 2
        else:
            out.append(ch)
            i += 1
    return "".join(out)


def escape_key(key: str) -> str:
    """The jsonb key a dict key is stored under."""
    key = escape_text(key)
    return "$" + key if key.startswith("$") else key


def _unescape_key(key: str) -> str:
    return unescape_text(key[1:] if key.startswith("$$") else key)


def numeric_fits(value: int | float | Decimal) -> bool:
    """Whether PostgreSQL's numeric type holds this number exactly."""
    if type(value) is int:
        # Python itself refuses to print ints of more than ~4300 digits (int_max_str_digits).
        return value.bit_length() <= _MAX_INT_BITS
    dec = value if isinstance(value, Decimal) else Decimal(value)
    if not dec:
        return True
    _, digits, exponent = dec.as_tuple()
    assert isinstance(exponent, int)
    return -exponent <= NUMERIC_MAX_FRACTION_DIGITS and len(digits) + exponent <= (
        NUMERIC_MAX_INTEGER_DIGITS
    )


def exact_float_text(value: float) -> str:
    """The exact decimal expansion of a finite float, with a point or an exponent.

    Only integral floats print without either; they get ``.0`` so that they read back
    as floats (numeric keeps the scale it was given).
    """
    text = str(Decimal(value))
    return text if "." in text or "E" in text else text + ".0"


def _jsonb_order(key: str) -> tuple[int, bytes]:
    raw = key.encode()
    return (len(raw), raw)


def _encode(value: Any, path: str) -> str:
    tp = type(value)
    if tp is str:
        if "\x00" in value or "\x01" in value:
            return '{"$str":' + _encode_str(value.translate(_TEXT_ESCAPE)) + "}"
        return _encode_str(value)
    if tp is int:
        if value.bit_length() > _MAX_INT_BITS:
            raise SerializationError(
                f"field {path!r}: integer of {value.bit_length()} bits is too large to store "
                f"(at most {_MAX_INT_BITS} bits); store it as a string"
            )
        return int.__repr__(value)
    if tp is bool or value is None:
        return "true" if value is True else "false" if value is False else "null"
    if tp is float:
        if value == 0.0 and math.copysign(1.0, value) < 0:
            return '{"$float":"-0.0"}'
        return exact_float_text(value)
    if tp is dict:
        return _encode_dict(value, path)
    if tp is list:
        return "[" + ",".join([_encode(v, path) for v in value]) + "]"
    if tp is dt.datetime:
        return '{"$datetime":"' + str(value.isoformat(timespec="microseconds")) + '"}'
    if tp is dt.date:
        return '{"$date":"' + str(value.isoformat()) + '"}'
    if tp is Decimal:
        if not numeric_fits(value):
            raise SerializationError(
                f"field {path!r}: Decimal {value} is outside PostgreSQL numeric's range "
                f"({NUMERIC_MAX_INTEGER_DIGITS} integer digits, "
                f"{NUMERIC_MAX_FRACTION_DIGITS} fraction digits); store it as a string"
            )
        return '{"$decimal":"' + str(value) + '"}'
    if tp is bytes:
        return '{"$bytes":"' + base64.b64encode(value).decode("ascii") + '"}'
    raise SerializationError(f"field {path!r}: cannot store {tp.__name__} value")


class Layout:
    """How a dict with one particular tuple of keys is written (cached per key tuple).

    Attributes:
        prefixes: The JSON text ``"key":`` of each key, in insertion order.
        order: The stored keys when jsonb's key order differs from theirs, else None.
        order_json: The inline ``"$order"`` member for nested dicts ("" when not needed).
        order_literal: The ``field_order`` column value of a record with these keys.
    """

    __slots__ = ("order", "order_json", "order_literal", "prefixes")

    def __init__(self, keys: tuple[str, ...]) -> None:
        stored = [escape_key(k) for k in keys]
        self.prefixes = [_encode_str(k) + ":" for k in stored]
        needs_order = len(stored) > 1 and stored != sorted(stored, key=_jsonb_order)
        self.order = stored if needs_order else None
        self.order_json = (
            f'"{_ORDER}":[' + ",".join(_encode_str(k) for k in stored) + "]" if needs_order else ""
        )
        # For the field_order column: position i holds the jsonb-order index of key i.
        by_jsonb = sorted(stored, key=_jsonb_order)
        self.order_literal = (
            ",".join(str(by_jsonb.index(k)) for k in stored) if needs_order else None
        )


_layouts: dict[tuple[str, ...], Layout] = {}


def layout_of(keys: tuple[str, ...]) -> Layout:
    """The (cached) layout of a dict with these keys, in this order."""
    layout = _layouts.get(keys)
    if layout is None:
        if len(_layouts) > 4096:
            _layouts.clear()
        layout = _layouts[keys] = Layout(keys)
    return layout


def _encode_body(value: dict[str, Any], layout: Layout, path: str) -> list[str]:
    if path:
        return [
            prefix + _encode(item, f"{path}.{key}")
            for prefix, (key, item) in zip(layout.prefixes, value.items(), strict=True)
        ]
    return [
        prefix + _encode(item, key)
        for prefix, (key, item) in zip(layout.prefixes, value.items(), strict=True)
    ]


def _encode_dict(value: dict[str, Any], path: str) -> str:
    layout = layout_of(tuple(value))
    parts = _encode_body(value, layout, path)
    if layout.order is not None:
        parts.append(layout.order_json)
    return "{" + ",".join(parts) + "}"


def encode_document(data: dict[str, Any]) -> str:
    """JSON text of a dict (metadata) for a jsonb column, key order kept inside it.

    Raises:
        SerializationError: A value PostgreSQL cannot hold exactly.
    """
    return _encode_dict(data, "")


def encode_scalar(value: Any) -> str:
    """The stored JSON of one value (one text per string, boolean, date or bytes value)."""
    return _encode(value, "value")


def encode_data(data: dict[str, Any]) -> tuple[str, str | None]:
    """JSON text of a record's data, and its top-level key order as a permutation.

    The permutation (``"2,0,1"``: the first key is the third in jsonb's key order, ...;
    None when jsonb's own order is the insertion order) goes to its own column, so reading
    a flat record needs no walk.

    Raises:
        SerializationError: A value PostgreSQL cannot hold exactly.
    """
    layout = layout_of(tuple(data))
    return "{" + ",".join(_encode_body(data, layout, "")) + "}", layout.order_literal


_SCALAR_TAGS = frozenset({"$decimal", "$date", "$datetime", "$bytes", "$float", "$str"})


def _decode(value: Any) -> Any:
    tp = type(value)
    if tp is dict:
        if len(value) == 1:
            tag = next(iter(value))
            if tag in _SCALAR_TAGS:
                return _decode_tag(tag, value[tag])
        return _decode_dict(value)
    if tp is list:
        return [_decode(v) for v in value]
    return value


def _decode_dict(value: dict[str, Any]) -> dict[str, Any]:
    order = value.get(_ORDER)
    keys = order if order is not None else [k for k in value if k != _ORDER]
    return {_unescape_key(k): _decode(value[k]) for k in keys}


def _decode_tag(tag: str, payload: Any) -> Any:
    try:
        if tag == "$str":
            return unescape_text(payload)
        if tag == "$datetime":
            parsed = dt.datetime.fromisoformat(payload)
            return parsed if parsed.tzinfo is None else parsed.astimezone(dt.UTC)
        if tag == "$date":
            return dt.date.fromisoformat(payload)
        if tag == "$decimal":
            return Decimal(payload)
        if tag == "$float":
            return float(payload)
        return base64.b64decode(payload, validate=True)
    except (ValueError, TypeError, AttributeError) as exc:
        raise SerializationError(f"malformed {tag} value {payload!r} in the table: {exc}") from None


_raw_decode = json.JSONDecoder().raw_decode


def decode_document(raw: bytes | bytearray | memoryview) -> dict[str, Any]:
    """Decode the jsonb text (UTF-8, as the server sends it) of a data or metadata column."""
    if raw == b"{}":
        return {}
    text = str(raw, "utf-8")
    doc: dict[str, Any] = _raw_decode(text)[0]  # jsonb output has no surrounding blanks
    # Tags, escaped keys and "$order" all start with '"$'; escaped keys contain U+0001.
    if '"$' in text or "\\u0001" in text:
        return _decode_dict(doc)
    return doc


@lru_cache(maxsize=4096)
def _permutation(order: str) -> tuple[int, ...]:
    return tuple(int(i) for i in order.split(","))


def restore_order(data: dict[str, Any], order: str | None) -> dict[str, Any]:
    """Put a decoded record's keys (in jsonb's order) back in their insertion order."""
    if order is None:
        return data
    keys = list(data)
    return {keys[i]: data[keys[i]] for i in _permutation(order)}
