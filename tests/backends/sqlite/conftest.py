from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from dataknobs_data.backends.sqlite import SQLiteDatabase


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "app.db"


@pytest.fixture
def db(db_path: Path) -> Iterator[SQLiteDatabase]:
    with SQLiteDatabase(path=str(db_path)) as database:
        yield database
