"""The options of the Elasticsearch backend."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from typing import Any

from dataknobs_common import REDACTED, redact_url

__all__ = ["ElasticsearchOptions"]

_BAD_INDEX_CHARS = re.compile(r'[\\/*?"<>| ,#:A-Z]')


@dataclass(frozen=True)
class ElasticsearchOptions:
    """Options of :class:`~dataknobs_data.backends.elasticsearch.ElasticsearchDatabase`.

    Attributes:
        hosts: Node URLs (a single URL is accepted too).
        index: The index holding the records; created with its mapping on connect.
        refresh: True: every write is visible to the next search and count.
            False (bulk loads): writes become visible on Elasticsearch's own
            schedule or after ``db.refresh()``.
        api_key: An API key (secret), ``"base64"`` or ``(id, key)``.
        basic_auth: ``(user, password)`` (secret).
        request_timeout: Seconds before a request fails.
        bulk_chunk_size: Documents per ``_bulk`` request.
        bulk_max_bytes: Bytes per ``_bulk`` request.
        id_chunk_size: Ids per ``_mget`` request.
        keep_alive: How long a point in time of a stream lives between pages.
        shards: Primary shards of a newly created index.
        replicas: Replicas of a newly created index (None: the cluster default).
        total_fields_limit: ``index.mapping.total_fields.limit`` of a new index;
            each distinct field path takes up to five mapped fields.
        verify_certs: Verify TLS certificates.
        ca_certs: A CA bundle for TLS.
        max_retries: Retries of a request on connection errors.
    """

    hosts: str | tuple[str, ...] = ("http://localhost:9200",)
    index: str = "records"
    refresh: bool = True
    api_key: str | tuple[str, str] | None = field(default=None, metadata={"secret": True})
    basic_auth: tuple[str, str] | None = field(default=None, metadata={"secret": True})
    request_timeout: float = 30.0
    bulk_chunk_size: int = 1000
    bulk_max_bytes: int = 10 * 1024 * 1024
    id_chunk_size: int = 5000
    keep_alive: str = "2m"
    shards: int = 1
    replicas: int | None = None
    total_fields_limit: int = 20_000
    verify_certs: bool = True
    ca_certs: str | None = None
    max_retries: int = 1

    def __post_init__(self) -> None:
        hosts = (self.hosts,) if isinstance(self.hosts, str) else tuple(self.hosts)
        if not hosts:
            raise ValueError("hosts must name at least one Elasticsearch URL")
        object.__setattr__(self, "hosts", hosts)
        name = self.index
        if (
            not name
            or name in (".", "..")
            or name[0] in "-_+"
            or _BAD_INDEX_CHARS.search(name)
            or len(name.encode()) > 255
        ):
            raise ValueError(
                f"index {name!r} is not a valid Elasticsearch index name: use lowercase, "
                'no spaces or \\ / * ? " < > | , # :, not starting with - _ +'
            )
        for name in ("bulk_chunk_size", "bulk_max_bytes", "id_chunk_size", "shards"):
            if getattr(self, name) < 1:
                raise ValueError(f"{name} must be at least 1, got {getattr(self, name)}")
        if self.request_timeout <= 0:
            raise ValueError(f"request_timeout must be positive, got {self.request_timeout}")

    @property
    def host_list(self) -> list[str]:
        """The hosts as a list of URLs."""
        return list(self.hosts)

    @property
    def safe_hosts(self) -> str:
        """The hosts for messages: any password in a URL replaced by ``***``."""
        return ", ".join(redact_url(h) for h in self.hosts)

    def __repr__(self) -> str:
        parts = []
        for f in fields(self):
            value: Any = getattr(self, f.name)
            if f.metadata.get("secret") and value is not None:
                value = REDACTED
            elif f.name == "hosts":
                value = tuple(redact_url(h) for h in value)
            parts.append(f"{f.name}={value!r}")
        return f"ElasticsearchOptions({', '.join(parts)})"
