"""Database URLs: ``memory://``, ``sqlite:///app.db``, ``file:///data/x.parquet``, ...

Each scheme maps to a backend and its options; backends add schemes by
registering a parser with :func:`register_url_scheme`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import SplitResult, parse_qsl, urlsplit

from dataknobs_data.errors import ConfigurationError

__all__ = ["parse_database_url", "register_url_scheme"]

UrlParser = Callable[[SplitResult], tuple[str, dict[str, Any]]]
_PARSERS: dict[str, UrlParser] = {}


def register_url_scheme(scheme: str, parser: UrlParser) -> None:
    """Make ``scheme://...`` URLs build a backend; ``parser`` returns (backend, options)."""
    _PARSERS[scheme.lower()] = parser


def _memory(parts: SplitResult) -> tuple[str, dict[str, Any]]:
    return "memory", {}


register_url_scheme("memory", _memory)


def query_options(parts: SplitResult) -> dict[str, Any]:
    """The URL's query string as options (``?table=people``)."""
    # parse_qsl already percent-decodes; decoding again would corrupt a literal "%".
    return dict(parse_qsl(parts.query, keep_blank_values=True))


def parse_database_url(url: str) -> tuple[str, dict[str, Any]]:
    """Return ``(backend name, options)`` for a database URL.

    Example:
        >>> parse_database_url("memory://")
        ('memory', {})
    """
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    parser = _PARSERS.get(scheme)
    if parser is None:
        _load_backend_scheme(scheme)
        parser = _PARSERS.get(scheme)
    if parser is None:
        known = ", ".join(sorted(f"{s}://" for s in {*_PARSERS, *_BUILTIN_SCHEMES}))
        raise ConfigurationError(
            f"unknown database URL scheme in {url.split('@')[-1]!r}; known schemes: {known}"
        )
    return parser(parts)


# Built-in schemes and the backend package whose urls module registers them; only
# that module is imported, so naming a SQLite URL never imports boto3 or psycopg.
_BUILTIN_SCHEMES = {
    "sqlite": "sqlite",
    "sqlite3": "sqlite",
    "file": "file",
    "postgresql": "postgres",
    "postgres": "postgres",
    "s3": "s3",
    "elasticsearch+http": "elasticsearch",
    "elasticsearch+https": "elasticsearch",
}


def _load_backend_scheme(scheme: str) -> None:
    import importlib

    backend = _BUILTIN_SCHEMES.get(scheme)
    if backend is not None:
        importlib.import_module(f"dataknobs_data.backends.{backend}.urls")
