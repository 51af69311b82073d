"""Fixtures of the postgres backend tests: a fresh table on the session's server."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from dataknobs_data.backends.postgres import PostgresDatabase


@pytest.fixture
def table_name() -> str:
    return f"t_{uuid.uuid4().hex[:12]}"


@pytest.fixture
def pg_options(postgres_url: str, table_name: str) -> dict[str, Any]:
    return {"dsn": postgres_url, "table": table_name, "min_pool_size": 0}


@pytest.fixture
def db(pg_options: dict[str, Any]) -> Iterator[PostgresDatabase]:
    database = PostgresDatabase(**pg_options)
    with database:
        yield database
        database.clear()
