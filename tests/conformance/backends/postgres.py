"""The PostgreSQL backend, on the server the session starts (or DATAKNOBS_TEST_POSTGRES_URL)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.conformance.harness import BackendCase, CaseContext


def _options(ctx: CaseContext) -> dict[str, Any]:
    return {"dsn": ctx.fixture("postgres_url"), "table": ctx.unique, "min_pool_size": 0}


CASES = [
    BackendCase(
        name="postgres",
        backend="postgres",
        options=_options,
        faces=("sync", "async"),
        gaps={},
        marks=(pytest.mark.services,),
        differential_examples=80,
    ),
]
