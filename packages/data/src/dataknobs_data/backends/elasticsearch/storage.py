"""How records are laid out in an Elasticsearch index.

One document per record (``_id`` derived from the record id, see :func:`doc_id`)::

    {"id": "<record id>",
     "src": "<tagged JSON of the data>",        # exact round trip, not indexed
     "meta": "<tagged JSON of the metadata>",   # only when there is metadata
     "lossy": ["<path>", ...],                  # paths whose keys were truncated
     "f": {"<path>": {"s": ..., "e": ..., "l": ..., "c": [...]}}}

``src`` is a string, so Elasticsearch never reinterprets a number (big ints,
``-0.0``, Decimals) and never re-serialises a value. ``f`` holds, for every
dotted field path reachable by the query language (dicts are descended,
lists are not), keys that are compared as plain keyword terms:

* ``s``: :func:`~dataknobs_data.values.keys.sort_key` — order-preserving
  across kinds (exact for numbers, code point order for strings, since a
  keyword sorts by its UTF-8 bytes). Ranges, sorting, LIKE/REGEX/prefix
  (strings are ``"3" + value``) and equality of scalars use it.
* ``e``: :func:`token` when it is a hash (containers, very long scalars).
* ``l``: ``value.lower()`` of strings, for ILIKE.
* ``c``: the tokens of a list's non-null elements, for CONTAINS.

``f`` is left out of the stored ``_source``: it is only indexed. A keyword
term holds at most 32766 bytes; a longer key (long strings, bytes, lists,
dicts) is truncated and its path is listed in ``lossy``, which makes the query
layer fall back to evaluating in Python for the queries it could answer
wrongly (see ``dsl``). Numbers never are: one with more than about 30,000
significant digits is refused at write time.
"""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from functools import lru_cache
from typing import Any

from dataknobs_data.codec import decode_json_value, encode_json_value, parse_json
from dataknobs_data.errors import SerializationError
from dataknobs_data.records import Record
from dataknobs_data.values.keys import KIND_PREFIX, equality_key, sort_key
from dataknobs_data.values.model import Kind

__all__ = [
    "ID_FIELD",
    "LOSSY_FIELD",
    "MAPPING_MARKER",
    "decode_source",
    "doc_id",
    "document",
    "encode_document",
    "field_name",
    "index_body",
    "token",
]

ID_FIELD = "id"
SOURCE_FIELD = "src"
META_FIELD = "meta"
LOSSY_FIELD = "lossy"
PATHS_FIELD = "f"
MAPPING_MARKER = "dataknobs-records-1"
"""Written to the mapping's ``_meta``; an index without it was not made by this backend."""

MAX_KEY_BYTES = 32000
"""Keys up to this many UTF-8 bytes are stored whole (Lucene's term limit is 32766)."""
_SAFE_CHARS = 8000  # a key of at most this many characters is within MAX_KEY_BYTES
MAX_ID_BYTES = 512
_HASHED_ID_PREFIX = "~h:"
_SAFE_NAME = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
_CONTAINERS = (list, dict)
_NUMBERS = (int, float, Decimal)


@lru_cache(maxsize=4096)
def field_name(path: str) -> str:
    """The dot-free name of a field path inside ``f`` (``address.city`` -> ``address-2e-city``).

    Every character outside ``[A-Za-z0-9_]`` becomes ``-<hex>-``, so the name
    is injective, never empty and never creates Elasticsearch sub-objects.
    """
    return "".join(c if c in _SAFE_NAME else f"-{ord(c):x}-" for c in path)


def key_field(path: str, key: str) -> str:
    """The full name of one key of a path: ``f.<name>.<key>``."""
    return f"{PATHS_FIELD}.{field_name(path)}.{key}"


def doc_id(record_id: str) -> str:
    """The ``_id`` of a record: the id itself, or a hash when it is too long for ``_id``."""
    if record_id.startswith(_HASHED_ID_PREFIX) or len(record_id.encode("utf-8")) > MAX_ID_BYTES:
        return _HASHED_ID_PREFIX + hashlib.sha256(record_id.encode("utf-8")).hexdigest()
    return record_id


def _fits(key: str) -> bool:
    return len(key) <= _SAFE_CHARS or len(key.encode("utf-8", "surrogatepass")) <= MAX_KEY_BYTES


def _truncate(key: str) -> str:
    # Longer than any whole key (> MAX_KEY_BYTES), so it never equals one.
    return key.encode("utf-8", "surrogatepass")[: MAX_KEY_BYTES + 4].decode("utf-8", "ignore")


def _hash(text: str) -> str:
    return "#" + hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()


def token(value: Any) -> str:
    """An exact equality term for a non-null value.

    The sort key for a scalar whose key fits in a term, otherwise ``#`` and
    the SHA-256 of its equality key (sort keys never start with ``#``).
    """
    if isinstance(value, _CONTAINERS):
        return _hash(equality_key(value))
    key = sort_key(value)
    return key if _fits(key) else _hash(key)


# Ints and booleans repeat a lot (ages, flags); typed, so True and 1 stay apart.
_cached_sort_key = lru_cache(maxsize=65_536, typed=True)(sort_key)
_STRING_PREFIX = KIND_PREFIX[Kind.STRING]


def _key_of(value: Any, tp: type) -> str:
    if tp is str:
        return _STRING_PREFIX + str(value)  # what sort_key returns for a string
    if tp is int or tp is bool:
        return _cached_sort_key(value)
    return sort_key(value)


def _index_value(path: str, value: Any, out: dict[str, Any], lossy: list[str]) -> None:
    keys: dict[str, Any] = {}
    tp = type(value)
    key = _key_of(value, tp)
    if len(key) <= _SAFE_CHARS or _fits(key):
        if tp in _CONTAINERS:
            keys["e"] = _hash(equality_key(value))
    else:
        if tp in _NUMBERS:
            raise SerializationError(
                f"field {path!r}: a number with {len(key)} digits is beyond what the "
                "Elasticsearch backend can index exactly (about 30,000 significant digits); "
                "store it as a string"
            )
        keys["e"] = _hash(key) if tp not in _CONTAINERS else _hash(equality_key(value))
        key = _truncate(key)
        lossy.append(path)
    keys["s"] = key
    if tp is str:
        lower = value.lower()
        if len(lower) > _SAFE_CHARS and not _fits(lower):
            lower = _truncate(lower)
            if not lossy or lossy[-1] != path:
                lossy.append(path)
        keys["l"] = lower
    elif tp is list:
        elements = sorted({token(item) for item in value if item is not None})
        if elements:
            keys["c"] = elements
    out[field_name(path)] = keys
    if tp is dict:
        for name, item in value.items():
            if item is not None and "." not in name:
                _index_value(f"{path}.{name}", item, out, lossy)


def document(record: Record) -> dict[str, Any]:
    """The Elasticsearch document of a validated record (see the module docstring)."""
    assert record.id is not None
    paths: dict[str, Any] = {}
    lossy: list[str] = []
    for name, value in record.data.items():
        # A top-level name with a dot is not reachable by a dotted query path.
        if value is not None and "." not in name:
            _index_value(name, value, paths, lossy)
    doc: dict[str, Any] = {ID_FIELD: record.id, SOURCE_FIELD: _tagged_json(record.data)}
    if record.metadata:
        doc[META_FIELD] = _tagged_json(record.metadata)
    if lossy:
        doc[LOSSY_FIELD] = lossy
    doc[PATHS_FIELD] = paths
    return doc


_dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
_PLAIN = frozenset({type(None), bool, int, float, str})


def _tagged_json(data: dict[str, Any]) -> str:
    """``codec.dumps`` of a record's data, skipping the walk when nothing needs a tag."""
    if all(type(v) in _PLAIN for v in data.values()) and not (
        len(data) == 1 and next(iter(data)).startswith("$")
    ):
        return _dumps(data)
    return _dumps(encode_json_value(data))


def encode_document(record: Record) -> bytes:
    """The document of a record as one line of JSON bytes (for ``_bulk``)."""
    try:
        return _dumps(document(record)).encode()
    except UnicodeEncodeError as exc:
        raise SerializationError(
            f"record {record.id!r} holds a string that is not valid Unicode "
            f"(a lone surrogate); Elasticsearch stores UTF-8 only: {exc}"
        ) from None


def _loads(text: str) -> Any:
    # The text was written compactly by ``document``: a tag object always shows
    # as '{"$', so text without it is plain JSON and needs no decoding walk.
    value = parse_json(text)
    return decode_json_value(value) if _TAG_MARK in text else value


_TAG_MARK = '{"$'


def decode_source(source: dict[str, Any]) -> Record:
    """The record of a stored ``_source`` (``id``, ``src`` and optional ``meta``)."""
    try:
        data = _loads(source[SOURCE_FIELD])
        meta_text = source.get(META_FIELD)
        metadata = _loads(meta_text) if meta_text else {}
        return Record._trusted(data, source[ID_FIELD], metadata)
    except (KeyError, TypeError, ValueError) as exc:
        raise SerializationError(
            f"document {source.get(ID_FIELD)!r} was not written by the dataknobs "
            f"Elasticsearch backend or is corrupt: {exc!r}"
        ) from None


_STORED_ONLY = {"type": "keyword", "index": False, "doc_values": False}
_INDEXED_ONLY = {"type": "keyword", "doc_values": False}


def index_body(*, shards: int, replicas: int | None, total_fields_limit: int) -> dict[str, Any]:
    """Settings and mappings of a new index."""
    settings: dict[str, Any] = {
        "number_of_shards": shards,
        "max_regex_length": 1_000_000,
        "mapping": {"total_fields": {"limit": total_fields_limit}},
    }
    if replicas is not None:
        settings["number_of_replicas"] = replicas
    templates = [
        {"dk_sort": {"path_match": f"{PATHS_FIELD}.*.s", "mapping": {"type": "keyword"}}},
        *(
            {f"dk_{key}": {"path_match": f"{PATHS_FIELD}.*.{key}", "mapping": _INDEXED_ONLY}}
            for key in ("e", "l", "c")
        ),
    ]
    mappings: dict[str, Any] = {
        "_meta": {"dataknobs": MAPPING_MARKER},
        "_source": {"excludes": [PATHS_FIELD, f"{PATHS_FIELD}.*"]},
        "dynamic": "strict",
        "date_detection": False,
        "numeric_detection": False,
        "properties": {
            ID_FIELD: {"type": "keyword"},
            SOURCE_FIELD: _STORED_ONLY,
            META_FIELD: _STORED_ONLY,
            LOSSY_FIELD: _INDEXED_ONLY,
            PATHS_FIELD: {"type": "object", "dynamic": True},
        },
        "dynamic_templates": templates,
    }
    return {"settings": settings, "mappings": mappings}
