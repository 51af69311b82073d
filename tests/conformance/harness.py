"""The registry of backend cases the conformance suite runs against, and the async adapter.

Each file in ``backends/`` defines ``CASES: list[BackendCase]``. A case names
a backend and builds its options for one test (a fresh, empty store each
time); the suite then runs every test against the case's sync face and, if
``faces`` includes it, its async face through :class:`AsyncFacade`, which
drives the coroutines on one event loop so the same tests cover both.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import itertools
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from dataknobs_data import AsyncDatabase, Database, database_factory


@dataclass
class CaseContext:
    """What a case may use to build a fresh store for one test."""

    request: pytest.FixtureRequest
    tmp_path: Path
    unique: str

    def fixture(self, name: str) -> Any:
        """Another pytest fixture's value (e.g. ``postgres_url``)."""
        return self.request.getfixturevalue(name)


@dataclass
class BackendCase:
    """One backend configuration the conformance suite runs against.

    Attributes:
        name: Test id prefix, e.g. ``"file-jsonl-gzip"``.
        backend: The factory name.
        options: Builds the options for one test from a :class:`CaseContext`.
        faces: Which faces to run: ``("sync", "async")``.
        gaps: Known gaps: test-name substring -> reason. Matching tests become
            strict xfails, so a fixed gap fails until its entry is removed.
        marks: Extra pytest marks (e.g. ``pytest.mark.services``).
        differential_examples: Hypothesis examples for the differential test.
    """

    name: str
    backend: str
    options: Callable[[CaseContext], dict[str, Any]] = lambda ctx: {}
    faces: tuple[str, ...] = ("sync", "async")
    gaps: dict[str, str] = field(default_factory=dict)
    marks: tuple[Any, ...] = ()
    differential_examples: int = 60


def load_cases() -> list[BackendCase]:
    """Every case from every module in ``backends/``."""
    cases: list[BackendCase] = []
    folder = Path(__file__).parent / "backends"
    for path in sorted(folder.glob("*.py")):
        if path.name.startswith("_"):
            continue
        module = importlib.import_module(f"tests.conformance.backends.{path.stem}")
        cases.extend(module.CASES)
    return cases


_counter = itertools.count()


def unique_name(case: BackendCase) -> str:
    """A short unique lowercase name for tables, indexes and prefixes."""
    return f"dk{next(_counter)}_{uuid.uuid4().hex[:8]}"


class AsyncFacade:
    """Drives an :class:`AsyncDatabase` with synchronous calls on one event loop."""

    def __init__(self, db: AsyncDatabase) -> None:
        self._db = db
        self._runner = asyncio.Runner()

    @property
    def wrapped(self) -> AsyncDatabase:
        """The async database itself."""
        return self._db

    def _call(self, value: Any) -> Any:
        if inspect.iscoroutine(value):
            return self._runner.run(value)
        if inspect.isasyncgen(value):
            return self._iterate(value)
        return value

    def _iterate(self, agen: AsyncIterator[Any]) -> Iterator[Any]:
        try:
            while True:
                try:
                    item = self._runner.run(agen.__anext__())
                except StopAsyncIteration:
                    return
                yield item
        finally:
            aclose = getattr(agen, "aclose", None)
            if aclose is not None:
                self._runner.run(aclose())

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._db, name)
        if not callable(attr):
            return attr
        return lambda *args, **kwargs: self._call(attr(*args, **kwargs))

    def __enter__(self) -> AsyncFacade:
        self._runner.run(self._db.connect())
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()

    def shutdown(self) -> None:
        """Close the database and the event loop."""
        try:
            self._runner.run(self._db.close())
        finally:
            self._runner.close()


def open_database(case: BackendCase, face: str, ctx: CaseContext) -> Any:
    """Build the case's database for one test: a sync Database or an AsyncFacade."""
    options = case.options(ctx)
    if face == "sync":
        db = database_factory.create(backend=case.backend, **options)
        assert isinstance(db, Database)
        db.connect()
        return db
    adb = database_factory.create_async(backend=case.backend, **options)
    assert isinstance(adb, AsyncDatabase)
    facade = AsyncFacade(adb)
    facade.__enter__()
    return facade


def close_database(db: Any) -> None:
    """Empty and close a database opened by :func:`open_database`."""
    try:
        db.clear()
    finally:
        if isinstance(db, AsyncFacade):
            db.shutdown()
        else:
            db.close()
