"""Runs every conformance test against every registered backend case and face."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.conformance.harness import (
    BackendCase,
    CaseContext,
    close_database,
    load_cases,
    open_database,
)

CASES = load_cases()
PARAMS = [
    pytest.param((case, face), id=f"{case.name}-{face}", marks=list(case.marks))
    for case in CASES
    for face in case.faces
]


@pytest.fixture(params=PARAMS)
def backend_case(request: pytest.FixtureRequest) -> tuple[BackendCase, str]:
    """The (case, face) this test runs against."""
    return request.param  # type: ignore[no-any-return]


@pytest.fixture
def make_db(
    backend_case: tuple[BackendCase, str], request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[Any]:
    """A factory of fresh databases of the current case (several per test allowed)."""
    case, face = backend_case
    opened: list[Any] = []

    def make() -> Any:
        from tests.conformance.harness import unique_name

        ctx = CaseContext(request, tmp_path / f"db{len(opened)}", unique_name(case))
        ctx.tmp_path.mkdir(parents=True, exist_ok=True)
        db = open_database(case, face, ctx)
        opened.append(db)
        return db

    yield make
    for db in opened:
        close_database(db)


@pytest.fixture
def db(make_db: Any) -> Any:
    """A fresh, empty, connected database of the current case."""
    return make_db()


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Turn each case's declared gaps into strict xfails on the matching tests."""
    for item in items:
        callspec = getattr(item, "callspec", None)
        if callspec is None or "backend_case" not in callspec.params:
            continue
        case, face = callspec.params["backend_case"]
        test_name = item.name.split("[")[0]
        for pattern, reason in case.gaps.items():
            if pattern in test_name or pattern == f"{test_name}[{face}]":
                item.add_marker(pytest.mark.xfail(strict=True, reason=f"known gap: {reason}"))
