"""The options of the postgres backend, and how they become a libpq connection string."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from psycopg.conninfo import conninfo_to_dict, make_conninfo

from dataknobs_data.errors import ConfigurationError

__all__ = ["PostgresOptions"]

_SERVER_KEYS = ("host", "port", "database", "user", "password")


@dataclass(frozen=True)
class PostgresOptions:
    """Options of :class:`~dataknobs_data.backends.postgres.PostgresDatabase`.

    Give either ``dsn`` (a libpq URL or ``key=value`` string) or the server
    options ``host``, ``port``, ``database``, ``user`` and ``password``.

    Attributes:
        host: Server host name or address (default: libpq's, usually a local socket).
        port: Server port (default 5432).
        database: Database name.
        user: Role to log in as.
        password: The role's password (a secret: never shown in errors or ``repr``).
        dsn: A connection string instead of the five options above (also secret).
        schema: Schema holding the table and the backend's SQL functions.
        table: Table holding the records (created on first use).
        min_pool_size: Connections kept open by the pool.
        max_pool_size: Most connections the pool opens.
        connect_timeout: Seconds to wait for one connection attempt.
        connect_retries: Extra attempts after a transient connection failure.
        retry_backoff: Seconds before the first retry; doubled on each further retry.
        copy_chunk_size: Rows encoded and sent at a time into the one COPY of a batch insert.
        application_name: Shown in ``pg_stat_activity``.
    """

    host: str | None = None
    port: int | None = None
    database: str | None = None
    user: str | None = None
    password: str | None = None
    dsn: str | None = field(default=None, metadata={"secret": True})
    schema: str = "public"
    table: str = "records"
    min_pool_size: int = 1
    max_pool_size: int = 10
    connect_timeout: float = 10.0
    connect_retries: int = 3
    retry_backoff: float = 0.2
    copy_chunk_size: int = 2_000
    application_name: str = "dataknobs"

    def __post_init__(self) -> None:
        given = [k for k in _SERVER_KEYS if getattr(self, k) is not None]
        if self.dsn is not None and given:
            raise ConfigurationError(
                f"PostgresDatabase: give either 'dsn' or {', '.join(_SERVER_KEYS)}, not both "
                f"(got dsn and {', '.join(given)})"
            )
        if self.dsn is not None:
            try:
                conninfo_to_dict(self.dsn)
            except Exception:
                raise ConfigurationError(
                    "PostgresDatabase: option 'dsn' is not a valid libpq connection string "
                    "(expected postgresql://user:pass@host:port/db or 'host=... dbname=...')"
                ) from None
        for name in ("schema", "table"):
            value = getattr(self, name)
            if not value or "\x00" in value:
                raise ConfigurationError(
                    f"PostgresDatabase: option {name!r} must be a non-empty name"
                )
        if self.min_pool_size < 0 or self.max_pool_size < max(1, self.min_pool_size):
            raise ConfigurationError(
                "PostgresDatabase: need 0 <= min_pool_size <= max_pool_size and max_pool_size >= 1"
            )
        if self.connect_timeout <= 0 or self.connect_retries < 0 or self.retry_backoff < 0:
            raise ConfigurationError(
                "PostgresDatabase: connect_timeout must be positive, connect_retries and "
                "retry_backoff non-negative"
            )
        if self.copy_chunk_size < 1:
            raise ConfigurationError("PostgresDatabase: copy_chunk_size must be at least 1")

    def conninfo(self) -> str:
        """The libpq connection string (it contains the password: never log it)."""
        extra: dict[str, Any] = {
            "connect_timeout": max(1, round(self.connect_timeout)),
            "application_name": self.application_name,
        }
        if self.dsn is not None:
            return make_conninfo(self.dsn, **extra)
        server = {
            "host": self.host,
            "port": self.port,
            "dbname": self.database,
            "user": self.user,
            "password": self.password,
        }
        return make_conninfo("", **{k: v for k, v in server.items() if v is not None}, **extra)

    def secrets(self) -> list[str]:
        """Values that must never appear in a message."""
        found = [self.password] if self.password else []
        if self.dsn is not None:
            found.append(self.dsn)
            password = conninfo_to_dict(self.dsn).get("password")
            if password:
                found.append(str(password))
        return found

    def where(self) -> str:
        """``host:port/database`` for messages (never the password)."""
        if self.dsn is not None:
            parts = conninfo_to_dict(self.dsn)
            host, port, db = parts.get("host"), parts.get("port"), parts.get("dbname")
        else:
            host, port, db = self.host, self.port, self.database
        return f"{host or 'localhost'}:{port or 5432}/{db or '(default database)'}"
