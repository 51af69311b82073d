"""``file://`` URLs: ``file:///abs/path.parquet``, ``file://relative.jsonl``.

Query-string options pass through (``file:///data/x.dat?format=csv&compression=gzip``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import SplitResult, unquote

from dataknobs_data.errors import ConfigurationError
from dataknobs_data.urls import query_options, register_url_scheme

__all__ = ["parse_file_url"]

_BOOLEAN_OPTIONS = frozenset({"fsync", "compact_on_close"})
_INTEGER_OPTIONS = frozenset({"buffer_size", "row_group_size"})


def parse_file_url(parts: SplitResult) -> tuple[str, dict[str, Any]]:
    """Return ``("file", options)`` for a ``file://`` URL.

    Example:
        >>> from urllib.parse import urlsplit
        >>> parse_file_url(urlsplit("file:///data/people.parquet"))
        ('file', {'path': '/data/people.parquet'})
        >>> parse_file_url(urlsplit("file://people.jsonl.gz"))
        ('file', {'path': 'people.jsonl.gz'})
    """
    path = unquote(parts.netloc + parts.path)
    if parts.netloc == "localhost":
        path = unquote(parts.path)
    if not path:
        raise ConfigurationError(
            "a file URL needs a path: file:///abs/path.parquet or file://relative.jsonl"
        )
    options: dict[str, Any] = {"path": path}
    for key, value in query_options(parts).items():
        if key in _BOOLEAN_OPTIONS:
            options[key] = value.lower() in ("1", "true", "yes", "on")
        elif key in _INTEGER_OPTIONS and value.isdigit():
            options[key] = int(value)
        else:
            options[key] = value
    return "file", options


register_url_scheme("file", parse_file_url)
