"""Fixtures for the S3 backend's own tests: fresh prefixes on the shared S3 servers."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from dataknobs_data.backends.s3 import S3Database
from tests.services.s3 import S3Endpoint

BUCKET = "dataknobs-backend-tests"


@pytest.fixture
def s3_options(s3_server: S3Endpoint) -> dict[str, Any]:
    """Options of a database on a fresh, empty prefix of the session's S3 server."""
    prefix = f"tests/{uuid.uuid4().hex[:12]}"
    return s3_server.options(BUCKET, prefix=prefix, create_bucket=True)


@pytest.fixture
def make_db(s3_options: dict[str, Any]) -> Iterator[Callable[..., S3Database]]:
    """Builds connected databases on the test's prefix (extra options override)."""
    opened: list[S3Database] = []

    def make(**extra: Any) -> S3Database:
        db = S3Database(**{**s3_options, **extra})
        db.connect()
        opened.append(db)
        return db

    yield make
    for db in opened:
        try:
            db.clear()
        finally:
            db.close()


@pytest.fixture
def db(make_db: Callable[..., S3Database]) -> S3Database:
    """A connected database on a fresh prefix."""
    return make_db()
