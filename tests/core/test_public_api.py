"""The public surface is explicit: the export lists are part of the contract."""

from __future__ import annotations

import dataknobs_common
import dataknobs_data


def test_dataknobs_data_exports() -> None:
    assert set(dataknobs_data.__all__) >= {
        "Record",
        "Field",
        "FieldType",
        "Query",
        "Filter",
        "Operator",
        "SortOrder",
        "Database",
        "AsyncDatabase",
        "database_factory",
        "DatabaseFactory",
        "DatabaseError",
        "DatabaseConnectionError",
        "RecordNotFoundError",
        "DuplicateRecordError",
        "QueryError",
        "ValidationError",
        "ConfigurationError",
        "SerializationError",
    }
    for name in dataknobs_data.__all__:
        assert hasattr(dataknobs_data, name), name


def test_dataknobs_common_exports() -> None:
    assert set(dataknobs_common.__all__) == {
        "REDACTED",
        "ConfigurationError",
        "DataknobsError",
        "is_secret_key",
        "redact_mapping",
        "redact_text",
        "redact_url",
    }


def test_every_error_derives_from_database_error_and_the_common_root() -> None:
    from dataknobs_data import errors

    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, dataknobs_data.DatabaseError)
        assert issubclass(cls, dataknobs_common.DataknobsError)
    assert issubclass(dataknobs_data.ConfigurationError, dataknobs_common.ConfigurationError)
