r"""Object bodies: one record as tagged JSON (``dataknobs_data.codec``).

A body is ``{"id": ..., "data": {...}, "metadata": {...}}`` with the values of
the API.md value model encoded by :func:`~dataknobs_data.codec.encode_json_value`,
so every value comes back with its exact type. Bodies are UTF-8; text that
cannot be UTF-8 (lone surrogates) is written with JSON ``\u`` escapes instead.
"""

from __future__ import annotations

import json
from typing import Any

from dataknobs_data.codec import (
    decode_json_data,
    decode_json_value,
    encode_json_data,
    encode_json_value,
    parse_json,
)
from dataknobs_data.errors import SerializationError
from dataknobs_data.records import Record

__all__ = ["CONTENT_TYPE", "decode_record", "encode_record"]

CONTENT_TYPE = "application/json"


def encode_record(record: Record) -> bytes:
    """The body of ``record`` (which has an id and passed the value model check).

    Example:
        >>> from decimal import Decimal
        >>> encode_record(Record({"p": Decimal("1.5")}, id="a"))
        b'{"id":"a","data":{"p":{"$decimal":"1.5"}},"metadata":{}}'
    """
    document = {
        "id": record.id,
        "data": encode_json_data(record.data),
        "metadata": encode_json_value(record.metadata) if record.metadata else {},
    }
    try:
        return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    except UnicodeEncodeError:
        return json.dumps(document, ensure_ascii=True, separators=(",", ":")).encode("ascii")


def decode_record(body: bytes, key: str) -> Record:
    """The record stored in ``body`` at ``key``.

    Raises:
        SerializationError: The object is not a record body (names the key).
    """
    try:
        document: Any = parse_json(body)
    except (ValueError, UnicodeDecodeError) as exc:
        raise SerializationError(
            f"object {key!r} is not a dataknobs record (invalid JSON: {exc}); "
            "the prefix must hold only records written by the s3 backend"
        ) from None
    if (
        type(document) is not dict
        or type(document.get("id")) is not str
        or type(document.get("data")) is not dict
        or type(document.get("metadata", {})) is not dict
    ):
        raise SerializationError(
            f"object {key!r} is not a dataknobs record (expected id, data and metadata); "
            "the prefix must hold only records written by the s3 backend"
        )
    data = decode_json_data(document["data"])
    metadata = document.get("metadata")
    return Record._trusted(data, document["id"], decode_json_value(metadata) if metadata else {})
