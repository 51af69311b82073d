"""``sqlite://`` URLs: ``sqlite:///relative.db``, ``sqlite:////abs/path.db``, ``sqlite://:memory:``.

``sqlite://`` alone is an in-memory database; the query string adds options
(``sqlite:///app.db?table=people&timeout=10``).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import SplitResult, unquote

from dataknobs_data.backends.sqlite.options import MEMORY
from dataknobs_data.errors import ConfigurationError
from dataknobs_data.urls import query_options, register_url_scheme

__all__ = ["parse_sqlite_url"]

_NUMBERS = {"timeout": float}


def parse_sqlite_url(parts: SplitResult) -> tuple[str, dict[str, Any]]:
    """Return ``("sqlite", options)`` for a split ``sqlite://`` URL.

    Example:
        >>> from urllib.parse import urlsplit
        >>> parse_sqlite_url(urlsplit("sqlite:///data/app.db?table=people"))
        ('sqlite', {'table': 'people', 'path': 'data/app.db'})
        >>> parse_sqlite_url(urlsplit("sqlite:////var/app.db"))[1]["path"]
        '/var/app.db'
        >>> parse_sqlite_url(urlsplit("sqlite://"))[1]["path"]
        ':memory:'
    """
    options: dict[str, Any] = query_options(parts)
    for key, convert in _NUMBERS.items():
        if key in options:
            try:
                options[key] = convert(options[key])
            except ValueError:
                raise ConfigurationError(
                    f"sqlite URL option {key!r} must be a number, got {options[key]!r}"
                ) from None
    if parts.netloc and parts.netloc != MEMORY:
        raise ConfigurationError(
            f"sqlite URL has a host part {parts.netloc!r}; write sqlite:///relative.db, "
            "sqlite:////absolute/path.db or sqlite://:memory:"
        )
    path = unquote(parts.path)
    if path.startswith("/"):
        path = path[1:]
    options["path"] = path or MEMORY
    return "sqlite", options


register_url_scheme("sqlite", parse_sqlite_url)
register_url_scheme("sqlite3", parse_sqlite_url)
