"""Recognising and hiding secrets (passwords, keys, tokens) in mappings and URLs.

One place decides what counts as a secret so that ``repr``, error messages and
logs everywhere redact the same things.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit, urlunsplit

__all__ = ["REDACTED", "is_secret_key", "redact_mapping", "redact_text", "redact_url"]

REDACTED = "***"

_SECRET_KEY = re.compile(
    r"(pass(word|wd)?|secret|token|api[_-]?key|access[_-]?key|private[_-]?key|credential|auth)",
    re.IGNORECASE,
)


def is_secret_key(key: str) -> bool:
    """Tell whether an option named ``key`` holds a secret.

    Example:
        >>> is_secret_key("password"), is_secret_key("aws_secret_access_key"), is_secret_key("host")
        (True, True, False)
    """
    return bool(_SECRET_KEY.search(key))


def redact_mapping(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """Return a copy of ``mapping`` with secret values replaced by ``***``, recursively.

    Example:
        >>> redact_mapping({"user": "ada", "password": "hunter2"})
        {'user': 'ada', 'password': '***'}
    """
    out: dict[str, Any] = {}
    for key, value in mapping.items():
        if is_secret_key(str(key)) and value is not None:
            out[key] = REDACTED
        elif isinstance(value, Mapping):
            out[key] = redact_mapping(value)
        elif isinstance(value, str) and "://" in value:
            out[key] = redact_url(value)
        else:
            out[key] = value
    return out


def redact_url(url: str) -> str:
    """Hide the password part of a URL's user info.

    Example:
        >>> redact_url("postgresql://ada:hunter2@db:5432/app")
        'postgresql://ada:***@db:5432/app'
    """
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    if parts.password is None:
        return url
    user = parts.username or ""
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    netloc = f"{user}:{REDACTED}@{host}{port}"
    return urlunsplit((parts.scheme, netloc, parts.path, parts.query, parts.fragment))


def redact_text(text: str, secrets: list[str]) -> str:
    """Replace every occurrence of each known secret value in ``text``.

    Used on messages coming from drivers, which may echo a DSN back.

    Example:
        >>> redact_text("auth failed for ada/hunter2", ["hunter2"])
        'auth failed for ada/***'
    """
    for secret in secrets:
        if secret:
            text = text.replace(secret, REDACTED)
    return text
