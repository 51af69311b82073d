"""Object keys: record ids to S3 keys and back, safe for any id.

An id becomes ``<prefix>/<name>.json``. The name keeps ASCII letters, digits and
``-``; every other UTF-8 byte (``/``, ``.``, ``%``, spaces, unicode, even lone
surrogates) is written ``_xx`` in lowercase hex. Names are therefore plain ASCII,
never ``.`` or ``..``, never contain ``/``, and decode back to the exact id.

Object stores limit key length (S3: 1024 bytes; SeaweedFS: 255 bytes per path
segment), so a name longer than :data:`MAX_NAME` becomes ``~<sha256 of the id>``;
those objects carry the id in their body, which readers check. ``~`` never
appears in an escaped name, so the two forms cannot collide.
"""

from __future__ import annotations

import hashlib
import re

__all__ = ["MAX_NAME", "SUFFIX", "KeyCodec"]

SUFFIX = ".json"
MAX_NAME = 200
_HASHED = "~"
_KEEP = frozenset(b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-")
_ESCAPES = {b: chr(b) if b in _KEEP else f"_{b:02x}" for b in range(256)}
_ESCAPED_NAME = re.compile(r"(?:[A-Za-z0-9-]|_[0-9a-f]{2})+")
_HASHED_NAME = re.compile(r"~[0-9a-f]{64}")


def escape_id(record_id: str) -> str:
    """The escaped name of ``record_id`` (without the hashing of long names).

    Example:
        >>> escape_id("a/b.c")
        'a_2fb_2ec'
    """
    raw = record_id.encode("utf-8", "surrogatepass")
    return "".join([_ESCAPES[b] for b in raw])


def unescape_name(name: str) -> str:
    """Inverse of :func:`escape_id`."""
    out = bytearray()
    i = 0
    while i < len(name):
        ch = name[i]
        if ch == "_":
            out.append(int(name[i + 1 : i + 3], 16))
            i += 3
        else:
            out.append(ord(ch))
            i += 1
    return out.decode("utf-8", "surrogatepass")


class KeyCodec:
    """Maps ids to keys under one prefix, and listed keys back to ids.

    Example:
        >>> codec = KeyCodec("people")
        >>> codec.key("u/1")
        'people/u_2f1.json'
        >>> codec.record_id("people/u_2f1.json")
        'u/1'
    """

    def __init__(self, prefix: str) -> None:
        stripped = prefix.strip("/")
        self.prefix = f"{stripped}/" if stripped else ""

    def key(self, record_id: str) -> str:
        """The object key of ``record_id``."""
        name = escape_id(record_id)
        if len(name) > MAX_NAME:
            digest = hashlib.sha256(record_id.encode("utf-8", "surrogatepass")).hexdigest()
            name = _HASHED + digest
        return f"{self.prefix}{name}{SUFFIX}"

    def is_record_key(self, key: str) -> bool:
        """Whether ``key`` is a record object of this prefix (others are ignored)."""
        if not key.startswith(self.prefix) or not key.endswith(SUFFIX):
            return False
        name = key[len(self.prefix) : -len(SUFFIX)]
        return bool(_ESCAPED_NAME.fullmatch(name) or _HASHED_NAME.fullmatch(name))

    def record_id(self, key: str) -> str | None:
        """The id stored at ``key``, or None when only the object's body knows it (hashed)."""
        name = key[len(self.prefix) : -len(SUFFIX)]
        if name.startswith(_HASHED):
            return None
        return unescape_name(name)
