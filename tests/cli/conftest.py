"""Fixtures for the command-line tests.

``people://`` names a test backend: the memory backend pre-filled with the demo's
sample people, with REGEX left to Python so that ``explain`` has a residual to
show. It lets every command run against real data in one process.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, Self

import pytest
from typer.testing import CliRunner, Result

from dataknobs_data import Operator, database_factory
from dataknobs_data.backends.memory import MemoryDatabase
from dataknobs_data.backends.memory.store import MEMORY_CAPABILITIES
from dataknobs_data.cli.app import app
from dataknobs_data.cli.sample import people
from dataknobs_data.engine.capabilities import Capabilities
from dataknobs_data.urls import register_url_scheme

PEOPLE = 300


class PeopleDatabase(MemoryDatabase):
    """Memory, seeded with the sample people on connect; REGEX runs in Python."""

    backend_name = "people"

    @property
    def capabilities(self) -> Capabilities:
        return replace(
            MEMORY_CAPABILITIES,
            name="people",
            operators=MEMORY_CAPABILITIES.operators - {Operator.REGEX, Operator.NOT_REGEX},
        )

    def connect(self) -> Self:
        first = not self._connected
        super().connect()
        if first and self.count() == 0:
            self.create_batch(people(PEOPLE))
        return self


register_url_scheme("people", lambda parts: ("people", {}))


@pytest.fixture(autouse=True)
def people_backend() -> Iterator[None]:
    """The ``people`` test backend exists only while a CLI test runs."""
    database_factory.register("people", PeopleDatabase)
    yield
    database_factory.unregister("people")


@pytest.fixture
def run() -> Callable[..., Result]:
    """Invoke the CLI in-process: ``run("count", "people://")``."""
    runner = CliRunner()

    def invoke(*args: str, **kwargs: Any) -> Result:
        return runner.invoke(app, list(args), **kwargs)

    return invoke


@pytest.fixture
def config_file(tmp_path: Path) -> Iterator[Path]:
    """A config.yaml with a ``people`` database and a ``scratch`` memory database."""
    path = tmp_path / "config.yaml"
    path.write_text(
        "databases:\n"
        "  - name: primary\n"
        "    factory: database\n"
        "    backend: ${TEST_DB_BACKEND:people}\n"
        "  - name: scratch\n"
        "    factory: database\n"
        "    backend: memory\n",
        encoding="utf-8",
    )
    yield path


def _one_error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert result.stdout == ""
    return lines[0]


@pytest.fixture
def error_line() -> Callable[[Result], str]:
    """Assert a run failed the CLI way (exit 1, one line on stderr, no traceback); return it."""
    return _one_error_line
