"""The package's exports, factory wiring and options repr."""

from __future__ import annotations

import dataknobs_data.backends.sqlite as sqlite
from dataknobs_data import database_factory


def test_exports() -> None:
    assert set(sqlite.__all__) == {
        "SQLITE_CAPABILITIES",
        "AsyncSQLiteDatabase",
        "SQLiteDatabase",
        "SQLiteOptions",
    }


def test_the_factory_builds_both_faces() -> None:
    assert database_factory.backend_class("sqlite") is sqlite.SQLiteDatabase
    cls = database_factory.backend_class("sqlite", asynchronous=True)
    assert cls is sqlite.AsyncSQLiteDatabase


def test_repr_shows_the_options() -> None:
    db = sqlite.SQLiteDatabase(path=":memory:", table="people")
    assert "people" in repr(db) and ":memory:" in repr(db)
