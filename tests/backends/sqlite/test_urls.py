"""``sqlite://`` URLs."""

from __future__ import annotations

from pathlib import Path

import pytest

import dataknobs_data.backends.sqlite.urls  # noqa: F401 - registers sqlite:// without the others
from dataknobs_data import ConfigurationError, Record, database_factory
from dataknobs_data.backends.sqlite import AsyncSQLiteDatabase, SQLiteDatabase
from dataknobs_data.urls import parse_database_url


@pytest.mark.parametrize(
    ("url", "options"),
    [
        ("sqlite:///app.db", {"path": "app.db"}),
        ("sqlite:///data/app.db", {"path": "data/app.db"}),
        ("sqlite:////var/lib/app.db", {"path": "/var/lib/app.db"}),
        ("sqlite://:memory:", {"path": ":memory:"}),
        ("sqlite:///:memory:", {"path": ":memory:"}),
        ("sqlite://", {"path": ":memory:"}),
        ("sqlite:///my%20app.db?table=people", {"path": "my app.db", "table": "people"}),
        ("sqlite3:///app.db?timeout=2.5", {"path": "app.db", "timeout": 2.5}),
    ],
)
def test_urls_name_a_path_and_options(url: str, options: dict[str, object]) -> None:
    assert parse_database_url(url) == ("sqlite", options)


def test_a_host_is_an_error() -> None:
    with pytest.raises(ConfigurationError, match="host"):
        parse_database_url("sqlite://server/app.db")


def test_a_bad_number_is_an_error() -> None:
    with pytest.raises(ConfigurationError, match="timeout"):
        parse_database_url("sqlite:///app.db?timeout=soon")


def test_an_unknown_query_option_is_an_error_naming_it() -> None:
    with pytest.raises(ConfigurationError, match="tabel"):
        database_factory.from_url("sqlite://?tabel=x")


def test_from_url_builds_a_working_database(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/app.db?table=people"
    db = database_factory.from_url(url)
    assert isinstance(db, SQLiteDatabase)
    with db:
        db.create(Record({"n": 1}, id="a"))
    assert isinstance(database_factory.from_url(url, asynchronous=True), AsyncSQLiteDatabase)
    with SQLiteDatabase(path=str(tmp_path / "app.db"), table="people") as again:
        assert again.count() == 1
