"""The exception tree of dataknobs_data, documented in one place.

Every error derives from :class:`DatabaseError`, itself a
:class:`dataknobs_common.DataknobsError`. ``ConfigurationError`` also derives
from :class:`dataknobs_common.ConfigurationError`, so configuration problems
raised by ``dataknobs_config`` and by a backend's options are caught alike.

Messages say what was wrong and what to do; they never contain a password.
"""

from __future__ import annotations

from collections.abc import Sequence

from dataknobs_common import ConfigurationError as _CommonConfigurationError
from dataknobs_common import DataknobsError

__all__ = [
    "BackendNotAvailableError",
    "ConfigurationError",
    "DatabaseConnectionError",
    "DatabaseError",
    "DuplicateRecordError",
    "QueryError",
    "RecordNotFoundError",
    "SerializationError",
    "ValidationError",
]


class DatabaseError(DataknobsError):
    """Base class of every dataknobs_data error."""


class DatabaseConnectionError(DatabaseError):
    """The store cannot be reached or refused the credentials."""


class RecordNotFoundError(DatabaseError):
    """A record that had to exist does not."""

    def __init__(self, record_id: str, message: str | None = None) -> None:
        self.record_id = record_id
        super().__init__(message or f"no record with id {record_id!r}")


class DuplicateRecordError(DatabaseError):
    """Creating a record whose id already exists (or appears twice in one batch)."""

    def __init__(self, ids: Sequence[str], message: str | None = None) -> None:
        self.ids = list(ids)
        shown = ", ".join(repr(i) for i in self.ids[:5])
        more = f" and {len(self.ids) - 5} more" if len(self.ids) > 5 else ""
        super().__init__(
            message
            or f"record id already exists: {shown}{more}; use update() or upsert() to replace it"
        )


class QueryError(DatabaseError):
    """A query is malformed: unknown operator, wrong value for an operator, bad regex."""


class ValidationError(DatabaseError):
    """A record or value breaks the value model or a schema."""


class SerializationError(DatabaseError):
    """A value cannot be stored by a backend, or stored data cannot be decoded."""


class ConfigurationError(DatabaseError, _CommonConfigurationError):
    """A backend's options are invalid, or a backend name is unknown."""


class BackendNotAvailableError(ConfigurationError):
    """A known backend whose optional dependencies are not installed."""
