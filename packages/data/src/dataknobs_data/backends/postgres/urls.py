"""URL schemes of the postgres backend: ``postgresql://`` and ``postgres://``.

The whole URL becomes the ``dsn`` option; ``schema`` and ``table`` may be given in the
query string (``postgresql://u:p@host/db?table=people``) and are taken out of the DSN.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import SplitResult, parse_qsl, urlencode, urlunsplit

from dataknobs_data.urls import register_url_scheme

__all__ = ["parse_postgres_url"]

_BACKEND_KEYS = ("schema", "table")


def parse_postgres_url(parts: SplitResult) -> tuple[str, dict[str, Any]]:
    """``(backend, options)`` for a ``postgresql://`` URL.

    Example:
        >>> from urllib.parse import urlsplit
        >>> parse_postgres_url(urlsplit("postgres://ada@db:5433/app?table=people"))
        ('postgres', {'table': 'people', 'dsn': 'postgresql://ada@db:5433/app'})
    """
    query = parse_qsl(parts.query, keep_blank_values=True)
    options: dict[str, Any] = {k: v for k, v in query if k in _BACKEND_KEYS}
    rest = urlencode([(k, v) for k, v in query if k not in _BACKEND_KEYS])
    options["dsn"] = urlunsplit(("postgresql", parts.netloc, parts.path, rest, parts.fragment))
    return "postgres", options


register_url_scheme("postgresql", parse_postgres_url)
register_url_scheme("postgres", parse_postgres_url)
