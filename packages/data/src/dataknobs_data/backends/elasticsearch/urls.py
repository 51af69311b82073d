"""URL schemes ``elasticsearch+http://`` and ``elasticsearch+https://``.

``elasticsearch+https://user:secret@search.example:9200/people?refresh=false``
is the ``elasticsearch`` backend with ``hosts=["https://search.example:9200"]``,
``index="people"``, ``basic_auth=("user", "secret")`` and ``refresh=False``.
Other query parameters are options (numbers and booleans are converted).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import SplitResult, unquote

from dataknobs_data.errors import ConfigurationError
from dataknobs_data.urls import query_options, register_url_scheme

__all__ = ["parse_elasticsearch_url"]

_BOOLEAN = {"true": True, "1": True, "yes": True, "false": False, "0": False, "no": False}
_BOOLEAN_OPTIONS = frozenset({"refresh", "verify_certs"})
_INT_OPTIONS = frozenset(
    {
        "bulk_chunk_size",
        "bulk_max_bytes",
        "id_chunk_size",
        "shards",
        "replicas",
        "total_fields_limit",
        "max_retries",
    }
)
_FLOAT_OPTIONS = frozenset({"request_timeout"})


def _convert(name: str, text: str) -> Any:
    try:
        if name in _BOOLEAN_OPTIONS:
            return _BOOLEAN[text.lower()]
        if name in _INT_OPTIONS:
            return int(text)
        if name in _FLOAT_OPTIONS:
            return float(text)
    except (KeyError, ValueError):
        raise ConfigurationError(
            f"URL option {name}={text!r} is not a valid value for {name}"
        ) from None
    return text


def parse_elasticsearch_url(parts: SplitResult) -> tuple[str, dict[str, Any]]:
    """Return ``("elasticsearch", options)`` for an ``elasticsearch+http(s)://`` URL."""
    scheme = parts.scheme.lower().split("+", 1)[1]
    if not parts.hostname:
        raise ConfigurationError(
            "an elasticsearch URL needs a host: elasticsearch+http://host:9200/index"
        )
    host = parts.hostname if ":" not in parts.hostname else f"[{parts.hostname}]"
    port = f":{parts.port}" if parts.port else ""
    options: dict[str, Any] = {"hosts": [f"{scheme}://{host}{port}"]}
    index = unquote(parts.path.strip("/"))
    if index:
        options["index"] = index
    if parts.username is not None:
        options["basic_auth"] = (unquote(parts.username), unquote(parts.password or ""))
    for name, text in query_options(parts).items():
        options[name] = _convert(name, text)
    return "elasticsearch", options


register_url_scheme("elasticsearch+http", parse_elasticsearch_url)
register_url_scheme("elasticsearch+https", parse_elasticsearch_url)
